// Checks the generated random-weight test models against the float64 reference through onnxruntime-node,
// so the other suites can trust them as a stand-in for a real cross-encoder.
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BertWeights, bertWeights } from './models/bert.js'
import { BERT_TINY, ensureTestModels, testModelDir, writeBertModel } from './models/generate.js'
import { opTypesOf } from './models/onnx-builder.js'
import { Prng } from './models/prng.js'
import { bertReferenceLogit, erf } from './models/reference-bert.js'
import { spearman, std } from './support/stats'

interface Pair {
  readonly ids: number[]
  readonly types: number[]
}

const CLS = 101
const SEP = 102
const PAD = 0
/** Below 1000 the vocab holds [PAD], [unused*] and special tokens; real text uses the rest. */
const FIRST_WORD_ID = 1000

/** [CLS] query [SEP] document [SEP] with token types 0 then 1, as the tokenizer lays out a pair. */
function randomPair(prng: Prng, queryLength: number, documentLength: number): Pair {
  const words = (n: number): number[] => Array.from({ length: n }, () => prng.int(FIRST_WORD_ID, BERT_TINY.vocabSize))
  const ids = [CLS, ...words(queryLength), SEP, ...words(documentLength), SEP]
  return { ids, types: ids.map((_, i) => (i < queryLength + 2 ? 0 : 1)) }
}

function randomPairs(seed: number, count: number): Pair[] {
  const prng = new Prng(seed)
  return Array.from({ length: count }, () => randomPair(prng, prng.int(1, 12), prng.int(4, 80)))
}

/** Runs rows as one batch, right-padded with [PAD] and attention_mask 0; returns one logit per row. */
async function logits(session: ort.InferenceSession, rows: readonly Pair[]): Promise<number[]> {
  const width = Math.max(...rows.map((r) => r.ids.length))
  const tensor = (pick: (row: Pair, i: number) => number): ort.Tensor => {
    const data = new BigInt64Array(rows.length * width)
    rows.forEach((row, r) => {
      for (let i = 0; i < row.ids.length; i++) data[r * width + i] = BigInt(pick(row, i))
    })
    return new ort.Tensor('int64', data, [rows.length, width])
  }
  const out = await session.run({
    input_ids: tensor((row, i) => row.ids[i] ?? PAD),
    attention_mask: tensor(() => 1),
    token_type_ids: tensor((row, i) => row.types[i] ?? 0),
  })
  const result = out.logits
  if (result === undefined) throw new Error('no logits output')
  expect(result.dims).toEqual([rows.length, 1])
  return Array.from(result.data as Float32Array)
}

async function fileHashes(dir: string, names: readonly string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    names.map(
      async (name) =>
        [
          name,
          createHash('sha256')
            .update(await readFile(join(dir, name)))
            .digest('hex'),
        ] as const,
    ),
  )
  return Object.fromEntries(entries)
}

describe('generated test model webrerank-test/bert-tiny', () => {
  const dir = testModelDir(BERT_TINY)
  let weights: BertWeights
  let fp32: ort.InferenceSession
  let q8: ort.InferenceSession

  beforeAll(async () => {
    await ensureTestModels()
    weights = bertWeights(BERT_TINY)
    fp32 = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'))
    q8 = await ort.InferenceSession.create(join(dir, 'onnx', 'model_quantized.onnx'))
  })

  afterAll(async () => {
    await fp32.release()
    await q8.release()
  })

  const reference = (pair: Pair): number => bertReferenceLogit(weights, BERT_TINY, pair.ids, pair.types)

  it('has the inputs and output transformers.js feeds and reads', () => {
    for (const session of [fp32, q8]) {
      expect([...session.inputNames]).toEqual(['input_ids', 'attention_mask', 'token_type_ids'])
      expect([...session.outputNames]).toEqual(['logits'])
    }
  })

  it('reference erf matches known values', () => {
    // Values from Python's math.erf.
    const known: [number, number][] = [
      [0.5, 0.5204998778130465],
      [-1.5, -0.9661051464753108],
      [2.5, 0.999593047982555],
      [2.99, 0.9999764743969194],
      [3.5, 0.9999992569016276],
    ]
    for (const [x, value] of known) expect(Math.abs(erf(x) - value)).toBeLessThan(1e-12)
  })

  it('fp32 matches the float64 reference on single pairs of varied lengths', async () => {
    const prng = new Prng(11)
    // Lengths up to max_position_embeddings (1 + 9 + 1 + 500 + 1 = 512).
    const shapes: [number, number][] = [
      [1, 1],
      [2, 5],
      [5, 20],
      [8, 50],
      [12, 120],
      [16, 300],
      [9, 500],
    ]
    let worst = 0
    for (const [q, d] of shapes) {
      const pair = randomPair(prng, q, d)
      const [got] = await logits(fp32, [pair])
      worst = Math.max(worst, Math.abs(got! - reference(pair)))
    }
    console.info(`max |fp32 onnx - reference| = ${worst.toExponential(2)}`)
    expect(worst).toBeLessThan(1e-4)
  })

  it('gives each row of a padded batch its unpadded logit', async () => {
    const pairs = randomPairs(21, 6)
    const batched = await logits(fp32, pairs)
    for (const [i, pair] of pairs.entries()) {
      const [alone] = await logits(fp32, [pair])
      expect(Math.abs(batched[i]! - alone!)).toBeLessThan(1e-4)
      expect(Math.abs(batched[i]! - reference(pair))).toBeLessThan(1e-4)
    }
    // q8 cannot match exactly: DynamicQuantizeLinear takes one activation range over the whole batch,
    // padding positions included, so a row's logit depends a little on its batch mates.
    const q8Batched = await logits(q8, pairs)
    for (const [i, pair] of pairs.entries()) {
      const [alone] = await logits(q8, [pair])
      expect(Math.abs(q8Batched[i]! - alone!)).toBeLessThan(0.3)
    }
  })

  it('scores different inputs clearly differently', async () => {
    const values = await logits(fp32, randomPairs(31, 20))
    console.info(`fp32 logit std over 20 random pairs = ${std(values).toFixed(3)}`)
    expect(std(values)).toBeGreaterThan(0.3)
  })

  it('q8 tracks fp32', async () => {
    const pairs = randomPairs(41, 20)
    const full = await logits(fp32, pairs)
    const quantized: number[] = []
    for (const pair of pairs) quantized.push(...(await logits(q8, [pair])))
    const diffs = quantized.map((v, i) => Math.abs(v - full[i]!))
    const maxDiff = Math.max(...diffs)
    const meanDiff = diffs.reduce((a, v) => a + v, 0) / diffs.length
    const maxRefDiff = Math.max(...pairs.map((p, i) => Math.abs(quantized[i]! - reference(p))))
    const rho = spearman(full, quantized)
    console.info(
      `q8: |q8 - fp32| max ${maxDiff.toFixed(3)} mean ${meanDiff.toFixed(3)}, max |q8 - reference| ${maxRefDiff.toFixed(3)}, spearman ${rho.toFixed(3)}`,
    )
    expect(maxDiff).toBeLessThan(0.5)
    expect(rho).toBeGreaterThan(0.9)
  })

  it('uses the exported op patterns', async () => {
    const fp32Ops = new Set(opTypesOf(await readFile(join(dir, 'onnx', 'model.onnx'))))
    const q8Ops = opTypesOf(await readFile(join(dir, 'onnx', 'model_quantized.onnx')))
    expect(fp32Ops).toContain('LayerNormalization')
    expect(fp32Ops).toContain('Erf')
    expect(fp32Ops).not.toContain('MatMulInteger')
    // 6 weight MatMuls per layer (q, k, v, attention output, intermediate, output) are quantized.
    const count = (op: string): number => q8Ops.filter((o) => o === op).length
    expect(count('MatMulInteger')).toBe(6 * BERT_TINY.numLayers)
    expect(count('DynamicQuantizeLinear')).toBe(6 * BERT_TINY.numLayers)
  })

  it('writes byte-identical files on every generation', async () => {
    const names = ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'vocab.txt']
    const scratch = await mkdtemp(join(tmpdir(), 'webrerank-models-'))
    try {
      const [a, b] = [join(scratch, 'a'), join(scratch, 'b')]
      const written = await writeBertModel(BERT_TINY, a)
      await writeBertModel(BERT_TINY, b)
      expect(written.map((p) => relative(a, p)).sort()).toEqual(
        [...names, 'special_tokens_map.json', 'tokenizer_config.json'].sort(),
      )
      const expected = await fileHashes(dir, names)
      expect(await fileHashes(a, names)).toEqual(expected)
      expect(await fileHashes(b, names)).toEqual(expected)
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  })
})

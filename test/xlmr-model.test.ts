// Checks the generated XLM-RoBERTa test model: its Unigram tokenizer gives the same ids in Hugging
// Face's Rust `tokenizers` and in transformers.js, and its ONNX graph matches the float64 reference.
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  type PreTrainedTokenizer,
  Tensor,
} from '@huggingface/transformers'
import * as ort from 'onnxruntime-node'
import type { Tokenizer } from 'tokenizers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureTestModels, TEST_MODELS_DIR, testModelDir, XLMR_TINY } from './models/generate.js'
import { opTypesOf } from './models/onnx-builder.js'
import { Prng } from './models/prng.js'
import { xlmrReferenceLogit } from './models/reference-xlmr.js'
import { MASK_ID, XLMR_SPECIAL_IDS } from './models/unigram-tokenizer.js'
import { xlmrExpectedPairs, xlmrRustTokenizer } from './models/xlmr-expectations.js'
import { writeXlmrModel, xlmrMaxTokens, type XlmrWeights, xlmrWeights } from './models/xlmr.js'
import { spearman, std } from './support/stats'

const { bos: BOS, pad: PAD, eos: EOS } = XLMR_SPECIAL_IDS

/** Texts that exercise the normalizer, Metaspace, unknown characters and added tokens. */
const TEXTS = [
  'what is the capital of France',
  'Paris is the capital and most populous city of France.',
  'Crème brûlée — naïve façade, très bien',
  'Die Hauptstadt von Deutschland ist Berlin. Straße größte',
  '東京の人口は約1400万人です。',
  '北京是中国的首都',
  '👩‍💻 developer 🇺🇸 😀👍',
  '  leading,   inner    and trailing spaces  ',
  'tabs\tand\nnewlines\r\nhere',
  'ΣΟΦΙΑΣ μΣ Αθήνα είναι πρωτεύουσα',
  'Москва является столицей России',
  'ﬁnancial ① Ｆｕｌｌｗｉｄｔｈ ½ \u00a0nbsp\u3000ideographic space',
  'literal <s> and </s> and <mask> tokens',
  'mixed: 123,456.78 (test) [x] {y} #tag @user',
  'كتاب עברית हिन्दी ภาษาไทย 한국어 x𠮷y',
  ' ',
  'a',
]

/** `<s> q </s> </s> d </s>` over random piece ids (never a special or the padding id). */
function randomPair(prng: Prng, queryLength: number, documentLength: number): number[] {
  const words = (n: number): number[] => Array.from({ length: n }, () => prng.int(EOS + 2, MASK_ID))
  return [BOS, ...words(queryLength), EOS, EOS, ...words(documentLength), EOS]
}

function randomPairs(seed: number, count: number): number[][] {
  const prng = new Prng(seed)
  return Array.from({ length: count }, () => randomPair(prng, prng.int(1, 12), prng.int(4, 80)))
}

function int64(
  rows: readonly number[][],
  width: number,
  pick: (row: readonly number[], i: number) => number,
): BigInt64Array {
  const data = new BigInt64Array(rows.length * width)
  rows.forEach((row, r) => {
    for (let i = 0; i < width; i++) data[r * width + i] = BigInt(pick(row, i))
  })
  return data
}

/** Runs rows as one batch, right-padded with `<pad>` and attention_mask 0; returns one logit per row. */
async function logits(session: ort.InferenceSession, rows: readonly number[][]): Promise<number[]> {
  const width = Math.max(...rows.map((r) => r.length))
  const dims = [rows.length, width]
  const out = await session.run({
    input_ids: new ort.Tensor(
      'int64',
      int64(rows, width, (row, i) => row[i] ?? PAD),
      dims,
    ),
    attention_mask: new ort.Tensor(
      'int64',
      int64(rows, width, (row, i) => (i < row.length ? 1 : 0)),
      dims,
    ),
  })
  const result = out.logits
  if (result === undefined) throw new Error('no logits output')
  expect(result.dims).toEqual([rows.length, 1])
  return Array.from(result.data as Float32Array)
}

describe('generated test model webrerank-test/xlmr-tiny', () => {
  const dir = testModelDir(XLMR_TINY)
  let weights: XlmrWeights
  let fp32: ort.InferenceSession
  let q8: ort.InferenceSession
  let rust: Tokenizer
  let js: PreTrainedTokenizer

  beforeAll(async () => {
    await ensureTestModels()
    env.localModelPath = `${TEST_MODELS_DIR}/`
    env.allowRemoteModels = false
    weights = xlmrWeights(XLMR_TINY)
    fp32 = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'))
    q8 = await ort.InferenceSession.create(join(dir, 'onnx', 'model_quantized.onnx'))
    rust = xlmrRustTokenizer()
    js = await AutoTokenizer.from_pretrained(XLMR_TINY.name)
  })

  afterAll(async () => {
    await fp32.release()
    await q8.release()
  })

  const reference = (ids: readonly number[]): number => xlmrReferenceLogit(weights, XLMR_TINY, ids)

  describe('tokenizer', () => {
    it('gives the same ids in HF tokenizers and transformers.js, with and without special tokens', async () => {
      const divergent: string[] = []
      for (const text of TEXTS) {
        const bare = (await rust.encode(text, null, { addSpecialTokens: false })).getIds()
        const single = (await rust.encode(text)).getIds()
        expect(single).toEqual([BOS, ...bare, EOS])
        const jsBare = js.encode(text, { add_special_tokens: false })
        const jsSingle = js.encode(text)
        if (JSON.stringify([bare, single]) !== JSON.stringify([jsBare, jsSingle])) {
          divergent.push(
            `${JSON.stringify(text)}: tokenizers ${JSON.stringify(single)}, transformers.js ${JSON.stringify(jsSingle)}`,
          )
        }
      }
      expect(divergent).toEqual([])
    })

    it('splits text into pieces of the vocabulary, unknown characters fused into one <unk>', async () => {
      const tokens = async (text: string): Promise<string[]> =>
        (await rust.encode(text, null, { addSpecialTokens: false })).getTokens()
      expect(await tokens('what is the capital of France')).toEqual([
        '▁what',
        '▁is',
        '▁the',
        '▁capital',
        '▁of',
        '▁France',
      ])
      expect(await tokens('a  b')).toEqual(['▁a', '▁b']) // runs of spaces collapse, as XLM-R's normalizer does
      const ids = (await rust.encode('👩‍💻', null, { addSpecialTokens: false })).getIds()
      expect(ids).toEqual([rust.tokenToId('▁'), XLMR_SPECIAL_IDS.unk])
      expect(js.encode('👩‍💻', { add_special_tokens: false })).toEqual(ids)
    })

    it('lays out a pair as <s> q </s> </s> d </s>, all token type 0', async () => {
      for (const [query, document] of [
        ['what is the capital of France', 'Paris is the capital.'],
        ['東京の人口', '約1400万人です。'],
      ] as const) {
        const q = (await rust.encode(query, null, { addSpecialTokens: false })).getIds()
        const d = (await rust.encode(document, null, { addSpecialTokens: false })).getIds()
        const pair = await rust.encode(query, document)
        expect(pair.getIds()).toEqual([BOS, ...q, EOS, EOS, ...d, EOS])
        expect(pair.getTypeIds()).toEqual(pair.getIds().map(() => 0))
        expect(js.encode(query, { text_pair: document })).toEqual(pair.getIds())
      }
    })

    it('differs from HF tokenizers on an empty text_pair in transformers.js (treated as no pair)', async () => {
      // transformers.js 4.3.1 tests `text_pair || null`, so '' drops the pair template; webrerank
      // encodes each text alone and applies the template itself, so it gets the Rust layout.
      const q = (await rust.encode('what', null, { addSpecialTokens: false })).getIds()
      expect((await rust.encode('what', '')).getIds()).toEqual([BOS, ...q, EOS, EOS, EOS])
      expect(js.encode('what', { text_pair: '' })).toEqual([BOS, ...q, EOS])
      expect(js.encode('', { add_special_tokens: false })).toEqual([])
    })

    it('has no piece with an inner ▁, so ignoring Metaspace split (as transformers.js does) changes nothing', () => {
      // `tokenizers` splits at each ▁ before the Unigram lattice; transformers.js runs one lattice over
      // the whole text. They agree only while no piece could span a word boundary.
      const vocab = Object.keys(rust.getVocab(true))
      expect(vocab.filter((piece) => piece.lastIndexOf('▁') > 0)).toEqual([])
    })

    it('has the real tokenizer_config, with the <mask> id of this vocabulary and a 512-token limit', async () => {
      const config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>
      expect(config.tokenizer_class).toBe('XLMRobertaTokenizer')
      expect(config.model_max_length).toBe(512)
      expect(Object.keys(config.added_tokens_decoder as object)).toEqual(['0', '1', '2', '3', String(MASK_ID)])
      expect(rust.tokenToId('<mask>')).toBe(MASK_ID)
      expect(rust.getVocabSize(true)).toBe(XLMR_TINY.vocabSize)
      expect(js.model_max_length).toBe(512)
      expect(js.pad_token_id).toBe(PAD)
    })
  })

  describe('ONNX model', () => {
    it('has only input_ids and attention_mask as inputs, as XLM-R exports do', () => {
      for (const session of [fp32, q8]) {
        expect([...session.inputNames]).toEqual(['input_ids', 'attention_mask'])
        expect([...session.outputNames]).toEqual(['logits'])
      }
    })

    it('fp32 matches the float64 reference on tokenized and random pairs up to 512 tokens', async () => {
      const texts: [string, string][] = [
        ['what is the capital of France', 'Paris is the capital and most populous city of France.'],
        ['東京の人口', '東京の人口は約1400万人です。'],
        ['ΣΟΦΙΑΣ', '👩‍💻 developer 🇺🇸 — naïve façade'],
      ]
      const pairs = await Promise.all(texts.map(async ([q, d]) => (await rust.encode(q, d)).getIds()))
      const prng = new Prng(11)
      // 1 + 9 + 2 + 499 + 1 = 512 tokens: positions 2..513 of the 514.
      for (const [q, d] of [
        [1, 1],
        [2, 5],
        [5, 20],
        [8, 50],
        [12, 120],
        [16, 300],
        [9, 499],
      ] as const)
        pairs.push(randomPair(prng, q, d))
      expect(Math.max(...pairs.map((p) => p.length))).toBe(xlmrMaxTokens(XLMR_TINY))
      let worst = 0
      for (const pair of pairs) {
        const [got] = await logits(fp32, [pair])
        worst = Math.max(worst, Math.abs(got! - reference(pair)))
      }
      console.info(`xlmr: max |fp32 onnx - reference| = ${worst.toExponential(2)} over ${pairs.length} pairs`)
      expect(worst).toBeLessThan(1e-4)
    })

    it('fails beyond 512 tokens, where positions run out', async () => {
      // A session of its own that logs only fatal errors: the expected Gather failure is not news.
      const quiet = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'), { logSeverityLevel: 4 })
      try {
        await expect(logits(quiet, [randomPair(new Prng(12), 10, 499)])).rejects.toThrow(/out of data bounds/)
      } finally {
        await quiet.release()
      }
    })

    it('gives each row of a padded batch its unpadded logit', async () => {
      const pairs = randomPairs(21, 6)
      const batched = await logits(fp32, pairs)
      for (const [i, pair] of pairs.entries()) {
        const [alone] = await logits(fp32, [pair])
        expect(Math.abs(batched[i]! - alone!)).toBeLessThan(1e-4)
        expect(Math.abs(batched[i]! - reference(pair))).toBeLessThan(1e-4)
      }
    })

    it('scores different inputs clearly differently', async () => {
      const values = await logits(fp32, randomPairs(31, 20))
      console.info(`xlmr: fp32 logit std over 20 random pairs = ${std(values).toFixed(3)}`)
      expect(std(values)).toBeGreaterThan(0.3)
    })

    it('q8 tracks fp32', async () => {
      const pairs = randomPairs(41, 20)
      const full = await logits(fp32, pairs)
      const quantized: number[] = []
      for (const pair of pairs) quantized.push(...(await logits(q8, [pair])))
      const diffs = quantized.map((v, i) => Math.abs(v - full[i]!))
      const rho = spearman(full, quantized)
      console.info(
        `xlmr q8: |q8 - fp32| max ${Math.max(...diffs).toFixed(3)} mean ${(diffs.reduce((a, v) => a + v, 0) / diffs.length).toFixed(3)}, spearman ${rho.toFixed(3)}`,
      )
      expect(Math.max(...diffs)).toBeLessThan(0.5)
      expect(rho).toBeGreaterThan(0.9)
    })

    it('uses the exported op patterns', async () => {
      const fp32Ops = new Set(opTypesOf(await readFile(join(dir, 'onnx', 'model.onnx'))))
      const q8Ops = opTypesOf(await readFile(join(dir, 'onnx', 'model_quantized.onnx')))
      for (const op of ['Equal', 'Not', 'CumSum', 'Expand', 'LayerNormalization', 'Erf', 'Tanh', 'Gemm'])
        expect(fp32Ops).toContain(op)
      expect(fp32Ops).not.toContain('MatMulInteger')
      expect(q8Ops.filter((o) => o === 'MatMulInteger')).toHaveLength(6 * XLMR_TINY.numLayers)
    })
  })

  it('runs in transformers.js on input_ids and attention_mask, matching the reference', async () => {
    const model = await AutoModelForSequenceClassification.from_pretrained(XLMR_TINY.name, { dtype: 'fp32' })
    try {
      const rows = randomPairs(51, 4)
      const width = Math.max(...rows.map((r) => r.length))
      const dims = [rows.length, width]
      const output = (await model({
        input_ids: new Tensor(
          'int64',
          int64(rows, width, (row, i) => row[i] ?? PAD),
          dims,
        ),
        attention_mask: new Tensor(
          'int64',
          int64(rows, width, (row, i) => (i < row.length ? 1 : 0)),
          dims,
        ),
      })) as { logits: Tensor }
      expect(output.logits.dims).toEqual([rows.length, 1])
      const got = Array.from(output.logits.data as Float32Array)
      for (const [i, row] of rows.entries()) expect(Math.abs(got[i]! - reference(row))).toBeLessThan(1e-4)
    } finally {
      await model.dispose()
    }
  })

  it('expected pairs are truncated to 512 tokens and scored as the ONNX model scores them', async () => {
    const pairs = await xlmrExpectedPairs()
    const lengths = pairs.map((p) => p.inputIds.length)
    expect(Math.max(...lengths)).toBe(xlmrMaxTokens(XLMR_TINY)) // the long document and the long query are cut
    const empty = pairs.find((p) => p.document === '')!
    expect(empty.inputIds.slice(-3)).toEqual([EOS, EOS, EOS])
    for (const pair of pairs) {
      expect(pair.inputIds.at(-1)).toBe(EOS)
      const [got] = await logits(fp32, [pair.inputIds])
      expect(Math.abs(got! - pair.logit)).toBeLessThan(1e-4)
    }
    console.info(`xlmr: expected logits ${pairs.map((p) => p.logit.toFixed(2)).join(' ')}`)
  })

  it('writes byte-identical files on every generation', async () => {
    const names = [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
    ]
    const hashes = async (root: string): Promise<Record<string, string>> =>
      Object.fromEntries(
        await Promise.all(
          names.map(
            async (n) =>
              [
                n,
                createHash('sha256')
                  .update(await readFile(join(root, n)))
                  .digest('hex'),
              ] as const,
          ),
        ),
      )
    const scratch = await mkdtemp(join(tmpdir(), 'webrerank-xlmr-'))
    try {
      const written = await writeXlmrModel(XLMR_TINY, scratch)
      expect(written.map((p) => relative(scratch, p)).sort()).toEqual([...names].sort())
      expect(await hashes(scratch)).toEqual(await hashes(dir))
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  })
})

// Checks the generated tiny Qwen3 reranker model against its float64 reference, through onnxruntime-node
// and transformers.js, and the prompt's tokenization against HF's Rust tokenizer, so the library's
// Qwen3 path can be tested against expected.json with confidence.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  Tensor,
} from '@huggingface/transformers'
import * as ort from 'onnxruntime-node'
import { Tokenizer } from 'tokenizers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildQwen3Graph,
  ensureQwen3Model,
  QWEN3_MODEL_DIR,
  QWEN3_TINY,
  type Qwen3Expected,
  type Qwen3ExpectedPair,
  type Qwen3Weights,
  qwen3Weights,
  readQwen3Expected,
} from './models/qwen3.js'
import {
  DEFAULT_INSTRUCTION,
  formatQwen3Block,
  formatQwen3Pair,
  QWEN3_NO_TOKEN_ID,
  QWEN3_RERANKER_PREFIX,
  QWEN3_RERANKER_SUFFIX,
  QWEN3_RERANKER_SYSTEM,
  QWEN3_YES_TOKEN_ID,
} from './models/qwen3-prompt.js'
import { qwen3ReferenceLastLogits, type YesNoLogits } from './models/reference-qwen3.js'

const { vocabSize, numLayers, numKeyValueHeads, headDim } = QWEN3_TINY
/** <|endoftext|>, the tokenizer's pad_token. */
const PAD_ID = 151643
const TOLERANCE = 1e-4

const int64 = (values: readonly (number | bigint)[], dims: number[]): ort.Tensor =>
  new ort.Tensor(
    'int64',
    BigInt64Array.from(values, (v) => BigInt(v)),
    dims,
  )

/**
 * Feeds for rows of token ids, LEFT-padded to one width as transformers.js does it: mask 0 on the padding,
 * position ids from create_position_ids (a running count of attended tokens; padding gets 1).
 * `past` continues from a cache of `past.length` attended positions.
 */
function feeds(
  rows: readonly (readonly number[])[],
  keep: number,
  past?: { length: number; tensors: Record<string, ort.Tensor> },
): Record<string, ort.Tensor> {
  const width = Math.max(...rows.map((r) => r.length))
  const pastLength = past?.length ?? 0
  const ids: number[] = []
  const mask: number[] = []
  const positions: number[] = []
  for (const row of rows) {
    const pad = width - row.length
    ids.push(...Array<number>(pad).fill(PAD_ID), ...row)
    mask.push(...Array<number>(pastLength).fill(1), ...Array<number>(pad).fill(0), ...row.map(() => 1))
    positions.push(...Array<number>(pad).fill(1), ...row.map((_, i) => pastLength + i))
  }
  const batch = rows.length
  const emptyCache = Object.fromEntries(
    Array.from({ length: numLayers }, (_, i) =>
      ['key', 'value'].map((kind): [string, ort.Tensor] => [
        `past_key_values.${i}.${kind}`,
        new ort.Tensor('float32', new Float32Array(0), [batch, numKeyValueHeads, 0, headDim]),
      ]),
    ).flat(),
  )
  return {
    input_ids: int64(ids, [batch, width]),
    attention_mask: int64(mask, [batch, pastLength + width]),
    position_ids: int64(positions, [batch, width]),
    num_logits_to_keep: int64([keep], []),
    ...(past?.tensors ?? emptyCache),
  }
}

/** Yes/no logits of each row's last kept position from a [B, N, vocab] logits tensor. */
function yesNo(logits: { dims: readonly number[]; data: unknown }): YesNoLogits[] {
  const [batch, kept, vocab] = logits.dims as [number, number, number]
  const data = logits.data as Float32Array
  return Array.from({ length: batch }, (_, b) => {
    const offset = (b * kept + kept - 1) * vocab
    return { yes: data[offset + QWEN3_YES_TOKEN_ID]!, no: data[offset + QWEN3_NO_TOKEN_ID]! }
  })
}

/** What a causal LM's forward call resolves to (transformers.js types the call `any`). */
interface CausalLMOutput {
  logits: Tensor
}

function maxError(got: readonly YesNoLogits[], want: readonly YesNoLogits[]): number {
  return Math.max(...got.map((g, i) => Math.max(Math.abs(g.yes - want[i]!.yes), Math.abs(g.no - want[i]!.no))))
}

function std(values: readonly number[]): number {
  const mean = values.reduce((a, v) => a + v, 0) / values.length
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)
}

describe('generated test model webrerank-test/qwen3-tiny', () => {
  let expected: Qwen3Expected
  let pairs: Qwen3ExpectedPair[]
  let weights: Qwen3Weights
  let session: ort.InferenceSession

  beforeAll(async () => {
    await ensureQwen3Model()
    expected = await readQwen3Expected()
    pairs = expected.pairs
    weights = qwen3Weights(QWEN3_TINY)
    session = await ort.InferenceSession.create(join(QWEN3_MODEL_DIR, 'onnx', 'model.onnx'))
  })

  afterAll(async () => {
    await session.release()
  })

  const run = async (input: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> =>
    session.run(input)

  describe('prompt and tokenization', () => {
    let hf: Tokenizer
    let tokenizer: PreTrainedTokenizer

    beforeAll(async () => {
      hf = Tokenizer.fromFile(join(QWEN3_MODEL_DIR, 'tokenizer.json'))
      env.localModelPath = join(QWEN3_MODEL_DIR, '..', '..')
      env.allowRemoteModels = false
      tokenizer = await AutoTokenizer.from_pretrained(QWEN3_TINY.name)
    })

    it('expected.json covers short, long, unicode, empty and custom-instruction pairs', () => {
      expect(pairs.length).toBeGreaterThanOrEqual(8)
      expect(pairs.some((p) => p.document === '')).toBe(true)
      expect(pairs.some((p) => p.instruction !== DEFAULT_INSTRUCTION)).toBe(true)
      expect(Math.max(...pairs.map((p) => p.inputIds.length))).toBeGreaterThan(400)
      expect([expected.yesTokenId, expected.noTokenId]).toEqual([9693, 2152])
    })

    // Extra options reach the template as variables, but ApplyChatTemplateOptions does not declare them:
    // passing a variable rather than a literal skips the excess-property check.
    const CHAT_OPTIONS = { tokenize: false, add_generation_prompt: true, enable_thinking: false } as const

    it('is what the chat template renders for a system + user turn with thinking off', () => {
      for (const { query, document, instruction } of pairs) {
        const rendered = tokenizer.apply_chat_template(
          [
            { role: 'system', content: QWEN3_RERANKER_SYSTEM },
            { role: 'user', content: formatQwen3Block(query, document, instruction) },
          ],
          CHAT_OPTIONS,
        )
        expect(rendered).toBe(formatQwen3Pair(query, document, instruction))
      }
    })

    it('transformers.js tokenizes every prompt as HF tokenizers does', () => {
      for (const pair of pairs) {
        const prompt = formatQwen3Pair(pair.query, pair.document, pair.instruction)
        expect(tokenizer.encode(prompt, { add_special_tokens: false })).toEqual(pair.inputIds)
        // With special tokens "added" too: Qwen2's tokenizer adds none (no BOS).
        expect(tokenizer.encode(prompt)).toEqual(pair.inputIds)
      }
    })

    it('joins prefix, instruct/query/document block and suffix ids as the model card does', async () => {
      const ids = async (text: string): Promise<number[]> =>
        (await hf.encode(text, null, { addSpecialTokens: false })).getIds()
      expect(expected.prefixIds).toEqual(await ids(QWEN3_RERANKER_PREFIX))
      expect(expected.suffixIds).toEqual(await ids(QWEN3_RERANKER_SUFFIX))
      for (const { query, document, instruction, inputIds } of pairs) {
        const block = await ids(formatQwen3Block(query, document, instruction))
        expect([...expected.prefixIds, ...block, ...expected.suffixIds]).toEqual(inputIds)
      }
    })

    it('maps "yes" and "no" to 9693 and 2152 in both tokenizers', async () => {
      for (const [word, id] of [
        ['yes', QWEN3_YES_TOKEN_ID],
        ['no', QWEN3_NO_TOKEN_ID],
      ] as const) {
        expect(tokenizer.encode(word, { add_special_tokens: false })).toEqual([id])
        expect((await hf.encode(word, null, { addSpecialTokens: false })).getIds()).toEqual([id])
      }
    })
  })

  describe('onnxruntime-node', () => {
    it('has the decoder inputs and outputs transformers.js feeds and reads', () => {
      const cache = (prefix: string): string[] =>
        Array.from({ length: numLayers }, (_, i) => [`${prefix}.${i}.key`, `${prefix}.${i}.value`]).flat()
      const inputs = ['input_ids', 'attention_mask', 'position_ids', ...cache('past_key_values'), 'num_logits_to_keep']
      expect([...session.inputNames]).toEqual(inputs)
      expect([...session.outputNames]).toEqual(['logits', ...cache('present')])
    })

    it('matches the float64 reference with an empty cache and num_logits_to_keep = 1', async () => {
      let worst = 0
      for (const pair of pairs) {
        const out = await run(feeds([pair.inputIds], 1))
        expect(out.logits!.dims).toEqual([1, 1, vocabSize])
        expect(out['present.0.key']!.dims).toEqual([1, numKeyValueHeads, pair.inputIds.length, headDim])
        worst = Math.max(worst, maxError(yesNo(out.logits!), [pair]))
      }
      console.info(`qwen3: max |onnx fp32 - reference| over ${pairs.length} prompts = ${worst.toExponential(2)}`)
      expect(worst).toBeLessThan(TOLERANCE)
    })

    it('keeps the last N positions, and all of them for num_logits_to_keep = 0', async () => {
      const ids = [QWEN3_YES_TOKEN_ID, 11, QWEN3_NO_TOKEN_ID, 271]
      const last = yesNo((await run(feeds([ids], 1))).logits!)
      for (const [keep, kept] of [
        [0, ids.length],
        [2, 2],
        [1, 1],
      ] as const) {
        const logits = (await run(feeds([ids], keep))).logits!
        expect(logits.dims).toEqual([1, kept, vocabSize])
        expect(maxError(yesNo(logits), last)).toBeLessThan(1e-6)
      }
      // Every position of keep = 0 is a prefix's last position.
      const all = (await run(feeds([ids], 0))).logits!.data as Float32Array
      const second = { yes: all[vocabSize + QWEN3_YES_TOKEN_ID]!, no: all[vocabSize + QWEN3_NO_TOKEN_ID]! }
      expect(maxError([second], [qwen3ReferenceLastLogits(weights, QWEN3_TINY, ids.slice(0, 2))])).toBeLessThan(
        TOLERANCE,
      )
    })

    it('gives each row of a left-padded batch its unpadded logits', async () => {
      const rows = pairs.map((p) => p.inputIds)
      const out = await run(feeds(rows, 1))
      const width = Math.max(...rows.map((r) => r.length))
      expect(out.logits!.dims).toEqual([pairs.length, 1, vocabSize])
      expect(out['present.1.value']!.dims).toEqual([pairs.length, numKeyValueHeads, width, headDim])
      const batched = yesNo(out.logits!)
      const alone: YesNoLogits[] = []
      for (const row of rows) alone.push(...yesNo((await run(feeds([row], 1))).logits!))
      const worst = maxError(batched, alone)
      console.info(`qwen3: max |left-padded batch - unpadded| = ${worst.toExponential(2)}`)
      expect(worst).toBeLessThan(TOLERANCE)
      expect(maxError(batched, pairs)).toBeLessThan(TOLERANCE)
    })

    it('continues from a cached prompt prefix (past_key_values = present)', async () => {
      const prefixLength = expected.prefixIds.length
      const prefix = await run(feeds([expected.prefixIds], 1))
      // What getPastKeyValues does in transformers.js: present.* of one run become past_key_values.* of the next.
      const tensors = Object.fromEntries(
        Object.entries(prefix)
          .filter(([name]) => name.startsWith('present.'))
          .map(([name, t]) => [name.replace('present', 'past_key_values'), t]),
      )
      for (const pair of pairs.slice(0, 3)) {
        const out = await run(feeds([pair.inputIds.slice(prefixLength)], 1, { length: prefixLength, tensors }))
        expect(out['present.0.key']!.dims).toEqual([1, numKeyValueHeads, pair.inputIds.length, headDim])
        expect(maxError(yesNo(out.logits!), [pair])).toBeLessThan(TOLERANCE)
      }
    })

    it('is rebuilt byte for byte from the spec', async () => {
      const onDisk = await readFile(join(QWEN3_MODEL_DIR, 'onnx', 'model.onnx'))
      expect(Buffer.from(buildQwen3Graph(weights, QWEN3_TINY)).equals(onDisk)).toBe(true)
    })

    it('scores documents clearly differently', () => {
      const diffs = pairs.map((p) => p.yes - p.no)
      const scores = pairs.map((p) => p.score)
      console.info(
        `qwen3: std over ${pairs.length} prompts: yes-no logit ${std(diffs).toFixed(2)}, score ${std(scores).toFixed(3)}`,
      )
      expect(std(diffs)).toBeGreaterThan(0.3)
      expect(std(scores)).toBeGreaterThan(0.05)
    })
  })

  describe('transformers.js', () => {
    let model: PreTrainedModel

    beforeAll(async () => {
      env.localModelPath = join(QWEN3_MODEL_DIR, '..', '..')
      env.allowRemoteModels = false
      model = await AutoModelForCausalLM.from_pretrained(QWEN3_TINY.name, { dtype: 'fp32' })
    })

    afterAll(async () => {
      await model.dispose()
    })

    /** A left-padded batch as the tokenizer would give it with padding_side 'left'. */
    function batch(rows: readonly (readonly number[])[]): { input_ids: Tensor; attention_mask: Tensor } {
      const width = Math.max(...rows.map((r) => r.length))
      const padded = (fill: (id: number) => number, pad: number): bigint[] =>
        rows.flatMap((r) => [...Array<number>(width - r.length).fill(pad), ...r.map(fill)].map(BigInt))
      const dims = [rows.length, width]
      return {
        input_ids: new Tensor('int64', BigInt64Array.from(padded((id) => id, PAD_ID)), dims),
        attention_mask: new Tensor('int64', BigInt64Array.from(padded(() => 1, 0)), dims),
      }
    }

    it('loads it and, given num_logits_to_keep, returns only the last position for a left-padded batch', async () => {
      const out = (await model({
        ...batch(pairs.map((p) => p.inputIds)),
        num_logits_to_keep: new Tensor('int64', [1n], []),
      })) as CausalLMOutput
      expect(out.logits.dims).toEqual([pairs.length, 1, vocabSize])
      const worst = maxError(yesNo(out.logits), pairs)
      console.info(`qwen3: max |transformers.js - reference| = ${worst.toExponential(2)}`)
      expect(worst).toBeLessThan(TOLERANCE)
    })

    it('computes every position when num_logits_to_keep is left out', async () => {
      const ids = pairs[3]!.inputIds.slice(-5)
      const out = (await model(batch([ids]))) as CausalLMOutput
      expect(out.logits.dims).toEqual([1, ids.length, vocabSize])
      expect(maxError(yesNo(out.logits), [qwen3ReferenceLastLogits(weights, QWEN3_TINY, ids)])).toBeLessThan(TOLERANCE)
    })
  })
})

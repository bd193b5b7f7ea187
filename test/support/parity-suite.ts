// Parity with the shared fixture's reference.jsonl: 212 real pairs whose token ids come from
// Hugging Face `tokenizers` and whose logits come from PyTorch fp32. Run in Node and Chromium.

import { expect, test } from 'vitest'
import type { Reranker, RerankerOptions } from '../../src/index'
import { loadEncoder } from '../../src/runtime'
import { groupByQuery, sigmoid, SHARED_FIXTURE, type ReferencePair } from './reference'

export interface ParityContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  /** URL prefix (browser) or folder (Node) holding `fixtures/…`. */
  localModelPath: string
  device?: RerankerOptions['device']
  loadReference: () => Promise<ReferencePair[]>
  /** Reports the measured maximum error (for the closing note). */
  report?: (line: string) => void
  /** Scores only these pairs (a slow software WebGPU adapter cannot do all 212 in time). */
  subset?: (pairs: ReferencePair[]) => ReferencePair[]
}

/** What the generated tiny model's expected.json holds (see test/models/expectations.ts). */
export interface ExpectedPair {
  query: string
  document: string
  inputIds: number[]
  tokenTypeIds: number[]
  logit: number
}

export interface TinyParityContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  localModelPath: string
  device?: RerankerOptions['device']
  loadExpected: () => Promise<ExpectedPair[]>
  report?: (line: string) => void
}

export const FP32_TOLERANCE = 1e-4

export function paritySuite(ctx: ParityContext): void {
  const source = { model: SHARED_FIXTURE, localModelPath: ctx.localModelPath, allowRemoteModels: false }

  test('token ids equal Hugging Face tokenizers on all 212 pairs (truncated and long-query pairs included)', async () => {
    const pairs = await ctx.loadReference()
    expect(pairs).toHaveLength(212)
    const { encoder } = await loadEncoder({ ...source, remoteHost: 'http://127.0.0.1:9/' })
    const mismatches: string[] = []
    for (const pair of pairs) {
      const [encoded] = encoder.encodeRequest(pair.query, [pair.document], { maxTokensPerDoc: Infinity, mode: 'truncate' })
      if (!encoded) throw new Error('no pair')
      if (JSON.stringify(encoded.inputIds) !== JSON.stringify(pair.input_ids)) mismatches.push(`${pair.id} ${pair.how} ids`)
      if (JSON.stringify(encoded.tokenTypeIds) !== JSON.stringify(pair.token_type_ids)) mismatches.push(`${pair.id} ${pair.how} types`)
    }
    expect(mismatches).toEqual([])
    expect(pairs.filter((p) => p.truncated).length).toBe(25)
  })

  test(`fp32 relevance_score = sigmoid(PyTorch logit) within 1e-4 on ${ctx.subset ? 'a subset of the' : 'all 212'} pairs, usage = reference token count`, async () => {
    const all = await ctx.loadReference()
    const pairs = ctx.subset ? ctx.subset(all) : all
    const reranker = await ctx.createReranker({ ...source, dtype: 'fp32', ...(ctx.device ? { device: ctx.device } : {}) })
    try {
      let maxError = 0
      let worst = ''
      for (const group of groupByQuery(pairs)) {
        const res = await reranker.rerank(group.query, group.pairs.map((p) => p.document))
        expect(res.usage.prompt_tokens).toBe(group.pairs.reduce((n, p) => n + p.input_ids.length, 0))
        for (const result of res.results) {
          const pair = group.pairs[result.index]!
          const error = Math.abs(result.relevance_score - sigmoid(pair.logit))
          if (error > maxError) [maxError, worst] = [error, `${pair.id} ${pair.how}`]
        }
      }
      ctx.report?.(`shared fixture fp32 on ${reranker.info.device}, ${pairs.length} pairs: max |score - sigmoid(logit)| = ${maxError.toExponential(2)} (pair ${worst})`)
      expect(maxError).toBeLessThan(FP32_TOLERANCE)
    } finally {
      await reranker.dispose()
    }
  })
}

/** Parity of the generated tiny model with the float64 reference forward pass (no onnxruntime). */
export function tinyModelParitySuite(ctx: TinyParityContext): void {
  const source = { model: 'webrerank-test/bert-tiny', localModelPath: ctx.localModelPath, allowRemoteModels: false }

  test('token ids equal Hugging Face tokenizers (Rust) on the tiny model cases', async () => {
    const expected = await ctx.loadExpected()
    const { encoder } = await loadEncoder({ ...source, remoteHost: 'http://127.0.0.1:9/' })
    for (const pair of expected) {
      const [encoded] = encoder.encodeRequest(pair.query, [pair.document], { maxTokensPerDoc: Infinity, mode: 'truncate' })
      expect(encoded!.inputIds).toEqual(pair.inputIds)
      expect(encoded!.tokenTypeIds).toEqual(pair.tokenTypeIds)
    }
  })

  test('fp32 relevance_score = sigmoid(float64 reference logit) within 1e-4', async () => {
    const expected = await ctx.loadExpected()
    const reranker = await ctx.createReranker({ ...source, dtype: 'fp32', ...(ctx.device ? { device: ctx.device } : {}) })
    try {
      const byQuery = new Map<string, ExpectedPair[]>()
      for (const pair of expected) byQuery.set(pair.query, [...(byQuery.get(pair.query) ?? []), pair])
      let maxError = 0
      for (const [query, pairs] of byQuery) {
        const res = await reranker.rerank(query, pairs.map((p) => p.document))
        expect(res.usage.prompt_tokens).toBe(pairs.reduce((n, p) => n + p.inputIds.length, 0))
        for (const result of res.results) {
          maxError = Math.max(maxError, Math.abs(result.relevance_score - sigmoid(pairs[result.index]!.logit)))
        }
      }
      ctx.report?.(`tiny model fp32 on ${reranker.info.device}, ${expected.length} pairs: max |score - sigmoid(reference logit)| = ${maxError.toExponential(2)}`)
      expect(maxError).toBeLessThan(FP32_TOLERANCE)
    } finally {
      await reranker.dispose()
    }
  })
}

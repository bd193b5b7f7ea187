// Parity with the shared fixture's reference.jsonl: 212 real pairs whose token ids come from
// Hugging Face `tokenizers` and whose logits come from PyTorch fp32. Run in Node and Chromium.

import { expect, test } from 'vitest'
import type { Reranker, RerankerOptions } from '../../src/index'
import { buildOnePair } from '../../src/encoding/inputs'
import { loadModelInputs } from '../../src/platform/transformers'
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

/** What the generated tiny model's expected.json holds. */
export type { ExpectedPair } from '../models/expectations'
import type { ExpectedPair } from '../models/expectations'

export interface TinyParityContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  /** Generated model to check (default: the tiny BERT). */
  model?: string
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
    const { builder } = await loadModelInputs({ ...source, remoteHost: 'http://127.0.0.1:9/' })
    const mismatches: string[] = []
    for (const pair of pairs) {
      const encoded = buildOnePair(builder, pair.query, pair.document)
      if (JSON.stringify(encoded.inputIds) !== JSON.stringify(pair.input_ids))
        mismatches.push(`${pair.id} ${pair.how} ids`)
      if (JSON.stringify(encoded.tokenTypeIds) !== JSON.stringify(pair.token_type_ids))
        mismatches.push(`${pair.id} ${pair.how} types`)
    }
    expect(mismatches).toEqual([])
    expect(pairs.filter((p) => p.truncated).length).toBe(25)
  })

  test(`fp32 relevance_score = sigmoid(PyTorch logit) within 1e-4 on ${ctx.subset ? 'a subset of the' : 'all 212'} pairs, usage = reference token count`, async () => {
    const all = await ctx.loadReference()
    const pairs = ctx.subset ? ctx.subset(all) : all
    const reranker = await ctx.createReranker({
      ...source,
      dtype: 'fp32',
      ...(ctx.device ? { device: ctx.device } : {}),
    })
    try {
      let maxError = 0
      let worst = ''
      for (const group of groupByQuery(pairs)) {
        const res = await reranker.rerank(
          group.query,
          group.pairs.map((p) => p.document),
        )
        expect(res.usage.prompt_tokens).toBe(group.pairs.reduce((n, p) => n + p.input_ids.length, 0))
        for (const result of res.results) {
          const pair = group.pairs[result.index]!
          const error = Math.abs(result.relevance_score - sigmoid(pair.logit))
          if (error > maxError) [maxError, worst] = [error, `${pair.id} ${pair.how}`]
        }
      }
      ctx.report?.(
        `shared fixture fp32 on ${reranker.info.device}, ${pairs.length} pairs: max |score - sigmoid(logit)| = ${maxError.toExponential(2)} (pair ${worst})`,
      )
      expect(maxError).toBeLessThan(FP32_TOLERANCE)
    } finally {
      await reranker.dispose()
    }
  })
}

/** Parity of the generated tiny model with the float64 reference forward pass (no onnxruntime). */
export function tinyModelParitySuite(ctx: TinyParityContext): void {
  const model = ctx.model ?? 'webrerank-test/bert-tiny'
  const source = { model, localModelPath: ctx.localModelPath, allowRemoteModels: false }

  test(`${model}: token ids equal Hugging Face tokenizers (Rust)`, async () => {
    const expected = await ctx.loadExpected()
    const { builder } = await loadModelInputs({ ...source, remoteHost: 'http://127.0.0.1:9/' })
    for (const pair of expected) {
      const encoded = buildOnePair(builder, pair.query, pair.document)
      expect(encoded.inputIds).toEqual(pair.inputIds)
      expect(encoded.tokenTypeIds).toEqual(pair.tokenTypeIds)
    }
  })

  test(`${model}: fp32 relevance_score = sigmoid(float64 reference logit) within 1e-4`, async () => {
    const expected = await ctx.loadExpected()
    const reranker = await ctx.createReranker({
      ...source,
      dtype: 'fp32',
      ...(ctx.device ? { device: ctx.device } : {}),
    })
    try {
      const byQuery = new Map<string, ExpectedPair[]>()
      for (const pair of expected) byQuery.set(pair.query, [...(byQuery.get(pair.query) ?? []), pair])
      let maxError = 0
      for (const [query, pairs] of byQuery) {
        const res = await reranker.rerank(
          query,
          pairs.map((p) => p.document),
        )
        expect(res.usage.prompt_tokens).toBe(pairs.reduce((n, p) => n + p.inputIds.length, 0))
        for (const result of res.results) {
          maxError = Math.max(maxError, Math.abs(result.relevance_score - sigmoid(pairs[result.index]!.logit)))
        }
      }
      ctx.report?.(
        `${model} fp32 on ${reranker.info.device}, ${expected.length} pairs: max |score - sigmoid(reference logit)| = ${maxError.toExponential(2)}`,
      )
      expect(maxError).toBeLessThan(FP32_TOLERANCE)
    } finally {
      await reranker.dispose()
    }
  })
}

/** What the generated Qwen3 reranker's expected.json holds (see test/models/qwen3.ts). */
export interface Qwen3Expected {
  yesTokenId: number
  noTokenId: number
  pairs: { query: string; document: string; instruction: string; inputIds: number[]; score: number }[]
}

export interface Qwen3ParityContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  localModelPath: string
  loadExpected: () => Promise<Qwen3Expected>
  report?: (line: string) => void
}

/** The Qwen3 LLM reranker through the public API: prompt ids and P(yes) against the float64 reference. */
export function qwen3ParitySuite(ctx: Qwen3ParityContext): void {
  const source = { model: 'webrerank-test/qwen3-tiny', localModelPath: ctx.localModelPath, allowRemoteModels: false }

  test('Qwen3 reranker: prompt token ids equal the model card prompt through Hugging Face tokenizers', async () => {
    const expected = await ctx.loadExpected()
    for (const instruction of new Set(expected.pairs.map((p) => p.instruction))) {
      const { builder, scoring: model } = await loadModelInputs(
        { ...source, remoteHost: 'http://127.0.0.1:9/' },
        { instruction },
      )
      expect(model).toEqual({ kind: 'causal-lm', yesId: expected.yesTokenId, noId: expected.noTokenId })
      for (const pair of expected.pairs.filter((p) => p.instruction === instruction)) {
        const encoded = buildOnePair(builder, pair.query, pair.document)
        expect(encoded.inputIds).toEqual(pair.inputIds)
      }
    }
  })

  test('Qwen3 reranker: fp32 relevance_score = P(yes) of the float64 reference within 1e-4 (batched, left-padded)', async () => {
    const expected = await ctx.loadExpected()
    let maxError = 0
    for (const instruction of new Set(expected.pairs.map((p) => p.instruction))) {
      const reranker = await ctx.createReranker({ ...source, dtype: 'fp32', instruction })
      try {
        expect(reranker.info.maxTokens).toBe(8192)
        const byQuery = new Map<string, Qwen3Expected['pairs']>()
        for (const p of expected.pairs.filter((x) => x.instruction === instruction))
          byQuery.set(p.query, [...(byQuery.get(p.query) ?? []), p])
        for (const [query, pairs] of byQuery) {
          const res = await reranker.rerank(
            query,
            pairs.map((p) => p.document),
          )
          expect(res.usage.prompt_tokens).toBe(pairs.reduce((n, p) => n + p.inputIds.length, 0))
          for (const r of res.results)
            maxError = Math.max(maxError, Math.abs(r.relevance_score - pairs[r.index]!.score))
        }
      } finally {
        await reranker.dispose()
      }
    }
    ctx.report?.(`webrerank-test/qwen3-tiny fp32: max |score - reference P(yes)| = ${maxError.toExponential(2)}`)
    expect(maxError).toBeLessThan(FP32_TOLERANCE)
  })
}

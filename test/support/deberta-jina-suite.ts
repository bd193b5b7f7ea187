// What the DeBERTa-v2 and JinaBERT fixtures must show beyond tinyModelParitySuite (which checks token
// ids and fp32 scores per query): one micro-batch holding pairs of very different lengths (padding,
// masks, relative positions and ALiBi under padding), and for JinaBERT pairs of 2,000+ tokens, uncut.
// Runs in Node and Chromium.

import { describe, expect, test } from 'vitest'
import type { Reranker, RerankerOptions } from '../../src/index'
import { FP32_TOLERANCE, type ExpectedPair, tinyModelParitySuite } from './parity-suite'
import { sigmoid } from './reference'

export interface FamilyExtrasContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  model: string
  localModelPath: string
  device?: RerankerOptions['device']
  loadExpected: () => Promise<ExpectedPair[]>
  /** The model's longest pair: 512 for DeBERTa, 8,192 for JinaBERT. */
  maxTokens: number
  report?: (line: string) => void
}

/** The generated fixtures: describe label, model id, longest pair. */
const FAMILIES = [
  ['DeBERTa-v2 family (mxbai-rerank v1 layout)', 'webrerank-test/deberta-tiny', 512],
  ['JinaBERT family (jina-reranker v1 layout, ALiBi)', 'webrerank-test/jina-bert-tiny', 8192],
] as const

/**
 * tinyModelParitySuite and familyExtrasSuite for both families, each family in a describe titled
 * `${platform}: <family> against its float64 reference`; `contextFor` gives the platform's loader for a model.
 */
export function debertaJinaSuites(
  platform: string,
  contextFor: (model: string) => Omit<FamilyExtrasContext, 'maxTokens' | 'report'>,
): void {
  const report = (line: string): void => {
    console.log(line)
  }
  for (const [label, model, maxTokens] of FAMILIES) {
    describe(`${platform}: ${label} against its float64 reference`, () => {
      const common = { ...contextFor(model), report }
      tinyModelParitySuite(common)
      familyExtrasSuite({ ...common, maxTokens })
    })
  }
}

export function familyExtrasSuite(ctx: FamilyExtrasContext): void {
  const source = { model: ctx.model, localModelPath: ctx.localModelPath, allowRemoteModels: false }

  test(`${ctx.model}: one padded micro-batch of short and long pairs scores like the reference (fp32, 1e-4)`, async () => {
    const expected = await ctx.loadExpected()
    // The query whose documents differ most in length: they all go into one batch below.
    const byQuery = new Map<string, ExpectedPair[]>()
    for (const p of expected) byQuery.set(p.query, [...(byQuery.get(p.query) ?? []), p])
    const spread = (ps: ExpectedPair[]): number =>
      Math.max(...ps.map((p) => p.inputIds.length)) - Math.min(...ps.map((p) => p.inputIds.length))
    const [query, pairs] = [...byQuery].sort((a, b) => spread(b[1]) - spread(a[1]))[0]!
    const longest = Math.max(...pairs.map((p) => p.inputIds.length))
    const reranker = await ctx.createReranker({
      ...source,
      dtype: 'fp32',
      ...(ctx.device ? { device: ctx.device } : {}),
      batchTokenBudget: longest * pairs.length,
      maxBatchSize: pairs.length,
    })
    try {
      expect(reranker.info.maxTokens).toBe(ctx.maxTokens)
      const batches: { tokens: number; paddedTokens: number }[] = []
      const res = await reranker.rerank(
        query,
        pairs.map((p) => p.document),
        { onBatch: (b) => batches.push({ tokens: b.tokens, paddedTokens: b.paddedTokens }) },
      )
      expect(batches).toHaveLength(1)
      expect(batches[0]!.paddedTokens).toBe(longest * pairs.length)
      expect(batches[0]!.tokens).toBeLessThan(batches[0]!.paddedTokens)
      let maxError = 0
      for (const r of res.results)
        maxError = Math.max(maxError, Math.abs(r.relevance_score - sigmoid(pairs[r.index]!.logit)))
      ctx.report?.(
        `${ctx.model} fp32 on ${reranker.info.device}, one batch of ${pairs.length} pairs (${Math.min(...pairs.map((p) => p.inputIds.length))}-${longest} tokens): max error ${maxError.toExponential(2)}`,
      )
      expect(maxError).toBeLessThan(FP32_TOLERANCE)
    } finally {
      await reranker.dispose()
    }
  })

  if (ctx.maxTokens <= 512) return

  test(`${ctx.model}: pairs of 2,000+ tokens are fed whole, and tokens past 512 change the score`, async () => {
    const expected = await ctx.loadExpected()
    const long = expected.filter((p) => p.inputIds.length > 2000)
    expect(long.length).toBeGreaterThanOrEqual(2)
    // The fixture's long documents share their first 650 tokens: the reference tells them apart only
    // through tokens far past 512, so a graph or an encoder that cut at 512 could not match both.
    expect(Math.abs(sigmoid(long[0]!.logit) - sigmoid(long[1]!.logit))).toBeGreaterThan(10 * FP32_TOLERANCE)
    const reranker = await ctx.createReranker({
      ...source,
      dtype: 'fp32',
      ...(ctx.device ? { device: ctx.device } : {}),
    })
    try {
      const res = await reranker.rerank(
        long[0]!.query,
        long.map((p) => p.document),
      )
      expect(res.usage.prompt_tokens).toBe(long.reduce((n, p) => n + p.inputIds.length, 0))
      let maxError = 0
      for (const r of res.results)
        maxError = Math.max(maxError, Math.abs(r.relevance_score - sigmoid(long[r.index]!.logit)))
      ctx.report?.(
        `${ctx.model} fp32 on ${reranker.info.device}, ${long.map((p) => p.inputIds.length).join(' and ')}-token pairs: max error ${maxError.toExponential(2)}`,
      )
      expect(maxError).toBeLessThan(FP32_TOLERANCE)
    } finally {
      await reranker.dispose()
    }
  })
}

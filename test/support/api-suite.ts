// The public-API behaviour every entry must have (response shape, validation, error bodies,
// abort), written once and run in Node (in-process engine) and in Chromium (worker engine).

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type {
  BatchProgress,
  RerankCallOptions,
  Reranker,
  RerankerOptions,
  RerankError as RerankErrorClass,
} from '../../src/index'
import { DOCS, rejection } from './fixtures'

export interface ApiSuiteContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  RerankError: typeof RerankErrorClass
  /** Options that load the small generated test model. */
  modelOptions: RerankerOptions
  /** Options that load a model folder whose ONNX file is corrupt. */
  brokenModelOptions: RerankerOptions
  /** Options that load a model that fails at inference on long inputs. */
  failingModelOptions: RerankerOptions
  /** Options whose model does not exist. */
  missingModelOptions: RerankerOptions
}

export function apiSuite(ctx: ApiSuiteContext): void {
  let reranker: Reranker

  beforeAll(async () => {
    reranker = await ctx.createReranker({ ...ctx.modelOptions, dtype: 'fp32' })
  })
  afterAll(async () => {
    await reranker.dispose()
  })

  describe('response shape', () => {
    test('has the /v1/rerank body: id, model, sorted results with index, score, document, usage', async () => {
      const res = await reranker.rerank('capital of France', DOCS)
      expect(Object.keys(res).sort()).toEqual(['id', 'model', 'results', 'usage'])
      expect(res.id).toMatch(/^rerank-[0-9a-f]{24}$/)
      expect(res.model).toBe(ctx.modelOptions.model)
      expect(res.results.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4])
      for (const r of res.results) {
        expect(Object.keys(r).sort()).toEqual(['document', 'index', 'relevance_score'])
        expect(r.relevance_score).toBeGreaterThan(0)
        expect(r.relevance_score).toBeLessThan(1)
        expect(r.document).toEqual({ text: DOCS[r.index] })
      }
      const scores = res.results.map((r) => r.relevance_score)
      expect(scores).toEqual([...scores].sort((a, b) => b - a))
      expect(new Set(scores).size).toBe(5) // random weights still separate these texts
      expect(res.usage.prompt_tokens).toBeGreaterThan(5 * 3)
      expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens)
    })

    test('ids differ between calls and scores are deterministic', async () => {
      const a = await reranker.rerank('capital of France', DOCS)
      const b = await reranker.rerank('capital of France', DOCS)
      expect(a.id).not.toBe(b.id)
      expect(b.results).toEqual(a.results)
    })

    test('a document scores the same alone and among others (batching and padding change nothing)', async () => {
      const all = await reranker.rerank('capital of France', DOCS)
      for (const [i, doc] of DOCS.entries()) {
        const alone = await reranker.rerank('capital of France', [doc])
        const inAll = all.results.find((r) => r.index === i)!
        expect(Math.abs(alone.results[0]!.relevance_score - inAll.relevance_score)).toBeLessThan(1e-5)
      }
    })

    test('topN keeps the best N, in the same order as the full ranking', async () => {
      const full = await reranker.rerank('capital of France', DOCS)
      const top2 = await reranker.rerank('capital of France', DOCS, { topN: 2 })
      expect(top2.results).toEqual(full.results.slice(0, 2))
      const tooMany = await reranker.rerank('capital of France', DOCS, { topN: 50 })
      expect(tooMany.results).toHaveLength(5)
    })

    test('returnDocuments: false leaves out document', async () => {
      const res = await reranker.rerank('capital of France', DOCS, { returnDocuments: false })
      for (const r of res.results) expect(r).not.toHaveProperty('document')
    })

    test('{ text } documents and strings give the same scores', async () => {
      const a = await reranker.rerank('capital of France', DOCS)
      const b = await reranker.rerank(
        'capital of France',
        DOCS.map((text) => ({ text })),
      )
      expect(b.results).toEqual(a.results)
    })

    test('ties keep the original order', async () => {
      const res = await reranker.rerank('capital of France', ['same text', 'other text', 'same text', 'same text'])
      const same = res.results.filter((r) => r.document?.text === 'same text').map((r) => r.index)
      expect(same).toEqual([0, 2, 3])
    })

    test('a request body is answered as is, model echoed', async () => {
      const viaArgs = await reranker.rerank('capital of France', DOCS, { topN: 3, returnDocuments: false })
      const viaBody = await reranker.rerank({
        model: ctx.modelOptions.model!,
        query: 'capital of France',
        documents: DOCS,
        top_n: 3,
        return_documents: false,
      })
      expect(viaBody.results).toEqual(viaArgs.results)
      expect(viaBody.model).toBe(ctx.modelOptions.model)
      const noModel = await reranker.rerank({ query: 'capital of France', documents: DOCS })
      expect(noModel.results).toHaveLength(5)
    })

    test('unicode, emoji, CJK and empty documents are scored, texts returned verbatim', async () => {
      const docs = [
        '東京の人口は約1400万人です。',
        '👩‍💻 developer 🇺🇸 ❤️',
        '',
        'Crème brûlée — naïve façade',
        '𠮷野家 and ΟΔΟΣ',
      ]
      const res = await reranker.rerank('人口 population 😀', docs)
      expect(res.results).toHaveLength(5)
      for (const r of res.results) {
        expect(Number.isFinite(r.relevance_score)).toBe(true)
        expect(r.document!.text).toBe(docs[r.index])
      }
    })

    test('a query and a document longer than the model maximum are truncated, not rejected', async () => {
      const long = Array.from({ length: 700 }, (_, i) => `word${i % 50}`).join(' ')
      const res = await reranker.rerank(long, [long, 'short document'])
      expect(res.results).toHaveLength(2)
      for (const r of res.results) expect(Number.isFinite(r.relevance_score)).toBe(true)
      expect(reranker.info.maxTokens).toBe(512)
      // Each pair is cut to at most maxTokens; the long pair to exactly that.
      expect(res.usage.prompt_tokens).toBeLessThanOrEqual(2 * 512)
      expect(res.usage.prompt_tokens).toBeGreaterThan(512)
    })

    test('100 documents are accepted, 101 are not', async () => {
      const docs = Array.from({ length: 100 }, (_, i) => `document number ${i}`)
      const res = await reranker.rerank('number', docs)
      expect(res.results).toHaveLength(100)
      const err = await rejection(ctx, () => reranker.rerank('number', [...docs, 'one more']))
      expect(err.toJSON()).toEqual({
        error: {
          message: 'webrerank: Too many documents. Maximum is 100.',
          type: 'invalid_request_error',
          code: 'too_many_documents',
        },
      })
    })
  })

  describe('progress, latency budget, warm-up', () => {
    const many = Array.from({ length: 40 }, (_, i) => `${'passage text '.repeat(1 + (i % 9) * 6)} number ${i}`)

    test('onBatch reports every micro-batch, across the worker boundary', async () => {
      const r = await ctx.createReranker({
        ...ctx.modelOptions,
        dtype: 'fp32',
        maxBatchSize: 8,
        batchTokenBudget: 100_000,
      })
      try {
        expect(r.info.maxBatchSize).toBe(8)
        const events: BatchProgress[] = []
        const res = await r.rerank('passage', many, { onBatch: (p) => events.push(p) })
        expect(events.length).toBe(5)
        expect(events.map((e) => e.done)).toEqual([8, 16, 24, 32, 40])
        expect(events.every((e) => e.total === 40 && e.batches === 5 && e.scores.length <= 8)).toBe(true)
        expect(events.reduce((n, e) => n + e.tokens, 0)).toBe(res.usage.prompt_tokens)
        for (const e of events) expect(e.paddedTokens).toBeGreaterThanOrEqual(e.tokens)
        const byIndex = new Map(res.results.map((x) => [x.index, x.relevance_score]))
        for (const e of events) for (const s of e.scores) expect(s.relevance_score).toBe(byIndex.get(s.index))
      } finally {
        await r.dispose()
      }
    })

    test('budgetMs: a tiny budget scores only the first document (incoming order) and returns the rest after it', async () => {
      const r = await ctx.createReranker({ ...ctx.modelOptions, dtype: 'fp32', maxBatchSize: 4 })
      try {
        const res = await r.rerank('passage', many, { budgetMs: 0.001 })
        expect(res.results).toHaveLength(40)
        const reranked = res.results.filter((x) => x.reranked)
        const rest = res.results.filter((x) => !x.reranked)
        // The first batch always runs; it is the first incoming document alone.
        expect(reranked.map((x) => x.index)).toEqual([0])
        expect(res.results[0]).toEqual(reranked[0])
        expect(rest.map((x) => x.index)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1))
        expect(rest.every((x) => x.relevance_score === 0)).toBe(true)
        expect(res.usage.prompt_tokens).toBeLessThan((await r.rerank('passage', many)).usage.prompt_tokens)
      } finally {
        await r.dispose()
      }
    })

    test('budgetMs: an ample budget scores everything, as without a budget', async () => {
      const full = await reranker.rerank('passage', many)
      const budgeted = await reranker.rerank('passage', many, { budgetMs: 600_000 })
      expect(budgeted.results.every((x) => x.reranked === true)).toBe(true)
      expect(budgeted.results.map(({ index, relevance_score }) => ({ index, relevance_score }))).toEqual(
        full.results.map(({ index, relevance_score }) => ({ index, relevance_score })),
      )
      const err = await rejection(ctx, () => reranker.rerank('q', DOCS, { budgetMs: -5 }))
      expect(err.code).toBe('invalid_request')
    })

    test('warmup() resolves with the time it took', async () => {
      const ms = await reranker.warmup()
      expect(ms).toBeGreaterThan(0)
      expect(ms).toBeLessThan(60_000)
    })
  })

  describe('errors', () => {
    test('empty_query', async () => {
      for (const query of ['', '   ']) {
        const err = await rejection(ctx, () => reranker.rerank(query, DOCS))
        expect(JSON.parse(JSON.stringify(err))).toEqual({
          error: {
            message: 'webrerank: query must be a non-empty string.',
            type: 'invalid_request_error',
            code: 'empty_query',
          },
        })
      }
    })

    test('invalid_documents', async () => {
      const cases: unknown[] = [[], 'not an array', [42], [{ title: 'no text' }], [null]]
      for (const documents of cases) {
        const err = await rejection(ctx, () => reranker.rerank('q', documents as string[]))
        expect(err.code).toBe('invalid_documents')
        expect(err.type).toBe('invalid_request_error')
      }
      const err = await rejection(ctx, () => reranker.rerank('q', ['fine', 7 as unknown as string]))
      expect(err.toJSON().error.message).toBe(
        'webrerank: documents[1] must be a string or an object with a string "text" field.',
      )
    })

    test('invalid_top_n', async () => {
      for (const topN of [0, -1, 1.5]) {
        const err = await rejection(ctx, () => reranker.rerank('q', DOCS, { topN }))
        expect(err.toJSON()).toEqual({
          error: {
            message: `webrerank: topN must be a positive integer (got ${topN}).`,
            type: 'invalid_request_error',
            code: 'invalid_top_n',
          },
        })
      }
      // The body form names the field as the body spells it.
      const err = await rejection(ctx, () => reranker.rerank({ query: 'q', documents: DOCS, top_n: 0 }))
      expect(err.message).toBe('webrerank: top_n must be a positive integer (got 0).')
    })

    test('a body naming another model is refused with model_not_found', async () => {
      const err = await rejection(ctx, () => reranker.rerank({ model: 'other/model', query: 'q', documents: DOCS }))
      expect(err.code).toBe('model_not_found')
    })

    test('model_not_found', async () => {
      const err = await rejection(ctx, () => ctx.createReranker(ctx.missingModelOptions))
      expect(err.code).toBe('model_not_found')
      expect(err.type).toBe('invalid_request_error')
      expect(err.message).toContain(ctx.missingModelOptions.model!)
    })

    test('model_not_found for an unknown bare name, with registry suggestions', async () => {
      const err = await rejection(ctx, () => ctx.createReranker({ model: 'bge-rerankr' }))
      expect(err.code).toBe('model_not_found')
      expect(err.message).toContain('did you mean "bge-reranker')
    })

    test('model_load_failed', async () => {
      const err = await rejection(ctx, () => ctx.createReranker(ctx.brokenModelOptions))
      expect(err.toJSON().error.code).toBe('model_load_failed')
      expect(err.toJSON().error.type).toBe('server_error')
    })

    test('inference_failed', async () => {
      const failing = await ctx.createReranker(ctx.failingModelOptions)
      try {
        const ok = await failing.rerank('short', ['short document'])
        expect(ok.results).toHaveLength(1)
        const long = Array.from({ length: 100 }, () => 'word').join(' ')
        const err = await rejection(ctx, () => failing.rerank('short', [long]))
        expect(err.code).toBe('inference_failed')
        expect(err.toJSON().error.type).toBe('server_error')
        // One failed inference does not break the reranker: the next call runs.
        const after = await failing.rerank('short', ['short document'])
        expect(after.results[0]!.relevance_score).toBe(ok.results[0]!.relevance_score)
      } finally {
        await failing.dispose()
      }
    })

    test('aborted: before the call and while it runs', async () => {
      const pre = new AbortController()
      pre.abort()
      const err1 = await rejection(ctx, () => reranker.rerank('q', DOCS, { signal: pre.signal }))
      expect(err1.name).toBe('AbortError')
      expect(err1.toJSON()).toEqual({
        error: { message: 'webrerank: the rerank call was aborted.', type: 'abort_error', code: 'aborted' },
      })

      const docs = Array.from({ length: 100 }, (_, i) => `${'long text '.repeat(40)} ${i}`)
      const during = new AbortController()
      const call = reranker.rerank('q', docs, { signal: during.signal })
      during.abort() // the call is already on its way to the engine
      const err2 = await rejection(ctx, () => call)
      expect(err2.name).toBe('AbortError')
      expect(err2.code).toBe('aborted')
      // The reranker still works after an abort.
      const after = await reranker.rerank('q', DOCS)
      expect(after.results).toHaveLength(5)
    })

    test('a misspelt call option is refused, naming the right one', async () => {
      const badCall = { top_n: 1 } as unknown as RerankCallOptions
      const err = await rejection(ctx, () => reranker.rerank('q', DOCS, badCall))
      expect(err.code).toBe('invalid_request')
      expect(err.message).toMatch(/unknown call option "top_n" \(did you mean "topN"\?\)/)
    })

    test('invalid options are refused before any loading', async () => {
      const err = await rejection(ctx, () => ctx.createReranker({ ...ctx.modelOptions, device: 'tpu' as 'auto' }))
      expect(err.code).toBe('invalid_request')
    })

    test('disposed', async () => {
      const r = await ctx.createReranker(ctx.modelOptions)
      await r.dispose()
      const err = await rejection(ctx, () => r.rerank('q', DOCS))
      expect(err.code).toBe('disposed')
    })
  })
}

/** Options and argument checks that need no model load, the same in every entry. */
export function optionChecksSuite(ctx: ApiSuiteContext): void {
  describe('createReranker refuses bad options with invalid_request, naming them', () => {
    const cases: [string, unknown, RegExp][] = [
      ['null', null, /options must be an object/],
      ['a model name instead of options', 'some/model', /pass \{ model: "some\/model" \}/],
      ['a misspelt option', { modle: 'x' }, /unknown option "modle" \(did you mean "model"\?\)/],
      ['onProgress that is not a function', { onProgress: 5 }, /onProgress must be a function/],
      ['wasmPaths of the wrong type', { wasmPaths: 5 }, /wasmPaths must be a URL prefix/],
      ['a worker that is not one', { worker: {} }, /worker must be a Worker/],
      ['maxTokens too small to hold a pair', { maxTokens: 3 }, /maxTokens must be at least 16/],
    ]
    test.each(cases)('%s', async (_, options, message) => {
      const err = await rejection(ctx, () => ctx.createReranker(options as RerankerOptions))
      expect(err.code).toBe('invalid_request')
      expect(err.message).toMatch(message)
      expect(err.message).toMatch(/^webrerank: /)
    })
  })

  test('allowRemoteModels false with no localModelPath: model_not_found (nowhere to load from)', async () => {
    const err = await rejection(ctx, () => ctx.createReranker({ model: 'someone/model', allowRemoteModels: false }))
    expect(err.code).toBe('model_not_found')
    expect(err.message).toContain('nowhere to load')
  })

  test("maxTokens above the model's own limit is capped to it", async () => {
    const reranker = await ctx.createReranker({ ...ctx.modelOptions, maxTokens: 99_999 })
    try {
      expect(reranker.info.maxTokens).toBe(512)
      const long = Array.from({ length: 2000 }, () => 'word').join(' ')
      expect((await reranker.rerank('q', [long])).usage.prompt_tokens).toBe(512)
      // A request body takes its fields in the body: a stray call option is refused, not ignored.
      const err = await rejection(ctx, () => reranker.rerank({ query: 'q', documents: ['a'] }, { topN: 1 } as never))
      expect(err.code).toBe('invalid_request')
      expect(err.message).toContain("not topN (the body's top_n)")
    } finally {
      await reranker.dispose()
    }
  })
}

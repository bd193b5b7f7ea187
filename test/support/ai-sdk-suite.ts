// rerank() from `ai` with the webrerank provider, written once and run in Node (in-process engine)
// and in Chromium (worker engine): the ranking must be exactly what reranker.rerank gives.

import { AISDKError, InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider'
import { createProviderRegistry, rerank } from 'ai'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createWebrerank, type CreateReranker, type QueryReranker } from '../../src/ai-sdk/index'
import type { Reranker, RerankerOptions, RerankError as RerankErrorClass } from '../../src/index'
import { DOCS, QUERY, rejection } from './fixtures'

export interface AiSdkSuiteContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  RerankError: typeof RerankErrorClass
  /** Options that load the small generated test model. */
  modelOptions: RerankerOptions & { model: string }
  /** Options whose model does not exist. */
  missingModelOptions: RerankerOptions & { model: string }
}

export function aiSdkSuite(ctx: AiSdkSuiteContext): void {
  let reranker: Reranker
  /** The reranker, counting its rerank calls. */
  let calls = 0
  const counted: QueryReranker = {
    rerank: (query, documents, options) => {
      calls++
      return reranker.rerank(query, documents, options)
    },
  }
  /** createReranker options the provider asked for, one entry per creation. */
  let created: RerankerOptions[] = []
  const create: CreateReranker = (options) => {
    created.push(options)
    return Promise.resolve(counted)
  }
  const { model, ...rerankerOptions } = ctx.modelOptions
  const webrerank = createWebrerank({ createReranker: create, rerankerOptions: { ...rerankerOptions, dtype: 'fp32' } })

  beforeAll(async () => {
    reranker = await ctx.createReranker({ ...ctx.modelOptions, dtype: 'fp32' })
  })
  afterAll(async () => {
    await reranker.dispose()
  })

  describe('rerank() from ai', () => {
    test('ranks like reranker.rerank (same order, same scores); one reranker per model id', async () => {
      created = []
      const want = await reranker.rerank(QUERY, DOCS)
      const first = await rerank({ model: webrerank.reranking(model), query: QUERY, documents: DOCS })
      const second = await rerank({ model: webrerank.rerankingModel(model), query: QUERY, documents: DOCS })
      for (const got of [first, second]) {
        expect(got.ranking).toEqual(
          want.results.map((r) => ({ originalIndex: r.index, score: r.relevance_score, document: DOCS[r.index] })),
        )
        expect(got.response.modelId).toBe(model)
        expect(got.response.id).toMatch(/^rerank-[0-9a-f]{24}$/)
        expect(got.providerMetadata).toEqual({ webrerank: { promptTokens: want.usage.prompt_tokens } })
      }
      expect(new Set(first.ranking.map((r) => r.score)).size).toBe(DOCS.length)
      expect(created).toEqual([{ ...rerankerOptions, dtype: 'fp32', model }])
    })

    test('topN returns the best topN, as reranker.rerank does', async () => {
      const want = await reranker.rerank(QUERY, DOCS, { topN: 2 })
      const got = await rerank({ model: webrerank.reranking(model), query: QUERY, documents: DOCS, topN: 2 })
      expect(got.ranking.map((r) => [r.originalIndex, r.score])).toEqual(
        want.results.map((r) => [r.index, r.relevance_score]),
      )
      expect(got.rerankedDocuments).toEqual(want.results.map((r) => DOCS[r.index]))
    })

    test('object documents rank on their text field, else their JSON, or on documentText', async () => {
      const plain = await reranker.rerank(QUERY, DOCS)
      const scoresOf = (ranking: { originalIndex: number; score: number }[]) =>
        ranking.map((r) => [r.originalIndex, r.score])
      const withText = DOCS.map((text, id) => ({ text, id }))
      const a = await rerank({ model: webrerank.reranking(model), query: QUERY, documents: withText })
      expect(scoresOf(a.ranking)).toEqual(plain.results.map((r) => [r.index, r.relevance_score]))
      expect(a.rerankedDocuments).toEqual(plain.results.map((r) => withText[r.index]))

      const titled = DOCS.map((title, id) => ({ title, id }))
      const json = await reranker.rerank(
        QUERY,
        titled.map((d) => JSON.stringify(d)),
      )
      const b = await rerank({ model: webrerank.reranking(model), query: QUERY, documents: titled })
      expect(scoresOf(b.ranking)).toEqual(json.results.map((r) => [r.index, r.relevance_score]))
      expect(json.results.map((r) => r.relevance_score)).not.toEqual(plain.results.map((r) => r.relevance_score))

      const custom = webrerank.reranking(model, { documentText: (d) => d.title as string })
      const c = await rerank({ model: custom, query: QUERY, documents: titled })
      expect(scoresOf(c.ranking)).toEqual(plain.results.map((r) => [r.index, r.relevance_score]))
    })

    test('a reranker passed in serves as the model, named by its info.model', async () => {
      const own = webrerank.reranking(reranker)
      expect(own.modelId).toBe(model)
      const got = await rerank({ model: own, query: QUERY, documents: DOCS, topN: 1 })
      expect(got.ranking[0]!.score).toBe((await reranker.rerank(QUERY, DOCS)).results[0]!.relevance_score)
    })

    test('works through createProviderRegistry (ProviderV4)', async () => {
      const registry = createProviderRegistry({ webrerank })
      const got = await rerank({ model: registry.rerankingModel(`webrerank:${model}`), query: QUERY, documents: DOCS })
      const want = await reranker.rerank(QUERY, DOCS)
      expect(got.ranking.map((r) => r.score)).toEqual(want.results.map((r) => r.relevance_score))
      expect(() => registry.languageModel(`webrerank:${model}`)).toThrow(/serves reranking models only/)
    })
  })

  describe('abort', () => {
    test('an aborted signal rejects with AbortError (code aborted), not retried', async () => {
      const controller = new AbortController()
      controller.abort()
      const before = calls
      const err = await rejection(ctx, () =>
        rerank({ model: webrerank.reranking(model), query: QUERY, documents: DOCS, abortSignal: controller.signal }),
      )
      expect(err.name).toBe('AbortError')
      expect(err.code).toBe('aborted')
      expect(calls).toBe(before)
    })

    test('aborting while the model loads rejects at once; the load carries on for later calls', async () => {
      let resolveLoad: ((reranker: QueryReranker) => void) | undefined
      let loads = 0
      const slow = createWebrerank({
        createReranker: () => {
          loads++
          return new Promise((resolve) => {
            resolveLoad = resolve
          })
        },
      })
      const controller = new AbortController()
      const pending = rerank({
        model: slow.reranking(model),
        query: QUERY,
        documents: DOCS,
        abortSignal: controller.signal,
      })
      const settled = rejection(ctx, () => pending)
      setTimeout(() => {
        controller.abort()
      }, 10)
      expect((await settled).code).toBe('aborted')
      resolveLoad!(counted)
      const got = await rerank({ model: slow.reranking(model), query: QUERY, documents: DOCS })
      expect(got.ranking).toHaveLength(DOCS.length)
      expect(loads).toBe(1)
    })
  })

  describe('errors', () => {
    test('bad input: the RerankError as an AI SDK InvalidArgumentError, with its code and message, not retried', async () => {
      const before = calls
      const err = await rejection(ctx, () => rerank({ model: webrerank.reranking(model), query: ' ', documents: DOCS }))
      expect(err.code).toBe('empty_query')
      expect(err.message).toBe('webrerank: query must be a non-empty string.')
      expect(AISDKError.isInstance(err)).toBe(true)
      expect(InvalidArgumentError.isInstance(err)).toBe(true)
      expect((err as unknown as InvalidArgumentError).argument).toBe('query')
      expect(NoSuchModelError.isInstance(err)).toBe(false)
      expect(calls).toBe(before + 1)

      const topN = await rejection(ctx, () =>
        rerank({ model: webrerank.reranking(model), query: QUERY, documents: DOCS, topN: 0 }),
      )
      expect(topN.code).toBe('invalid_top_n')
      expect((topN as unknown as InvalidArgumentError).argument).toBe('topN')
    })

    test('a missing model: NoSuchModelError with the model id; the next call tries to load again', async () => {
      let loads = 0
      const { model: missing, ...missingOptions } = ctx.missingModelOptions
      const real = createWebrerank({
        createReranker: (options) => (loads++, ctx.createReranker(options)),
        rerankerOptions: missingOptions,
      })
      for (const attempt of [1, 2]) {
        const err = await rejection(ctx, () =>
          rerank({ model: real.reranking(missing), query: QUERY, documents: DOCS }),
        )
        expect(err.code).toBe('model_not_found')
        expect(NoSuchModelError.isInstance(err)).toBe(true)
        expect((err as unknown as NoSuchModelError).modelId).toBe(missing)
        expect((err as unknown as NoSuchModelError).modelType).toBe('rerankingModel')
        expect(loads).toBe(attempt)
      }
    })

    test('ProviderV4 model kinds other than reranking throw NoSuchModelError', () => {
      for (const kind of ['languageModel', 'embeddingModel', 'imageModel'] as const) {
        let thrown: unknown
        try {
          webrerank[kind]('x')
        } catch (err) {
          thrown = err
        }
        expect(thrown).toBeInstanceOf(ctx.RerankError)
        expect(NoSuchModelError.isInstance(thrown)).toBe(true)
        expect((thrown as NoSuchModelError).modelType).toBe(kind)
      }
    })
  })
}

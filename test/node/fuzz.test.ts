// Hostile input, property-based (fast-check): whatever a caller passes to the public API, in
// either call form, the call settles with a correct response or a documented RerankError —
// never another exception, a hang or a wrong-shaped result. Then 1,000 concurrent calls with
// random aborts, each equal to the same call made alone.

import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createReranker, RerankError, type Reranker, type RerankResponse } from '../../src/node'
import { testModelOptions } from '../support/tiny-model'

const { modelOptions } = testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/')
/** README, "Errors": the codes bad input may produce. */
const INPUT_CODES = [
  'empty_query',
  'too_many_documents',
  'invalid_documents',
  'invalid_top_n',
  'invalid_request',
  'model_not_found',
]

let reranker: Reranker
beforeAll(async () => {
  reranker = await createReranker({ ...modelOptions, dtype: 'fp32', maxDocuments: 20 })
})
afterAll(() => reranker.dispose())

/** A correct response for `n` documents and `topN`: each index once, sorted, finite scores in 0..1. */
function expectValid(res: RerankResponse, n: number, topN: number | undefined, returnDocuments: boolean): void {
  expect(res.results).toHaveLength(topN === undefined ? n : Math.min(topN, n))
  expect(new Set(res.results.map((r) => r.index)).size).toBe(res.results.length)
  for (const [i, r] of res.results.entries()) {
    expect(Number.isInteger(r.index) && r.index >= 0 && r.index < n).toBe(true)
    expect(Number.isFinite(r.relevance_score) && r.relevance_score >= 0 && r.relevance_score <= 1).toBe(true)
    if (i > 0) expect(r.relevance_score).toBeLessThanOrEqual(res.results[i - 1]!.relevance_score)
    expect('document' in r).toBe(returnDocuments)
  }
  expect(Number.isInteger(res.usage.prompt_tokens)).toBe(true)
}

/** Awaits `call`, which must resolve (checked by `check`) or reject with a documented input error. */
async function settles(call: () => Promise<RerankResponse>, check: (res: RerankResponse) => void): Promise<void> {
  let res: RerankResponse
  try {
    res = await call()
  } catch (err) {
    expect(err).toBeInstanceOf(RerankError)
    expect(INPUT_CODES).toContain((err as RerankError).code)
    expect((err as RerankError).message).toMatch(/^webrerank: /)
    return
  }
  resolved++
  check(res)
}
let resolved = 0

// Strings with the characters that break naive code: lone surrogates, NUL, RTL marks, emoji.
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', 'a\uDC00b', '\u202Eabc', '👩‍👩‍👧', '__proto__', 'constructor', '[SEP]'),
)
/** Mostly valid values, sometimes hostile ones: so both outcomes are exercised often. */
const mostly = <T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: hostile, weight: 1 })
const document = mostly(fc.oneof(nastyString, fc.record({ text: nastyString })), fc.anything())
const numberish = (valid: fc.Arbitrary<number>): fc.Arbitrary<unknown> =>
  mostly(
    fc.oneof(valid, fc.constant(null)),
    fc.oneof(
      fc.integer({ min: -5, max: 0 }),
      fc.double(),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -0, 2.5),
      fc.anything(),
    ),
  )
const callOptions = fc.option(
  fc.record(
    {
      topN: numberish(fc.integer({ min: 1, max: 30 })),
      returnDocuments: mostly(fc.boolean(), fc.anything()),
      budgetMs: numberish(fc.integer({ min: 1, max: 10_000 })),
      maxTokensPerDoc: numberish(fc.integer({ min: 1, max: 600 })),
      longDocuments: mostly(fc.constantFrom('truncate', 'chunk'), fc.anything()),
      signal: mostly(fc.constant(undefined), fc.anything()),
      onBatch: mostly(fc.constant(undefined), fc.anything()),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
)

describe('hostile input (fast-check)', () => {
  test('rerank(query, documents, options) with any values: a valid response or a documented code', async () => {
    await fc.assert(
      fc.asyncProperty(
        mostly(nastyString, fc.anything()),
        mostly(fc.array(document, { maxLength: 25 }), fc.anything()),
        callOptions,
        async (query, documents, options) => {
          await settles(
            () => reranker.rerank(query as string, documents as string[], options as never),
            (res) => {
              const o = (options ?? {}) as { topN?: number | null; returnDocuments?: boolean | null }
              expectValid(res, (documents as unknown[]).length, o.topN ?? undefined, o.returnDocuments ?? true)
              // budgetMs: documents past the budget follow with score 0 and reranked: false.
            },
          )
        },
      ),
      { numRuns: 400 },
    )
    // Both outcomes are exercised: valid calls as well as refused ones.
    expect(resolved).toBeGreaterThan(40)
    expect(resolved).toBeLessThan(360)
  })

  test('a request body of any JSON (prototype keys included): a valid response or a documented code', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          model: fc.oneof(fc.constant(modelOptions.model), fc.constant(null), fc.jsonValue()),
          query: fc.oneof(nastyString, fc.jsonValue()),
          documents: fc.oneof(
            fc.array(fc.oneof(nastyString, fc.record({ text: nastyString })), { maxLength: 25 }),
            fc.jsonValue(),
          ),
          top_n: fc.oneof(fc.integer({ min: -2, max: 30 }), fc.constant(null), fc.jsonValue()),
          return_documents: fc.oneof(fc.boolean(), fc.constant(null), fc.jsonValue()),
          max_tokens_per_doc: fc.oneof(fc.integer({ min: -2, max: 600 }), fc.constant(null), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    )
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('{"__proto__":{"polluted":1},', '{"constructor":{"prototype":{}},', '{'),
        async (value, prefix) => {
          // Through JSON, as a server would hand it over: "__proto__" becomes an own key.
          const text = JSON.stringify(value)
          const parsed: unknown = text.startsWith('{') && text !== '{}' ? JSON.parse(prefix + text.slice(1)) : value
          await settles(
            () => reranker.rerank(parsed as never),
            (res) => {
              const b = parsed as { documents: unknown[]; top_n?: number | null; return_documents?: boolean | null }
              expectValid(res, b.documents.length, b.top_n ?? undefined, b.return_documents ?? true)
            },
          )
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        },
      ),
      { numRuns: 400 },
    )
    expect(resolved).toBeGreaterThan(40)
  })

  test('edge documents: 10 MB of text, lone surrogates, NUL bytes, 20 identical documents', async () => {
    const big = 'word '.repeat(2_000_000)
    const t0 = performance.now()
    const res = await reranker.rerank('query', [big, 'a\uD800b\uDFFF', 'nul\u0000byte'])
    expect(performance.now() - t0).toBeLessThan(5000) // only the first maxTokensPerDoc tokens are tokenized
    expectValid(res, 3, undefined, true)
    const same = await reranker.rerank(
      'query',
      Array.from({ length: 20 }, () => 'the same document'),
    )
    expectValid(same, 20, undefined, true)
    expect(new Set(same.results.map((r) => r.relevance_score)).size).toBe(1)
    // Ties keep the incoming order.
    expect(same.results.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, i) => i))
  })
})

describe('1,000 concurrent calls', () => {
  test('with random queries, documents, topN, returnDocuments and aborts: all settle, each equals the call alone', async () => {
    const words = ['water', 'boils', 'ice', 'paris', 'capital', 'plants', 'food', 'light', 'energy', 'cell']
    const calls = fc.sample(
      fc.record({
        query: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
        documents: fc.array(
          fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 12 }).map((w) => w.join(' ')),
          { minLength: 1, maxLength: 8 },
        ),
        topN: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        returnDocuments: fc.boolean(),
        abortAfterMs: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined, freq: 4 }),
      }),
      { numRuns: 1000, seed: 42 },
    )
    const outcomes = await Promise.allSettled(
      calls.map(({ query, documents, topN, returnDocuments, abortAfterMs }) => {
        const controller = new AbortController()
        if (abortAfterMs !== undefined)
          setTimeout(() => {
            controller.abort()
          }, abortAfterMs)
        return reranker.rerank(query, documents, {
          returnDocuments,
          signal: controller.signal,
          ...(topN === undefined ? {} : { topN }),
        })
      }),
    )
    let aborted = 0
    for (const [i, outcome] of outcomes.entries()) {
      const call = calls[i]!
      if (outcome.status === 'rejected') {
        expect(call.abortAfterMs).toBeDefined()
        expect((outcome.reason as RerankError).code).toBe('aborted')
        aborted++
        continue
      }
      expectValid(outcome.value, call.documents.length, call.topN, call.returnDocuments)
      if (i % 10 === 0) {
        // The same call alone gives the same ranking and scores.
        const alone = await reranker.rerank(call.query, call.documents, {
          returnDocuments: call.returnDocuments,
          ...(call.topN === undefined ? {} : { topN: call.topN }),
        })
        expect(alone.results).toEqual(outcome.value.results)
      }
    }
    expect(aborted).toBeGreaterThan(0)
    expect(aborted).toBeLessThan(calls.length)
  })
})

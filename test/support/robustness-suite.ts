// Never wrong, never stuck (issue 11), run in Node (in-process engine) and in Chromium (worker):
// a score depends only on its query and document, non-finite outputs never become a ranking,
// calls run first come first served and always settle, and a callback's own error comes back.

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Reranker, RerankerOptions, RerankError as RerankErrorClass } from '../../src/index'
import { faultDuringCall } from './in-flight'

export interface RobustnessContext {
  createReranker: (options?: RerankerOptions) => Promise<Reranker>
  RerankError: typeof RerankErrorClass
  modelOptions: RerankerOptions
  nanModelOptions: RerankerOptions
}

const TARGET = 'Water boils at 100 degrees Celsius at sea level.'
const OTHERS = [
  'Ice melts at zero degrees.',
  'The boiling point of a liquid depends on the pressure around it.',
  'Mount Everest is the highest mountain above sea level.',
  'Steam is water in its gaseous state, produced when water is heated past its boiling point at a given pressure.',
  'Salt raises the boiling point of water slightly.',
  'A kettle switches off when the water inside it boils.',
  'Paris is the capital of France.',
  'At high altitude water boils at a lower temperature because the air pressure is lower, which is why cooking pasta on a mountain takes longer than at the coast.',
  'The Celsius scale sets the freezing point of water at zero.',
  'Pressure cookers raise the boiling point to cook food faster.',
  'Boiling is a phase transition from liquid to gas.',
  'Evaporation happens at any temperature, boiling only at the boiling point.',
  'The kelvin is the SI unit of temperature.',
  'Fahrenheit puts the boiling point of water at 212 degrees.',
  'Heat is transferred by conduction, convection and radiation.',
]
const QUERY = 'what is the boiling point of water'

class CallbackError extends Error {
  readonly detail = 42
}

export function robustnessSuite(ctx: RobustnessContext): void {
  describe.each(['q8', 'fp32'] as const)('batch-independent scores (%s)', (dtype) => {
    let reranker: Reranker
    beforeAll(async () => {
      reranker = await ctx.createReranker({ ...ctx.modelOptions, dtype })
    })
    afterAll(() => reranker.dispose())

    test('a document scores the same alone, beside one other, among 16, and in any order (within 1e-6)', async () => {
      const score = async (docs: string[]): Promise<number> =>
        (await reranker.rerank(QUERY, docs)).results.find((r) => docs[r.index] === TARGET)!.relevance_score
      const alone = await score([TARGET])
      const variants = [
        [TARGET, OTHERS[0]!],
        [TARGET, ...OTHERS],
        [...OTHERS.slice(7), TARGET, ...OTHERS.slice(0, 7)],
        [...OTHERS].reverse().concat(TARGET),
      ]
      for (const docs of variants) expect(Math.abs((await score(docs)) - alone)).toBeLessThan(1e-6)
    })

    test('every document of a 16-document call scores as it does alone', async () => {
      const docs = [TARGET, ...OTHERS]
      const together = await reranker.rerank(QUERY, docs)
      for (const r of together.results) {
        const [alone] = (await reranker.rerank(QUERY, [docs[r.index]!])).results
        expect(Math.abs(r.relevance_score - alone!.relevance_score)).toBeLessThan(1e-6)
      }
    })
  })

  describe('calls', () => {
    let reranker: Reranker
    beforeAll(async () => {
      reranker = await ctx.createReranker({ ...ctx.modelOptions, dtype: 'fp32', maxBatchSize: 2 })
    })
    afterAll(() => reranker.dispose())

    test('run first come, first served: batches of two calls never interleave', async () => {
      const log: string[] = []
      const docs = [TARGET, ...OTHERS]
      await Promise.all(
        ['a', 'b', 'c'].map((name) =>
          reranker.rerank(QUERY, docs, { onBatch: (p) => void log.push(`${name}${p.batch}`) }),
        ),
      )
      const batches = Math.ceil(docs.length / 2)
      const expected = ['a', 'b', 'c'].flatMap((name) => Array.from({ length: batches }, (_, i) => `${name}${i}`))
      expect(log).toEqual(expected)
    })

    test('a queued call aborted before it starts rejects at once and never runs', async () => {
      const controller = new AbortController()
      let queuedBatches = 0
      const first = reranker.rerank(QUERY, [TARGET, ...OTHERS])
      const queued = reranker.rerank(QUERY, [TARGET, ...OTHERS], {
        signal: controller.signal,
        onBatch: () => {
          queuedBatches++
        },
      })
      controller.abort()
      const err = (await queued.catch((e: unknown) => e)) as RerankErrorClass
      expect(err.code).toBe('aborted')
      await first
      expect(queuedBatches).toBe(0)
    })

    test("an error thrown by the caller's onBatch rejects the call with that same error (class kept)", async () => {
      const err = await reranker
        .rerank(QUERY, [TARGET, ...OTHERS], {
          onBatch: () => {
            throw new CallbackError('stop here')
          },
        })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CallbackError)
      expect((err as CallbackError).message).toBe('stop here')
      expect((err as CallbackError).detail).toBe(42)
    })
  })

  test('dispose() while a call runs: the call rejects at once with disposed; later calls too', async () => {
    const reranker = await ctx.createReranker({ ...ctx.modelOptions, dtype: 'fp32', maxBatchSize: 1 })
    const docs = Array.from({ length: 100 }, (_, i) => `${OTHERS[i % OTHERS.length]!} (${i})`)
    const { error, settledMs } = await faultDuringCall(reranker, QUERY, docs, () => reranker.dispose())
    const err = error as RerankErrorClass
    console.log(`dispose during a call: rejected with disposed after ${settledMs.toFixed(0)} ms`)
    expect(err).toBeInstanceOf(ctx.RerankError)
    expect(err.code).toBe('disposed')
    expect(settledMs).toBeLessThan(1000)
    const later = (await reranker.rerank(QUERY, [TARGET]).catch((e: unknown) => e)) as RerankErrorClass
    expect(later.code).toBe('disposed')
  })

  test('non-finite model outputs never become a ranking: inference_failed', async () => {
    const reranker = await ctx.createReranker(ctx.nanModelOptions)
    try {
      const err = (await reranker.rerank(QUERY, [TARGET, ...OTHERS]).catch((e: unknown) => e)) as RerankErrorClass
      expect(err).toBeInstanceOf(ctx.RerankError)
      expect(err.code).toBe('inference_failed')
      expect(err.message).toMatch(/non-finite score/)
    } finally {
      await reranker.dispose()
    }
  })
}

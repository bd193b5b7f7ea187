// The soak loop, the same in Node and in the page: random calls (random queries, documents,
// topN, returnDocuments), some aborted, the reranker disposed and created again now and then
// with calls in flight. Counts what each call ended as; anything unexpected is a failure.

import type { Reranker, RerankerOptions, RerankResponse } from '../src/index.js'

export interface SoakStats {
  calls: number
  ok: number
  aborted: number
  disposed: number
  /** Calls that ended any other way: a wrong result, another error, or no answer within 60 s. */
  failures: number
  failureSamples: string[]
  rerankers: number
}

const WORDS = 'water boils ice plants food light energy cell capital paris france protein gene cancer risk study'.split(
  ' ',
)

/** A small seeded generator (mulberry32), so a soak run can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function valid(res: RerankResponse, n: number, topN: number | undefined): boolean {
  const want = topN === undefined ? n : Math.min(topN, n)
  const indexes = new Set(res.results.map((r) => r.index))
  return (
    res.results.length === want &&
    indexes.size === want &&
    res.results.every(
      (r, i) =>
        Number.isFinite(r.relevance_score) && (i === 0 || r.relevance_score <= res.results[i - 1]!.relevance_score),
    )
  )
}

/** Runs for `durationMs` with `concurrency` callers; a reranker lives `rerankerMs` before it is disposed mid-flight. */
export async function soak(
  createReranker: (options: RerankerOptions) => Promise<Reranker>,
  options: RerankerOptions,
  {
    durationMs,
    concurrency = 4,
    rerankerMs = 20_000,
    seed = 1,
  }: { durationMs: number; concurrency?: number; rerankerMs?: number; seed?: number },
): Promise<SoakStats> {
  const random = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const text = (min: number, max: number): string =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(WORDS)).join(' ')
  const stats: SoakStats = { calls: 0, ok: 0, aborted: 0, disposed: 0, failures: 0, failureSamples: [], rerankers: 0 }
  const fail = (what: string): void => {
    stats.failures++
    if (stats.failureSamples.length < 10) stats.failureSamples.push(what)
  }
  const end = Date.now() + durationMs
  let reranker = createReranker(options)
  stats.rerankers++
  let bornAt = Date.now()

  const caller = async (): Promise<void> => {
    while (Date.now() < end) {
      if (Date.now() - bornAt > rerankerMs) {
        // Replace the reranker while other callers' calls are in flight on it.
        const old = reranker
        reranker = createReranker(options)
        stats.rerankers++
        bornAt = Date.now()
        void old.then((r) => r.dispose())
      }
      const current = await reranker
      const documents = Array.from({ length: 1 + Math.floor(random() * 30) }, () => text(0, 40))
      const topN = random() < 0.5 ? 1 + Math.floor(random() * 10) : undefined
      const controller = new AbortController()
      const abortAt = random() < 0.2 ? Math.floor(random() * 50) : undefined
      if (abortAt !== undefined)
        setTimeout(() => {
          controller.abort()
        }, abortAt)
      stats.calls++
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<'timeout'>(
        (resolve) =>
          (timer = setTimeout(() => {
            resolve('timeout')
          }, 60_000)),
      )
      try {
        const res = await Promise.race([
          current.rerank(text(1, 6), documents, {
            returnDocuments: random() < 0.5,
            signal: controller.signal,
            ...(topN ? { topN } : {}),
          }),
          timeout,
        ])
        if (res === 'timeout') fail('a call did not settle within 60 s')
        else if (valid(res, documents.length, topN)) stats.ok++
        else fail(`invalid result for ${documents.length} documents, topN ${topN}`)
      } catch (err) {
        const code = (err as { code?: string }).code
        if (code === 'aborted' && abortAt !== undefined) stats.aborted++
        else if (code === 'disposed') stats.disposed++
        else fail(`${code ?? 'no code'}: ${(err as Error).message}`)
      } finally {
        clearTimeout(timer)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller))
  await (await reranker).dispose()
  return stats
}

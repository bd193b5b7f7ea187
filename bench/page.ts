// Browser side of the benchmark: loads rerankers (each in its own worker) and times calls.
// bench/run.ts drives it through Playwright, one step per page.evaluate, so runs interleave.

import { createReranker, type Reranker, type RerankerOptions } from '../src/index'

export interface CallFigures {
  ms: number
  tokens: number
  paddedTokens: number
  batches: number
  /** Time inside onnxruntime (sum of the batches' times); the rest is tokenization and messaging. */
  inferenceMs: number
}

const rerankers = new Map<string, Reranker>()

const api = {
  /**
   * Loads a reranker in a fresh worker. `warm` (untimed) runs one whole call first: V8 compiles
   * the 27 MB runtime's hot functions with its optimizing tier in the background during the
   * first seconds, on the same two cores, which made first calls up to 2.5× slower.
   */
  async load(
    name: string,
    options: RerankerOptions,
    warm?: { query: string; docs: string[] },
  ): Promise<{ loadMs: number; warmMs: number; info: Reranker['info'] }> {
    const started = performance.now()
    const reranker = await createReranker(options)
    await reranker.warmup()
    const loadMs = performance.now() - started
    if (warm) await reranker.rerank(warm.query, warm.docs, { returnDocuments: false })
    rerankers.set(name, reranker)
    return { loadMs, warmMs: performance.now() - started - loadMs, info: reranker.info }
  },
  async run(name: string, query: string, docs: string[]): Promise<CallFigures> {
    const reranker = rerankers.get(name)!
    let paddedTokens = 0
    let batches = 0
    let inferenceMs = 0
    const started = performance.now()
    const res = await reranker.rerank(query, docs, {
      returnDocuments: false,
      onBatch: (p) => {
        paddedTokens += p.paddedTokens
        inferenceMs += p.batchMs
        batches++
      },
    })
    return { ms: performance.now() - started, tokens: res.usage.prompt_tokens, paddedTokens, batches, inferenceMs }
  },
  /** One call under a latency budget: how long it took and how many documents were reranked. */
  async runBudget(
    name: string,
    query: string,
    docs: string[],
    budgetMs: number,
  ): Promise<{ ms: number; reranked: number }> {
    const started = performance.now()
    const res = await rerankers.get(name)!.rerank(query, docs, { returnDocuments: false, budgetMs })
    return { ms: performance.now() - started, reranked: res.results.filter((r) => r.reranked).length }
  },
  async dispose(name: string): Promise<void> {
    await rerankers.get(name)?.dispose()
    rerankers.delete(name)
  },
  hasWebGpuAdapter: async (): Promise<boolean> => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu
    return Boolean(await gpu?.requestAdapter().catch(() => null))
  },
}

;(globalThis as unknown as { bench: typeof api }).bench = api
export type BenchApi = typeof api

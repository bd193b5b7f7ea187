// Browser side of the benchmark: loads rerankers (each in its own worker) and times calls.
// bench/run.ts drives it through Playwright, one step per page.evaluate, so runs interleave.

import { createReranker, type Reranker, type RerankerOptions } from '../src/index'

export interface CallFigures {
  ms: number
  tokens: number
  paddedTokens: number
  batches: number
}

const rerankers = new Map<string, Reranker>()

const api = {
  async load(name: string, options: RerankerOptions): Promise<{ loadMs: number; info: Reranker['info'] }> {
    const started = performance.now()
    const reranker = await createReranker(options)
    await reranker.warmup()
    rerankers.set(name, reranker)
    return { loadMs: performance.now() - started, info: reranker.info }
  },
  async run(name: string, query: string, docs: string[]): Promise<CallFigures> {
    const reranker = rerankers.get(name)!
    let paddedTokens = 0
    let batches = 0
    const started = performance.now()
    const res = await reranker.rerank(query, docs, {
      returnDocuments: false,
      onBatch: (p) => {
        paddedTokens += p.paddedTokens
        batches++
      },
    })
    return { ms: performance.now() - started, tokens: res.usage.prompt_tokens, paddedTokens, batches }
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

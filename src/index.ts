// Browser entry: the model runs in a module Web Worker, reached through comlink.
// The main thread only validates requests and sorts results.

import { proxy, releaseProxy, wrap } from 'comlink'
import type { EngineHost } from './engine/host.js'
import { makeOneShot } from './api/one-shot.js'
import { resolveOptions } from './api/options.js'
import { Reranker } from './api/reranker.js'
import { RerankError } from './api/errors.js'
import { registerErrorTransfer } from './boundary.js'
import type { RerankerOptions } from './api/types.js'

export { RerankError, type RerankErrorBody, type RerankErrorCode, type RerankErrorType } from './api/errors.js'
export { Reranker } from './api/reranker.js'
export { DEFAULTS } from './api/defaults.js'
export { MODELS, findModel, type ModelEntry, type ModelFamily } from './models/registry.js'
export * from './search/index.js'
export type * from './api/types.js'

/**
 * Starts a worker, loads the model in it and resolves when it is ready to rerank.
 * Rejects with a {@link RerankError} (`model_not_found`, `model_load_failed`, `webgpu_unavailable`,
 * `invalid_request`) when it cannot.
 *
 * @example
 * const reranker = await createReranker({ onProgress: (p) => console.log(p.status) })
 * console.log(reranker.info)
 * // { model: 'Xenova/ms-marco-MiniLM-L-6-v2', modelId: 'Xenova/ms-marco-MiniLM-L-6-v2', device: 'wasm', dtype: 'q8',
 * //   threads: 2, maxTokens: 512, fallbackReason: 'No WebGPU adapter: navigator.gpu.requestAdapter() returned null.',
 * //   loadMs: 840, batchTokenBudget: 4096, maxBatchSize: 8 }
 */
export async function createReranker(options: RerankerOptions = {}): Promise<Reranker> {
  const resolved = resolveOptions(options)
  registerErrorTransfer()
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'webrerank' })
  const host = wrap<EngineHost>(worker)
  const close = (): void => {
    host[releaseProxy]()
    worker.terminate()
  }
  // A worker that fails to start (a bundler that did not emit it, a CSP that forbids it) fires
  // 'error' and never answers: turn that into a rejection instead of a hang.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      reject(new RerankError('model_load_failed', `The webrerank worker failed to start: ${event.message || 'script error'}.`))
    })
  })
  try {
    const onProgress = resolved.onProgress ? proxy(resolved.onProgress) : undefined
    const info = await Promise.race([host.load(resolved.engine, onProgress), failed])
    return new Reranker(host, info, resolved.engine, resolved.maxDocuments, close, proxy)
  } catch (err) {
    close()
    throw err
  }
}

/**
 * One-shot reranking on a shared reranker with default options (created on first use).
 *
 * @example
 * const { results } = await rerank('capital of France', ['Berlin is in Germany.', 'Paris is the capital of France.'], 1)
 * // results: [{ index: 1, relevance_score: 0.9994, document: { text: 'Paris is the capital of France.' } }]
 */
export const rerank = makeOneShot(createReranker)

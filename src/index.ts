// Browser entry: the model runs in a module Web Worker, reached through the worker boundary
// (boundary.ts). This file and what it imports by value run on the page: never transformers.js.

import { makeOneShot } from './api/one-shot.js'
import { createWithPolicy } from './remote/policy.js'
import { RerankError } from './api/errors.js'
import { resolveOptions, type ResolvedOptions } from './api/options.js'
import { Reranker, type RerankerHost } from './api/reranker.js'
import { makeStorage } from './api/storage.js'
import type {
  AnyRerankerInfo,
  RemoteRerankerOptions,
  ProgressEvent,
  RerankerInfo,
  RerankerOptions,
  WorkerLike,
} from './api/types.js'
import { connectWorker, restartingHost } from './boundary.js'
import { browserThreads } from './platform/threads.js'

export { RerankError, type RerankErrorBody, type RerankErrorCode, type RerankErrorType } from './api/errors.js'
export { Reranker } from './api/reranker.js'
export { DEFAULTS } from './api/defaults.js'
export { MODELS, findModel, type ModelEntry, type ModelFamily } from './models/registry.js'
export * from './search/index.js'
export type * from './api/types.js'
export type { ModelStorage } from './api/storage.js'

/** The browser's side of option resolution: threads from isolation, URLs against the page. */
const BROWSER = {
  threads: browserThreads,
  // Same-origin URLs become root-relative paths: transformers.js treats a full http(s) URL as
  // localModelPath differently (it probes files with range requests), so only the base changes.
  resolveUrl: (url: string): string => {
    const absolute = new URL(url, globalThis.location.href)
    return absolute.origin === globalThis.location.origin ? absolute.pathname + absolute.search : absolute.href
  },
}

/**
 * Starts a worker, loads the model in it and resolves when it is ready to rerank.
 * Rejects with a {@link RerankError} (`model_not_found`, `model_load_failed`, `webgpu_unavailable`,
 * `invalid_request`) when it cannot.
 *
 * @example
 * const reranker = await createReranker({ onProgress: (p) => console.log(p.status) })
 * console.log(reranker.info.device, reranker.info.dtype) // 'wasm' 'q8' (on a machine without WebGPU)
 *
 * With `endpoint`, calls go to a rerank server instead (`policy: 'remote'`), or to either
 * (`policy: 'auto'`; see README, "Remote backend"): `info.backend` says which. Further codes
 * then: `invalid_api_key`, `rate_limited`, `timeout`, `remote_unavailable`.
 */
export async function createReranker(options: RemoteRerankerOptions): Promise<Reranker<AnyRerankerInfo>>
export async function createReranker(options?: RerankerOptions): Promise<Reranker>
export async function createReranker(options: RerankerOptions = {}): Promise<Reranker<AnyRerankerInfo>> {
  return createWithPolicy(options, createLocalReranker)
}

/** The model on this device (policy 'local'). */
async function createLocalReranker(options: RerankerOptions): Promise<Reranker> {
  const { resolved, onProgress } = resolveOptions(options, BROWSER)
  try {
    const { host, info } = await loadIn(startWorker(options.worker), resolved, onProgress)
    // The caller's own worker cannot be replaced: no restarts with it.
    return new Reranker(
      options.worker ? host : restartingHost(host, () => startWorker(), resolved, info),
      info,
      resolved,
    )
  } catch (err) {
    // A load that a fresh worker can complete (see RerankError.retry); not with the caller's own worker.
    if (!(err instanceof RerankError) || !err.retry || options.worker) throw err
    const retry = err.retry
    const { host, info } = await loadIn(
      startWorker(),
      retry.device ? { ...resolved, device: retry.device } : resolved,
      onProgress,
    )
    // With a device change, report the choice as 'auto' made it: WASM, because WebGPU failed to load.
    const retriedInfo = retry.device ? { ...info, fallbackReason: retry.reason } : info
    const retriedOptions = retry.device ? { ...resolved, device: retry.device } : resolved
    return new Reranker(
      restartingHost(host, () => startWorker(), retriedOptions, retriedInfo),
      retriedInfo,
      resolved,
    )
  }
}

/** Loads the model in `host`; disposes the host (and its worker) when the load fails. */
async function loadIn(
  host: RerankerHost,
  resolved: ResolvedOptions,
  onProgress: ((e: ProgressEvent) => void) | undefined,
): Promise<{ host: RerankerHost; info: RerankerInfo }> {
  try {
    return { host, info: await host.load(resolved, onProgress) }
  } catch (err) {
    await host.dispose()
    throw err
  }
}

/** The worker boundary to a worker: the caller's, or webrerank's own. */
function startWorker(worker?: WorkerLike): RerankerHost {
  if (worker) return connectWorker(worker, 'the worker passed as options.worker')
  // The literal `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` is the
  // form Vite (dev and build), webpack 5 and Rollup recognise and bundle; keep it inline.
  return connectWorker(
    new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'webrerank' }),
    'webrerank/worker',
  )
}

/** Browser only: the model files in the browser's cache (see {@link ModelStorage}). */
export const { modelCacheStatus, isCached, prefetch, clearCache } = makeStorage(BROWSER, startWorker)

/**
 * One-shot reranking on a shared reranker with default options (created on first use).
 *
 * @example
 * const { results } = await rerank('capital of France', ['Berlin is in Germany.', 'Paris is the capital of France.'], 1)
 */
export const rerank = makeOneShot(createReranker)

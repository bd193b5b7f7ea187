// Model files in the browser's cache: check, prefetch, clear. Each call runs in a short-lived
// worker (the cache keys and file lists come from transformers.js, which stays off the page).

import { resolveOptions, type Environment } from './options.js'
import type { RerankerHost } from './reranker.js'
import type { ModelCacheStatus, ModelStorageOptions, ProgressEvent, WorkerLike } from './types.js'

export interface ModelStorage {
  /**
   * Which files the model needs at its dtype on this device (`'auto'`: q8 on WASM, the registry's
   * WebGPU dtype where an adapter exists) and which of them the cache holds, in bytes.
   * Rejects with `model_not_found` when its file list cannot be read (not cached and offline).
   *
   * @example
   * const status = await modelCacheStatus({ model: 'ms-marco-MiniLM-L-6-v2' })
   * // { model: 'ms-marco-MiniLM-L-6-v2', modelId: 'Xenova/ms-marco-MiniLM-L-6-v2', dtype: 'q8', cached: false, bytes: 0,
   * //   files: [{ file: 'config.json', cached: false }, { file: 'onnx/model_quantized.onnx', cached: false }, …] }
   */
  modelCacheStatus: (options?: ModelStorageOptions) => Promise<ModelCacheStatus>
  /** Whether every file the model needs is cached (so it loads with no network). */
  isCached: (options?: ModelStorageOptions) => Promise<boolean>
  /**
   * Downloads the model's missing files into the cache without creating a session (e.g. on a
   * settings page, or in an extension's install handler); `onProgress` gets the same per-file
   * events as a load. Resolves with the status afterwards. Rejects with `model_not_found` or
   * `model_load_failed` (e.g. the storage quota is exceeded).
   */
  prefetch: (
    options?: ModelStorageOptions & { onProgress?: (event: ProgressEvent) => void },
  ) => Promise<ModelCacheStatus>
  /** Deletes every cached file of the model (all dtypes). Resolves with what it freed, in files and bytes. */
  clearCache: (options?: ModelStorageOptions) => Promise<{ deletedFiles: number; bytes: number }>
}

/** The storage functions of an entry, given how it starts a host (a worker, or in-process). */
export function makeStorage(environment: Environment, openHost: (worker?: WorkerLike) => RerankerHost): ModelStorage {
  async function withHost<T>(
    options: ModelStorageOptions,
    task: (host: RerankerHost, o: ReturnType<typeof resolveOptions>['resolved']) => Promise<T>,
  ): Promise<T> {
    const { resolved } = resolveOptions(options, environment)
    const host = openHost(options.worker)
    try {
      return await task(host, resolved)
    } finally {
      await host.dispose()
    }
  }
  const status = (options: ModelStorageOptions = {}): Promise<ModelCacheStatus> =>
    withHost(options, (host, resolved) => host.cacheStatus(resolved, false))
  return {
    modelCacheStatus: status,
    isCached: async (options) => (await status(options)).cached,
    prefetch: (options = {}) =>
      withHost(options, (host, resolved) => host.cacheStatus(resolved, true, options.onProgress)),
    clearCache: (options = {}) => withHost(options, (host, resolved) => host.clearCache(resolved)),
  }
}

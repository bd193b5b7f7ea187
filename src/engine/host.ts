// The in-process RerankerHost: one engine, loaded once. Node uses it directly; the worker
// serves it to the page through the boundary (../boundary.ts). Calls run one at a time, first
// come first served: batches of two calls never interleave, and a call aborted while it waits
// never starts.

import type { ResolvedOptions } from '../api/options.js'
import type { CallControls, RerankerHost } from '../api/reranker.js'
import type { NormalizedRequest } from '../api/request.js'
import type { ModelCacheStatus, ProgressEvent, RerankerInfo, RerankResponse } from '../api/types.js'
import { fail } from '../api/validate.js'
import { cacheStatus, clearFiles, prefetchFiles } from '../platform/storage.js'
import type { Platform } from '../platform/types.js'
import { raceAbort, throwIfAborted } from '../util/abort.js'
import { SerialQueue } from '../util/serial.js'
import { resolveDtype } from './device.js'
import { RerankEngine } from './engine.js'

export class EngineHost implements RerankerHost {
  private engine: Promise<RerankEngine> | null = null
  /** Every call's controller, running or queued, so dispose() can stop them all. */
  private readonly calls = new Set<AbortController>()
  private readonly queue = new SerialQueue()

  constructor(private readonly platform: Platform) {}

  /** Loads the model once; later calls share the first load. */
  async load(options: ResolvedOptions, onProgress?: (e: ProgressEvent) => void): Promise<RerankerInfo> {
    this.engine ??= RerankEngine.load(options, this.platform, onProgress).catch((err: unknown) => {
      this.engine = null // a failed load can be retried
      throw err
    })
    return (await this.engine).info
  }

  async rerank(request: NormalizedRequest, controls: CallControls = {}): Promise<RerankResponse> {
    const engine = await this.loaded()
    const controller = new AbortController()
    const onAbort = (): void => {
      controller.abort(controls.signal?.reason)
    }
    controls.signal?.addEventListener('abort', onAbort, { once: true })
    if (controls.signal?.aborted) onAbort()
    this.calls.add(controller)
    const signal = controller.signal
    try {
      // Rejects at once when aborted while queued; the queue then skips the call.
      return await raceAbort(
        this.queue.run(() => {
          throwIfAborted(signal)
          return engine.rerank(request, { ...controls, signal })
        }),
        signal,
      )
    } finally {
      this.calls.delete(controller)
      controls.signal?.removeEventListener('abort', onAbort)
    }
  }

  async cacheStatus(
    options: ResolvedOptions,
    prefetch: boolean,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<ModelCacheStatus> {
    // The dtype a reranker with these options would load on this device.
    const adapter =
      this.platform.kind === 'browser' && (options.device === 'auto' || options.device === 'webgpu')
        ? await this.platform.webGpuAdapter()
        : undefined
    const device = this.platform.kind === 'node' ? 'cpu' : adapter?.ok ? 'webgpu' : 'wasm'
    const dtype = resolveDtype(options, device, adapter?.ok === true && adapter.shaderF16)
    return prefetch
      ? prefetchFiles(options.source, dtype, options.model, onProgress)
      : cacheStatus(options.source, dtype, options.model)
  }

  clearCache(options: ResolvedOptions): Promise<{ deletedFiles: number; bytes: number }> {
    return clearFiles(options.source)
  }

  async warmup(): Promise<number> {
    const engine = await this.loaded()
    return this.queue.run(() => engine.warmup())
  }

  private loaded(): Promise<RerankEngine> {
    if (!this.engine) throw fail('disposed', 'this reranker has been disposed.')
    return this.engine
  }

  /**
   * Rejects every running and queued call with `disposed` at once, lets the running batch
   * finish (so the session is never freed under a running inference), then frees the model.
   */
  async dispose(): Promise<void> {
    const engine = this.engine
    this.engine = null
    const disposed = fail('disposed', 'this reranker has been disposed.')
    for (const controller of this.calls) controller.abort(disposed)
    await this.queue.idle()
    if (engine) await (await engine.catch(() => null))?.dispose()
  }
}

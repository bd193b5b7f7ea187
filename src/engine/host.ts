// The in-process RerankerHost: one engine, loaded once. Node uses it directly; the worker
// serves it to the page through the boundary (../boundary.ts).

import type { ResolvedOptions } from '../api/options.js'
import type { CallControls, RerankerHost } from '../api/reranker.js'
import type { NormalizedRequest } from '../api/request.js'
import type { ModelCacheStatus, ProgressEvent, RerankerInfo, RerankResponse } from '../api/types.js'
import { fail } from '../api/validate.js'
import { cacheStatus, clearFiles, prefetchFiles } from '../platform/storage.js'
import type { Platform } from '../platform/types.js'
import { resolveDtype } from './device.js'
import { RerankEngine } from './engine.js'

export class EngineHost implements RerankerHost {
  private engine: Promise<RerankEngine> | null = null
  private readonly running = new Set<AbortController>()

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
    // One controller per call, so dispose() can stop every running call at its next batch.
    const controller = new AbortController()
    const onAbort = (): void => {
      controller.abort()
    }
    controls.signal?.addEventListener('abort', onAbort, { once: true })
    if (controls.signal?.aborted) controller.abort()
    this.running.add(controller)
    try {
      return await engine.rerank(request, { ...controls, signal: controller.signal })
    } finally {
      this.running.delete(controller)
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
    return (await this.loaded()).warmup()
  }

  private loaded(): Promise<RerankEngine> {
    if (!this.engine) throw fail('disposed', 'no model is loaded (the reranker was disposed).')
    return this.engine
  }

  async dispose(): Promise<void> {
    for (const controller of this.running) controller.abort()
    const engine = this.engine
    this.engine = null
    if (engine) await (await engine).dispose()
  }
}

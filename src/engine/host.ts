// The object the worker exposes over comlink (and Node uses in-process): one engine, with
// calls identified by number so an abort on the main thread can reach a running call.

import { RerankEngine, type EngineOptions } from './engine.js'
import { RerankError } from '../api/errors.js'
import type { Platform } from './device.js'
import type { NormalizedRequest } from '../api/request.js'
import type { BatchProgress, ProgressEvent, RerankerInfo, RerankResponse } from '../api/types.js'

export class EngineHost {
  private engine: Promise<RerankEngine> | null = null
  private readonly running = new Map<number, AbortController>()

  constructor(private readonly platform: Platform) {}

  /** Loads the model once; later calls share the first load. */
  async load(options: EngineOptions, onProgress?: (e: ProgressEvent) => void): Promise<RerankerInfo> {
    this.engine ??= RerankEngine.load(options, this.platform, onProgress).catch((err: unknown) => {
      this.engine = null // a failed load can be retried
      throw err
    })
    return (await this.engine).info
  }

  async rerank(request: NormalizedRequest, callId: number, onBatch?: (progress: BatchProgress) => unknown): Promise<RerankResponse> {
    const engine = this.loaded()
    const controller = new AbortController()
    this.running.set(callId, controller)
    try {
      return await (await engine).rerank(request, { signal: controller.signal, ...(onBatch ? { onBatch } : {}) })
    } finally {
      this.running.delete(callId)
    }
  }

  async warmup(): Promise<number> {
    return (await this.loaded()).warmup()
  }

  /** Aborts call `callId` at its next micro-batch boundary. */
  cancel(callId: number): void {
    this.running.get(callId)?.abort()
  }

  private loaded(): Promise<RerankEngine> {
    if (!this.engine) throw new RerankError('disposed', 'No model is loaded.')
    return this.engine
  }

  async dispose(): Promise<void> {
    for (const controller of this.running.values()) controller.abort()
    const engine = this.engine
    this.engine = null
    if (engine) await (await engine).dispose()
  }
}

// The public Reranker object, shared by the browser entry (engine in a worker) and the Node
// entry (engine in-process): argument handling, validation and abort live here, once.

import { abortError, RerankError } from './errors.js'
import { findModel } from '../models/registry.js'
import type { EngineOptions } from '../engine/engine.js'
import { isRequestBody, normalizeBody, normalizeCall, type NormalizedRequest } from './request.js'
import type { BatchProgress, RerankCallOptions, RerankDocumentInput, RerankerInfo, RerankRequest, RerankResponse } from './types.js'

/** The engine host as the Reranker sees it: in-process, or a comlink proxy to the worker. */
export interface HostLike {
  rerank(request: NormalizedRequest, callId: number, onBatch?: (progress: BatchProgress) => unknown): Promise<RerankResponse>
  cancel(callId: number): void | Promise<void>
  warmup(): Promise<number>
  dispose(): Promise<void>
}

/** How a callback reaches the host: as is in-process, as a comlink proxy to a worker. */
export type CallbackWrapper = <F extends (...args: never[]) => unknown>(fn: F) => F

let nextCallId = 1

/** A loaded reranker. Create one with `createReranker`. */
export class Reranker {
  private disposed = false

  /** @internal */
  constructor(
    private readonly host: HostLike,
    /** What the model runs on: `{ model, device, dtype, threads, maxTokens, fallbackReason?, loadMs }`. */
    readonly info: RerankerInfo,
    private readonly engineOptions: EngineOptions,
    private readonly maxDocuments: number,
    private readonly onDispose: () => void | Promise<void>,
    private readonly wrapCallback: CallbackWrapper = (fn) => fn,
  ) {}

  /**
   * Ranks `documents` by relevance to `query`.
   *
   * @example
   * const res = await reranker.rerank('capital of France', ['Berlin is in Germany.', 'Paris is the capital of France.'], { topN: 1 })
   * // { id: 'rerank-3f9c…', model: 'Xenova/ms-marco-MiniLM-L-6-v2',
   * //   results: [{ index: 1, relevance_score: 0.9994, document: { text: 'Paris is the capital of France.' } }],
   * //   usage: { prompt_tokens: 24, total_tokens: 24 } }
   */
  rerank(query: string, documents: RerankDocumentInput[], options?: RerankCallOptions): Promise<RerankResponse>
  /**
   * Answers a /v1/rerank request body as is: `{ model?, query, documents, top_n?, return_documents? }`.
   * `model`, when given, must name this reranker's model. `options.signal` aborts the call.
   */
  rerank(request: RerankRequest, options?: Pick<RerankCallOptions, 'signal' | 'onBatch'>): Promise<RerankResponse>
  async rerank(
    queryOrRequest: string | RerankRequest,
    documentsOrOptions?: RerankDocumentInput[] | RerankCallOptions,
    maybeOptions?: RerankCallOptions,
  ): Promise<RerankResponse> {
    let request: NormalizedRequest
    let options: RerankCallOptions | undefined
    if (isRequestBody(queryOrRequest)) {
      request = normalizeBody(queryOrRequest, this.maxDocuments)
      this.checkModelName(request.model)
      options = documentsOrOptions as RerankCallOptions | undefined
    } else {
      request = normalizeCall(queryOrRequest, documentsOrOptions, maybeOptions, this.maxDocuments)
      options = maybeOptions
    }
    const signal = options?.signal
    if (this.disposed) throw new RerankError('disposed', 'This reranker has been disposed.')
    if (signal?.aborted) throw abortError()
    const callId = nextCallId++
    const onBatch = options?.onBatch
    const call = this.host.rerank(request, callId, onBatch ? this.wrapCallback(onBatch) : undefined)
    if (!signal) return call
    return new Promise<RerankResponse>((resolve, reject) => {
      const onAbort = (): void => {
        void Promise.resolve(this.host.cancel(callId)).catch(() => undefined)
        reject(abortError())
      }
      signal.addEventListener('abort', onAbort, { once: true })
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  /**
   * Scores a small batch so the first real call does not pay for kernel set-up. Resolves with
   * the milliseconds it took (typically tens of ms on WASM, more on WebGPU's first shaders).
   */
  async warmup(): Promise<number> {
    if (this.disposed) throw new RerankError('disposed', 'This reranker has been disposed.')
    return this.host.warmup()
  }

  /** Frees the model (and the worker, in the browser). Later calls reject with code `disposed`. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    try {
      await this.host.dispose()
    } finally {
      await this.onDispose()
    }
  }

  private checkModelName(model: string | undefined): void {
    if (model === undefined || model === this.engineOptions.model || model === this.engineOptions.modelId) return
    if (findModel(model)?.id === this.engineOptions.modelId) return // another alias of the same model
    throw new RerankError(
      'model_not_found',
      `This reranker serves "${this.engineOptions.model}", not "${model}". Create another reranker for that model.`,
    )
  }
}

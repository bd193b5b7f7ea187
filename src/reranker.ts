// The public Reranker object, shared by the browser entry (engine in a worker) and the Node
// entry (engine in-process): argument handling, validation and abort live here, once.

import { abortError, RerankError } from './errors.js'
import type { EngineOptions } from './engine.js'
import { isRequestBody, normalizeBody, normalizeCall, type NormalizedRequest } from './request.js'
import type { RerankCallOptions, RerankDocumentInput, RerankerInfo, RerankRequest, RerankResponse } from './types.js'

/** The engine host as the Reranker sees it: in-process, or a comlink proxy to the worker. */
export interface HostLike {
  rerank(request: NormalizedRequest, callId: number): Promise<RerankResponse>
  cancel(callId: number): void | Promise<void>
  dispose(): Promise<void>
}

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
  rerank(request: RerankRequest, options?: Pick<RerankCallOptions, 'signal'>): Promise<RerankResponse>
  async rerank(
    queryOrRequest: string | RerankRequest,
    documentsOrOptions?: RerankDocumentInput[] | RerankCallOptions,
    maybeOptions?: RerankCallOptions,
  ): Promise<RerankResponse> {
    let request: NormalizedRequest
    let signal: AbortSignal | undefined
    if (isRequestBody(queryOrRequest)) {
      request = normalizeBody(queryOrRequest, this.maxDocuments)
      this.checkModelName(request.model)
      signal = (documentsOrOptions as RerankCallOptions | undefined)?.signal
    } else {
      request = normalizeCall(queryOrRequest, documentsOrOptions, maybeOptions, this.maxDocuments)
      signal = maybeOptions?.signal
    }
    if (this.disposed) throw new RerankError('disposed', 'This reranker has been disposed.')
    if (signal?.aborted) throw abortError()
    const callId = nextCallId++
    const call = this.host.rerank(request, callId)
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
    if (model === undefined || model === this.engineOptions.model) return
    throw new RerankError(
      'model_not_found',
      `This reranker serves "${this.engineOptions.model}", not "${model}". Create another reranker for that model.`,
    )
  }
}

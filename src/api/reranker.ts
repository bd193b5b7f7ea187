// The public Reranker object, shared by the browser entry (engine in a worker) and the Node
// entry (engine in-process): argument forms, validation and the disposed state live here, once.

import { findModel } from '../models/registry.js'
import { throwIfAborted } from '../util/abort.js'
import type { ResolvedOptions } from './options.js'
import { callControls, isRequestBody, normalizeBody, normalizeCall, type NormalizedRequest } from './request.js'
import { fail } from './validate.js'
import type {
  BatchProgress,
  ModelCacheStatus,
  ProgressEvent,
  RerankCallOptions,
  RerankDocumentInput,
  AnyRerankerInfo,
  RerankerInfo,
  RerankRequest,
  RerankResponse,
} from './types.js'

/** Per-call controls that are not part of the request body. */
export interface CallControls {
  signal?: AbortSignal
  onBatch?: (progress: BatchProgress) => unknown
}

/** What a Reranker calls: a local model (in-process or behind the worker boundary) or a rerank server. */
export interface CallHost {
  /** Rejects with `aborted` as soon as `controls.signal` fires, and stops the work at its next micro-batch. */
  rerank(request: NormalizedRequest, controls?: CallControls): Promise<RerankResponse>
  warmup(): Promise<number>
  dispose(): Promise<void>
}

/** What the request checks and the body's `model` check need: the names served and the limits. */
export interface RerankerLimits {
  /** The name given to createReranker; `''` (a remote reranker with no model set): any name is forwarded. */
  model: string
  modelId: string
  maxDocuments: number
  long: ResolvedOptions['long']
}

/**
 * Where the engine runs, as the entries see it: in-process (Node) or behind the worker boundary.
 * The calls a Reranker makes, plus loading and the browser's model cache.
 */
export interface RerankerHost extends CallHost {
  load(options: ResolvedOptions, onProgress?: (e: ProgressEvent) => void): Promise<RerankerInfo>
  /** The model's files in the browser's cache; with `prefetch`, downloads the missing ones first. */
  cacheStatus(
    options: ResolvedOptions,
    prefetch: boolean,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<ModelCacheStatus>
  /** Deletes every cached file of the model. */
  clearCache(options: ResolvedOptions): Promise<{ deletedFiles: number; bytes: number }>
}

/** Call options that a request body spells as a field of its own. */
const BODY_FIELD: Record<string, string> = {
  topN: 'top_n',
  returnDocuments: 'return_documents',
  maxTokensPerDoc: 'max_tokens_per_doc',
}

/**
 * A loaded reranker. Create one with `createReranker`. `Info` is what it runs on: a local model's
 * {@link RerankerInfo}, or, with an `endpoint`, either that or a {@link RemoteRerankerInfo}
 * (tell them apart by `info.backend`).
 */
export class Reranker<Info extends AnyRerankerInfo = RerankerInfo> {
  private disposed = false

  /** @internal */
  constructor(
    private readonly host: CallHost,
    /** What the model runs on: `{ backend, model, modelId, device, dtype, threads, maxTokens, fallbackReason?, loadMs, … }`. */
    readonly info: Info,
    private readonly options: RerankerLimits,
  ) {}

  /**
   * Ranks `documents` by relevance to `query`. Rejects with a RerankError: `empty_query`,
   * `invalid_documents`, `too_many_documents`, `invalid_top_n`, `invalid_request`, `aborted`,
   * `inference_failed` or `disposed`.
   *
   * @example
   * const res = await reranker.rerank('capital of France', ['Berlin is in Germany.', 'Paris is the capital of France.'], { topN: 1 })
   * // { id: 'rerank-…', model: 'ms-marco-MiniLM-L-6-v2',
   * //   results: [{ index: 1, relevance_score: …, document: { text: 'Paris is the capital of France.' } }],
   * //   usage: { prompt_tokens: 24, total_tokens: 24 } }
   */
  rerank(query: string, documents: RerankDocumentInput[], options?: RerankCallOptions): Promise<RerankResponse>
  /**
   * Answers a /v1/rerank request body as is: `{ model?, query, documents, top_n?, return_documents?, max_tokens_per_doc? }`.
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
      request = normalizeBody(queryOrRequest, this.options)
      this.checkModelName(request.model)
      options = documentsOrOptions as RerankCallOptions | undefined
      const stray = Object.keys(options ?? {}).filter((key) => key !== 'signal' && key !== 'onBatch')
      if (stray.length > 0) {
        // topN and friends have body fields; budgetMs and longDocuments do not (call form only).
        const where = stray.map((key) => (key in BODY_FIELD ? `${key} (the body's ${BODY_FIELD[key]})` : key))
        throw fail(
          'invalid_request',
          `with a request body, the options take signal and onBatch only, not ${where.join(', ')}: body fields go in the body; budgetMs and longDocuments need the call form rerank(query, documents, options).`,
        )
      }
    } else {
      request = normalizeCall(queryOrRequest, documentsOrOptions, maybeOptions, this.options)
      options = maybeOptions
    }
    this.checkNotDisposed()
    const { signal, onBatch } = callControls(options)
    // Checked here so an aborted call never reaches the worker; later aborts are the host's.
    throwIfAborted(signal)
    return this.host.rerank(request, { ...(signal ? { signal } : {}), ...(onBatch ? { onBatch } : {}) })
  }

  /**
   * Scores a small batch so the first real call does not pay for kernel set-up. Resolves with
   * the milliseconds it took (typically tens of ms on WASM, more on WebGPU's first shaders).
   */
  async warmup(): Promise<number> {
    this.checkNotDisposed()
    return this.host.warmup()
  }

  /** Frees the model (and the worker, in the browser). Pending and later calls reject with code `disposed`. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.host.dispose()
  }

  private checkNotDisposed(): void {
    if (this.disposed) throw fail('disposed', 'this reranker has been disposed.')
  }

  private checkModelName(model: string | undefined): void {
    const { model: name, modelId } = this.options
    if (model === undefined || name === '' || model === name || model === modelId) return
    if (findModel(model)?.id === modelId) return // another alias of the same model
    throw fail(
      'model_not_found',
      `this reranker serves "${name}", not "${model}". Create another reranker for that model.`,
    )
  }
}

// One error class for everything webrerank throws, shaped like the hosted /v1/rerank
// error body so a caller can forward `err.toJSON()` as an HTTP response unchanged.

/** Every code a {@link RerankError} can carry. */
export type RerankErrorCode =
  | 'empty_query'
  | 'too_many_documents'
  | 'invalid_documents'
  | 'invalid_top_n'
  | 'invalid_request'
  | 'model_not_found'
  | 'model_load_failed'
  | 'webgpu_unavailable'
  | 'aborted'
  | 'inference_failed'
  | 'disposed'
  // Remote backend (`endpoint`): what the server or the network answered.
  | 'invalid_api_key'
  | 'rate_limited'
  | 'timeout'
  | 'remote_unavailable'

/** The hosted APIs' error `type`: caller mistakes vs. failures on our side. */
export type RerankErrorType = 'invalid_request_error' | 'server_error' | 'abort_error'

/** The JSON body the hosted APIs answer with, e.g. `{ error: { message, type, code } }`. */
export interface RerankErrorBody {
  error: { message: string; type: RerankErrorType; code: RerankErrorCode }
}

const TYPE_OF_CODE: Record<RerankErrorCode, RerankErrorType> = {
  empty_query: 'invalid_request_error',
  too_many_documents: 'invalid_request_error',
  invalid_documents: 'invalid_request_error',
  invalid_top_n: 'invalid_request_error',
  invalid_request: 'invalid_request_error',
  model_not_found: 'invalid_request_error',
  model_load_failed: 'server_error',
  webgpu_unavailable: 'server_error',
  aborted: 'abort_error',
  inference_failed: 'server_error',
  disposed: 'invalid_request_error',
  invalid_api_key: 'invalid_request_error',
  rate_limited: 'server_error',
  timeout: 'server_error',
  remote_unavailable: 'server_error',
}

/** @internal How to retry a failed load in a fresh worker (see {@link RerankError.retry}). */
export interface LoadRetry {
  /** Load on this device instead (WebGPU failed to load; WASM is the fallback). */
  device?: 'wasm'
  /** Why, for `info.fallbackReason` when the device changes. */
  reason: string
}

/**
 * The only error class webrerank throws. `code` says what went wrong, `type` groups codes the
 * way hosted rerank APIs do, and `toJSON()` gives their error body.
 *
 * An aborted call rejects with a RerankError whose `name` is `'AbortError'` (like `fetch`),
 * so `err.name === 'AbortError'` checks keep working.
 *
 * @example
 * try { await reranker.rerank('', ['a']) } catch (err) {
 *   if (err instanceof RerankError) console.log(JSON.stringify(err))
 * }
 * // {"error":{"message":"webrerank: query must be a non-empty string.","type":"invalid_request_error","code":"empty_query"}}
 */
export class RerankError extends Error {
  readonly code: RerankErrorCode
  readonly type: RerankErrorType
  /**
   * @internal A load that a fresh worker can complete: transformers.js 4.3.1 chains every
   * session creation of a worker on one promise, so after one failed creation every later one in
   * that worker fails with the same error. Set when the failure's cause is gone (a corrupt cached
   * file was deleted) or can be avoided (`device: 'wasm'` after WebGPU failed to load).
   */
  readonly retry?: LoadRetry

  constructor(code: RerankErrorCode, message: string, options?: { cause?: unknown; retry?: LoadRetry }) {
    super(message, options)
    this.code = code
    this.type = TYPE_OF_CODE[code]
    this.name = code === 'aborted' ? 'AbortError' : 'RerankError'
    if (options?.retry) this.retry = options.retry
  }

  /** The hosted APIs' error body: `{ error: { message, type, code } }`. */
  toJSON(): RerankErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code } }
  }
}

/** The error an aborted call rejects with. */
export function abortError(): RerankError {
  return new RerankError('aborted', 'webrerank: the rerank call was aborted.')
}

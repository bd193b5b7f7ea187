// Responses: JSON bodies, the HTTP status of each error code, and CORS headers. Errors use the
// hosted APIs' body `{ error: { message, type, code } }` on every route.

import { RerankError, type RerankErrorBody, type RerankErrorCode } from '../api/errors.js'
import type { ResolvedHandlerOptions } from './options.js'

/** Codes only the HTTP layer answers with (the request never reached a reranker). */
export type HttpOnlyErrorCode = 'not_found' | 'method_not_allowed' | 'payload_too_large' | 'unsupported_media_type'

/** An error body of the handler: a RerankError's `toJSON()`, or one of the HTTP-only codes. */
export type HttpErrorBody =
  RerankErrorBody | { error: { message: string; type: 'invalid_request_error'; code: HttpOnlyErrorCode } }

/** The HTTP status of each RerankError code. */
export const STATUS_OF_CODE: Record<RerankErrorCode, number> = {
  empty_query: 400,
  too_many_documents: 400,
  invalid_documents: 400,
  invalid_top_n: 400,
  invalid_request: 400,
  model_not_found: 404,
  // nginx's "client closed request": nobody reads it, but logs and tests can tell it apart.
  aborted: 499,
  model_load_failed: 500,
  webgpu_unavailable: 500,
  inference_failed: 500,
  disposed: 503,
  invalid_api_key: 401,
  rate_limited: 429,
  // A remote reranker behind this handler: its server did not answer in time, or not at all.
  timeout: 504,
  remote_unavailable: 502,
}

const STATUS_OF_HTTP_CODE: Record<HttpOnlyErrorCode, number> = {
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
}

/** An error the HTTP layer answers with before any reranker is involved. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpOnlyErrorCode,
    message: string,
    /** Extra headers, e.g. `Allow` on a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`webrerank: ${message}`)
    this.name = 'HttpError'
  }
}

/** A JSON response with the given status and headers. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

/**
 * The response for anything a route threw: a RerankError keeps its body and gets its status; an
 * HttpError its own; anything else (a bug, or a RerankerLike that threw something else) is a 500
 * `inference_failed`, with the original message.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) {
    const body: HttpErrorBody = { error: { message: err.message, type: 'invalid_request_error', code: err.code } }
    return json(body, STATUS_OF_HTTP_CODE[err.code], err.headers)
  }
  if (err instanceof RerankError) return json(err.toJSON(), STATUS_OF_CODE[err.code])
  const message = err instanceof Error ? err.message : String(err)
  const wrapped = new RerankError('inference_failed', `webrerank: the reranker failed: ${message}`, { cause: err })
  return json(wrapped.toJSON(), 500)
}

const ALLOW_METHODS = 'GET, POST, OPTIONS'

/** The CORS headers for a request, per `options.cors`; none when it is `false` or the origin is not listed. */
export function corsHeaders(request: Request, cors: ResolvedHandlerOptions['cors']): Record<string, string> {
  if (cors === false) return {}
  if (typeof cors === 'string')
    return { 'Access-Control-Allow-Origin': cors, ...(cors === '*' ? {} : { Vary: 'Origin' }) }
  const origin = request.headers.get('Origin')
  return origin !== null && cors.includes(origin)
    ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
    : { Vary: 'Origin' }
}

/** The answer to a CORS preflight (any OPTIONS request): 204 with the methods and headers allowed. */
export function preflight(request: Request, cors: ResolvedHandlerOptions['cors']): Response {
  const headers: Record<string, string> = { Allow: ALLOW_METHODS, ...corsHeaders(request, cors) }
  if ('Access-Control-Allow-Origin' in headers) {
    headers['Access-Control-Allow-Methods'] = ALLOW_METHODS
    // Echo what the client asks to send (e.g. Authorization from an API client); no credentials are involved.
    headers['Access-Control-Allow-Headers'] =
      request.headers.get('Access-Control-Request-Headers') ?? 'Content-Type, Authorization'
    headers['Access-Control-Max-Age'] = '86400'
  }
  return new Response(null, { status: 204, headers })
}

/** Adds `headers` to a response the handler built (its headers are mutable). */
export function addHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
  return response
}

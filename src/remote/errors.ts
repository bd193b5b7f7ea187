// Maps a rerank server's failure to a RerankError: its error body's code when it is one of ours
// (webrerank serve, and the hosted APIs' shared ones such as too_many_documents), else by status.
// The message keeps the server's words so a caller sees what the server said.

import type { RerankError, RerankErrorCode } from '../api/errors.js'
import { fail } from '../api/validate.js'

/** Codes a server's body may carry that mean the same to the caller as to the server. */
const PASSED_THROUGH: readonly RerankErrorCode[] = [
  'empty_query',
  'too_many_documents',
  'invalid_documents',
  'invalid_top_n',
  'invalid_request',
  'model_not_found',
  'model_load_failed',
  'inference_failed',
  'invalid_api_key',
  'rate_limited',
]

/** The code of a status when the body names none we know. */
function codeOfStatus(status: number, message: string): RerankErrorCode {
  if (status === 401 || status === 403) return 'invalid_api_key'
  if (status === 404 && /model/i.test(message)) return 'model_not_found'
  if (status === 429) return 'rate_limited'
  if (status === 408 || status === 504) return 'timeout'
  if (status === 502 || status === 503) return 'remote_unavailable'
  if (status >= 500) return 'inference_failed'
  return 'invalid_request'
}

/** The error for a non-2xx answer from `url`, given its status and body text. */
export function responseError(url: string, status: number, text: string): RerankError {
  const { message, code } = readErrorBody(text)
  const said = (message ?? text.slice(0, 300)).replace(/^webrerank: /, '') || '(no message)'
  const known = code !== undefined && (PASSED_THROUGH as readonly string[]).includes(code)
  return fail(
    known ? (code as RerankErrorCode) : codeOfStatus(status, said),
    `the rerank server at ${url} answered ${status}: ${said}`,
  )
}

/**
 * The message and code of an error body in the shapes servers use: `{ error: { message, code } }`
 * (OpenAI style: webrerank, Jina, vLLM), `{ message }` (Cohere), `{ error, error_type }` (TEI),
 * `{ detail }` (FastAPI: Infinity).
 */
function readErrorBody(text: string): { message?: string; code?: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return {}
  }
  if (typeof body !== 'object' || body === null) return {}
  const { error, message, detail } = body as Record<string, unknown>
  if (typeof error === 'object' && error !== null) {
    const inner = error as Record<string, unknown>
    return {
      ...(typeof inner.message === 'string' ? { message: inner.message } : {}),
      ...(typeof inner.code === 'string' ? { code: inner.code } : {}),
    }
  }
  if (typeof error === 'string') return { message: error }
  if (typeof message === 'string') return { message }
  if (typeof detail === 'string') return { message: detail }
  if (detail !== undefined) return { message: JSON.stringify(detail) }
  return {}
}

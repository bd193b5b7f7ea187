// Resolves the remote backend's options once: the rerank route's URL, the format, the retry and
// timeout settings, and which backend a reranker uses (`policy`).

import { DEFAULTS, POLICIES, REMOTE_DEFAULTS, REMOTE_FORMATS, REMOTE_ROUTES } from '../api/defaults.js'
import type { LongDocumentOptions } from '../api/options.js'
import type { Policy, RemoteFormat, RerankerOptions } from '../api/types.js'
import { describe, fail, oneOf, optionalStrings, positiveInteger, positiveNumber } from '../api/validate.js'

/** How the remote backend posts: a URL and its init, as `fetch(url, init)` takes them. */
export type Post = (url: string, init: RequestInit) => Promise<Response>

/** The remote backend's options with every default applied. */
export interface RemoteOptions {
  /** The URL requests are posted to: the format's rerank route. */
  url: string
  format: RemoteFormat
  /** The model name sent to the server, if any. */
  model?: string
  /** Request headers: JSON content type, the bearer token, the caller's own. */
  headers: Record<string, string>
  timeoutMs: number
  maxRetries: number
  post: Post
  /** The request checks' limits, as for a local reranker. */
  maxDocuments: number
  long: LongDocumentOptions
}

/** Which backend `options` asks for: `policy`, else `'remote'` with an endpoint, else `'local'`. */
export function resolvePolicy(options: RerankerOptions): Policy {
  const policy = oneOf(options.policy, POLICIES, 'policy')
  if (policy !== undefined) return policy
  return options.endpoint === undefined ? 'local' : 'remote'
}

/** Validates the remote options and applies their defaults. Throws `invalid_request`. */
export function resolveRemoteOptions(options: RerankerOptions, policy: Policy): RemoteOptions {
  const { endpoint, apiKey, remoteModel, model, headers } = options
  if (endpoint === undefined) {
    throw fail('invalid_request', `policy "${policy}" needs an endpoint (the URL of a rerank server).`)
  }
  const format = oneOf(options.format, REMOTE_FORMATS, 'format') ?? REMOTE_DEFAULTS.format
  optionalStrings({ apiKey, remoteModel, model })
  if (headers !== undefined && !isStringRecord(headers)) {
    throw fail('invalid_request', `headers must be an object of strings (got ${describe(headers)}).`)
  }
  try {
    // What fetch would refuse on every attempt (a name with a space…): refused now, once.
    new Headers(headers)
  } catch (err) {
    throw fail('invalid_request', `headers: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (apiKey === '') throw fail('invalid_request', 'apiKey must not be empty (leave it out for no key).')
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw fail('invalid_request', `fetch must be a function (got ${describe(options.fetch)}).`)
  }
  // 0 retries is a valid choice, so not positiveInteger.
  const maxRetries = options.maxRetries ?? REMOTE_DEFAULTS.maxRetries
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw fail('invalid_request', `maxRetries must be a non-negative integer (got ${describe(maxRetries)}).`)
  }
  const sentModel = remoteModel ?? model
  return {
    url: routeUrl(endpoint, format),
    format,
    ...(sentModel === undefined ? {} : { model: sentModel }),
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }),
      ...headers,
    },
    timeoutMs: positiveNumber(options.timeoutMs, 'timeoutMs') ?? REMOTE_DEFAULTS.timeoutMs,
    maxRetries,
    // The signal goes in fetch's own init, not on a Request object: on Node 20 a Request's link
    // to its signal can be garbage-collected, and the abort (the timeout) is then never seen.
    // Called on globalThis: some runtimes refuse a detached `fetch` ("Illegal invocation").
    post: options.fetch
      ? (url, init) => (options.fetch as (request: Request) => Promise<Response>)(new Request(url, init))
      : (url, init) => globalThis.fetch(url, init),
    maxDocuments: positiveInteger(options.maxDocuments, 'maxDocuments') ?? DEFAULTS.maxDocuments,
    // Servers cut documents (max_tokens_per_doc, TEI's truncate); chunking is the local engine's.
    long: {
      maxTokensPerDoc: positiveInteger(options.maxTokensPerDoc, 'maxTokensPerDoc') ?? DEFAULTS.maxTokensPerDoc,
      mode: 'truncate',
    },
  }
}

/**
 * The rerank route's URL: `endpoint` as is when its path ends in `/rerank`, else the format's
 * route appended to it. A relative endpoint is resolved against the page (browser only).
 */
function routeUrl(endpoint: unknown, format: RemoteFormat): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw fail('invalid_request', `endpoint must be a URL (got ${describe(endpoint)}).`)
  }
  let url: URL
  try {
    url = new URL(endpoint, (globalThis as { location?: { href: string } }).location?.href)
  } catch {
    throw fail('invalid_request', `endpoint must be an absolute http(s) URL (got ${describe(endpoint)}).`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fail('invalid_request', `endpoint must be an http(s) URL (got ${describe(endpoint)}).`)
  }
  const path = url.pathname.replace(/\/+$/, '')
  if (!path.endsWith('/rerank')) url.pathname = path + REMOTE_ROUTES[format]
  return url.href
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  )
}

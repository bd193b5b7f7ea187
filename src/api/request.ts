// Turns either call form (positional arguments or a /v1/rerank body) into one checked request
// with every per-call default applied. Validation happens here, before any model work, so bad
// input never costs a model load. Errors name fields as the caller spelled them: `topN` in a
// call, `top_n` in a body.

import { DEFAULTS } from './defaults.js'
import { resolveLongDocuments, type LongDocumentOptions } from './options.js'
import { describe, fail, optionalBoolean, positiveInteger, positiveNumber, refuseUnknownKeys } from './validate.js'
import type { CallControls } from './reranker.js'
import type { RerankCallOptions, RerankRequest } from './types.js'

/** A request after validation: texts extracted, every option resolved. */
export interface NormalizedRequest {
  /** The name to echo in the response, when the caller gave one. */
  model?: string
  query: string
  documents: string[]
  topN: number
  returnDocuments: boolean
  /** Latency budget in ms, when the caller set one. */
  budgetMs?: number
  long: LongDocumentOptions
}

/** What the request checks need from the reranker: its document limit and long-document settings. */
export interface RequestLimits {
  maxDocuments: number
  long: LongDocumentOptions
}

/** Every option of one call, to refuse a misspelt one (`top_n` in a call) rather than ignore it. */
const CALL_OPTION_NAMES: readonly (keyof RerankCallOptions)[] = [
  'topN',
  'returnDocuments',
  'signal',
  'budgetMs',
  'onBatch',
  'maxTokensPerDoc',
  'longDocuments',
]

/** True when the first argument of `rerank` is a request body rather than a query string. */
export function isRequestBody(value: unknown): value is RerankRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks a positional call `rerank(query, documents, options)`. */
export function normalizeCall(
  query: unknown,
  documents: unknown,
  options: RerankCallOptions | undefined,
  limits: RequestLimits,
): NormalizedRequest {
  const texts = normalize(query, documents, limits.maxDocuments)
  // As in a body, null means absent.
  // Typed callers pass RerankCallOptions; untyped ones may pass anything, so read it as unknown.
  const given: unknown = options
  if (typeof given === 'object' && given !== null) refuseUnknownKeys(given, CALL_OPTION_NAMES, 'call option')
  const field = (name: keyof RerankCallOptions): unknown =>
    typeof given === 'object' && given !== null ? ((given as Record<string, unknown>)[name] ?? undefined) : undefined
  const requestedTopN = positiveInteger(field('topN'), 'topN', 'invalid_top_n')
  const returnDocuments = optionalBoolean(field('returnDocuments'), 'returnDocuments') ?? DEFAULTS.returnDocuments
  const budgetMs = positiveNumber(field('budgetMs'), 'budgetMs')
  return {
    ...texts,
    topN: topN(requestedTopN, documents),
    returnDocuments,
    ...(budgetMs === undefined ? {} : { budgetMs }),
    long: resolveLongDocuments(
      field('maxTokensPerDoc'),
      field('longDocuments'),
      'maxTokensPerDoc',
      'longDocuments',
      limits.long,
    ),
  }
}

/**
 * Checks a /v1/rerank body `{ model, query, documents, top_n, return_documents, max_tokens_per_doc }`.
 * `null` in an optional field means the field is absent, as JSON clients send it.
 */
export function normalizeBody(body: RerankRequest, limits: RequestLimits): NormalizedRequest {
  const field = (name: keyof RerankRequest): unknown => body[name] ?? undefined
  const model = field('model')
  if (model !== undefined && typeof model !== 'string') {
    throw fail('invalid_request', `model must be a string (got ${describe(model)}).`)
  }
  return {
    ...(model === undefined ? {} : { model }),
    ...normalize(body.query, body.documents, limits.maxDocuments),
    topN: topN(positiveInteger(field('top_n'), 'top_n', 'invalid_top_n'), body.documents),
    returnDocuments: optionalBoolean(field('return_documents'), 'return_documents') ?? DEFAULTS.returnDocuments,
    long: resolveLongDocuments(
      field('max_tokens_per_doc'),
      undefined,
      'max_tokens_per_doc',
      'longDocuments',
      limits.long,
    ),
  }
}

/** The call's `signal` and `onBatch`, checked: an AbortSignal and a function, or absent (null too). */
export function callControls(options: unknown): CallControls {
  if (typeof options !== 'object' || options === null) return {}
  const { signal, onBatch } = options as { signal?: unknown; onBatch?: unknown }
  if (signal != null && !(typeof AbortSignal !== 'undefined' && signal instanceof AbortSignal)) {
    throw fail('invalid_request', `signal must be an AbortSignal (got ${describe(signal)}).`)
  }
  if (onBatch != null && typeof onBatch !== 'function') {
    throw fail('invalid_request', `onBatch must be a function (got ${describe(onBatch)}).`)
  }
  return {
    ...(signal instanceof AbortSignal ? { signal } : {}),
    ...(typeof onBatch === 'function' ? { onBatch: onBatch as CallControls['onBatch'] & object } : {}),
  }
}

/** A top_n above the document count is not an error at the hosted APIs: it returns everything. */
function topN(requested: number | undefined, documents: unknown): number {
  const n = (documents as unknown[]).length
  return requested === undefined ? n : Math.min(requested, n)
}

function normalize(query: unknown, documents: unknown, maxDocuments: number): { query: string; documents: string[] } {
  if (typeof query !== 'string' || query.trim() === '') {
    throw fail('empty_query', 'query must be a non-empty string.')
  }
  if (!Array.isArray(documents)) {
    throw fail('invalid_documents', 'documents must be an array of strings or { text } objects.')
  }
  if (documents.length === 0) {
    throw fail('invalid_documents', 'documents must not be empty.')
  }
  if (documents.length > maxDocuments) {
    throw fail('too_many_documents', `Too many documents. Maximum is ${maxDocuments}.`)
  }
  return { query, documents: documents.map(documentText) }
}

function documentText(doc: unknown, index: number): string {
  if (typeof doc === 'string') return doc
  if (typeof doc === 'object' && doc !== null && typeof (doc as { text?: unknown }).text === 'string') {
    return (doc as { text: string }).text
  }
  throw fail('invalid_documents', `documents[${index}] must be a string or an object with a string "text" field.`)
}

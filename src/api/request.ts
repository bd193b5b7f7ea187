// Turns either call form (positional arguments or a /v1/rerank body) into one checked request.
// Validation happens here, before any model work, so bad input never costs a model load.

import { DEFAULTS } from './defaults.js'
import { RerankError } from './errors.js'
import type { RerankCallOptions, RerankDocumentInput, RerankRequest } from './types.js'

/** A request after validation: texts extracted, options resolved. */
export interface NormalizedRequest {
  /** The name to echo in the response, when the caller gave one. */
  model?: string
  query: string
  documents: string[]
  topN: number
  returnDocuments: boolean
  /** Latency budget in ms, when the caller set one. */
  budgetMs?: number
  /** Long-document handling for this call (engine defaults otherwise). */
  maxTokensPerDoc?: number
  longDocuments?: 'truncate' | 'chunk'
}

/** True when the first argument of `rerank` is a request body rather than a query string. */
export function isRequestBody(value: unknown): value is RerankRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks a positional call `rerank(query, documents, options)`. */
export function normalizeCall(
  query: unknown,
  documents: unknown,
  options: RerankCallOptions | undefined,
  maxDocuments: number,
): NormalizedRequest {
  const request = normalize(query, documents, options?.topN, options?.returnDocuments, undefined, maxDocuments)
  const budgetMs = options?.budgetMs
  if (budgetMs !== undefined && (typeof budgetMs !== 'number' || !(budgetMs > 0))) {
    throw new RerankError('invalid_request', 'budgetMs must be a positive number of milliseconds.')
  }
  return {
    ...request,
    ...(budgetMs === undefined ? {} : { budgetMs }),
    ...longDocumentOptions(options?.maxTokensPerDoc, options?.longDocuments),
  }
}

/** Checks `maxTokensPerDoc` / `max_tokens_per_doc` and `longDocuments`. */
export function longDocumentOptions(
  maxTokensPerDoc: unknown,
  longDocuments: unknown,
): { maxTokensPerDoc?: number; longDocuments?: 'truncate' | 'chunk' } {
  if (maxTokensPerDoc !== undefined && (typeof maxTokensPerDoc !== 'number' || !Number.isInteger(maxTokensPerDoc) || maxTokensPerDoc < 1)) {
    throw new RerankError('invalid_request', 'max_tokens_per_doc must be a positive integer.')
  }
  if (longDocuments !== undefined && longDocuments !== 'truncate' && longDocuments !== 'chunk') {
    throw new RerankError('invalid_request', 'longDocuments must be "truncate" or "chunk".')
  }
  return {
    ...(maxTokensPerDoc === undefined ? {} : { maxTokensPerDoc: maxTokensPerDoc as number }),
    ...(longDocuments === undefined ? {} : { longDocuments: longDocuments as 'truncate' | 'chunk' }),
  }
}

/** Checks a /v1/rerank body `{ model, query, documents, top_n, return_documents }`. */
export function normalizeBody(body: RerankRequest, maxDocuments: number): NormalizedRequest {
  if (body.model !== undefined && typeof body.model !== 'string') {
    throw new RerankError('invalid_request', 'model must be a string.')
  }
  return {
    ...normalize(body.query, body.documents, body.top_n, body.return_documents, body.model, maxDocuments),
    ...longDocumentOptions(body.max_tokens_per_doc, undefined),
  }
}

function normalize(
  query: unknown,
  documents: unknown,
  topN: unknown,
  returnDocuments: unknown,
  model: string | undefined,
  maxDocuments: number,
): NormalizedRequest {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new RerankError('empty_query', 'Query must be a non-empty string.')
  }
  if (!Array.isArray(documents)) {
    throw new RerankError('invalid_documents', 'documents must be an array of strings or { text } objects.')
  }
  if (documents.length === 0) {
    throw new RerankError('invalid_documents', 'documents must not be empty.')
  }
  if (documents.length > maxDocuments) {
    throw new RerankError('too_many_documents', `Too many documents. Maximum is ${maxDocuments}.`)
  }
  const texts = documents.map(documentText)
  const n = texts.length
  if (topN !== undefined && topN !== null && (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1)) {
    throw new RerankError('invalid_top_n', 'top_n must be a positive integer.')
  }
  if (returnDocuments !== undefined && returnDocuments !== null && typeof returnDocuments !== 'boolean') {
    throw new RerankError('invalid_request', 'return_documents must be a boolean.')
  }
  return {
    ...(model === undefined ? {} : { model }),
    query,
    documents: texts,
    // A top_n above the document count is not an error at the hosted APIs: it returns everything.
    topN: typeof topN === 'number' ? Math.min(topN, n) : n,
    returnDocuments: typeof returnDocuments === 'boolean' ? returnDocuments : DEFAULTS.returnDocuments,
  }
}

function documentText(doc: RerankDocumentInput | unknown, index: number): string {
  if (typeof doc === 'string') return doc
  if (typeof doc === 'object' && doc !== null && typeof (doc as { text?: unknown }).text === 'string') {
    return (doc as { text: string }).text
  }
  throw new RerankError(
    'invalid_documents',
    `documents[${index}] must be a string or an object with a string "text" field.`,
  )
}

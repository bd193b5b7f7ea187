// POST /v1/rerank (the Cohere v1 / Jina / Voyage shape, webrerank's own) and GET /v1/models.

import type { RerankDocumentInput, RerankRequest, RerankResponse, RerankResult } from '../api/types.js'
import { describe, fail, positiveInteger } from '../api/validate.js'
import type { ModelTable } from './models.js'

/** A /v1/rerank request body: webrerank's {@link RerankRequest} plus the Cohere v1 fields it accepts. */
export interface V1RerankRequest extends Omit<RerankRequest, 'documents'> {
  /** Strings, `{ text }` objects, or (with `rank_fields`) objects with any string fields. */
  documents: (RerankDocumentInput | Record<string, unknown>)[]
  /** Cohere v1: the fields of object documents to rank on, joined with a newline in this order. Default: `text`. */
  rank_fields?: string[]
  /** Cohere v1: accepted and ignored (long documents follow the reranker's `longDocuments` option). */
  max_chunks_per_doc?: number
}

/** One /v1/rerank result: `document` is the request's document object when it was one. */
export type V1RerankResult = Omit<RerankResult, 'document'> & { document?: { text: string } | Record<string, unknown> }

/** The /v1/rerank response: what `Reranker.rerank(body)` resolves to, `model` echoing the request's name. */
export type V1RerankResponse = Omit<RerankResponse, 'results'> & { results: V1RerankResult[] }

/** GET /v1/models, in the OpenAI list shape. */
export interface ModelList {
  object: 'list'
  data: { id: string; object: 'model'; owned_by: 'webrerank' }[]
}

/** The body as an object, or `invalid_request`. */
export function requestObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fail('invalid_request', `the request body must be a JSON object (got ${describe(body)}).`)
  }
  return body as Record<string, unknown>
}

/** Answers POST /v1/rerank. */
export async function v1Rerank(body: unknown, table: ModelTable, signal: AbortSignal): Promise<V1RerankResponse> {
  const fields = requestObject(body)
  const { reranker, name } = await table.resolve(fields.model)
  positiveInteger(fields.max_chunks_per_doc ?? undefined, 'max_chunks_per_doc')
  const rankFields = checkRankFields(fields.rank_fields ?? undefined)
  const documents = rankFields ? rankedTexts(fields.documents, rankFields) : fields.documents
  const request = {
    query: fields.query,
    documents,
    top_n: fields.top_n,
    return_documents: fields.return_documents,
    max_tokens_per_doc: fields.max_tokens_per_doc,
  } as RerankRequest // checked by rerank()
  const response = await reranker.rerank(request, { signal })
  const originals = fields.documents as unknown[]
  return {
    ...response,
    model: name,
    results: response.results.map((result) => {
      const original = originals[result.index]
      // Cohere v1 returns an object document as it was sent, every field included.
      return result.document && typeof original === 'object' && original !== null
        ? { ...result, document: original as Record<string, unknown> }
        : result
    }),
  }
}

/** Answers GET /v1/models. */
export function v1Models(table: ModelTable): ModelList {
  return {
    object: 'list',
    data: table.names().map((id) => ({ id, object: 'model', owned_by: 'webrerank' })),
  }
}

function checkRankFields(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0 || !value.every((f) => typeof f === 'string')) {
    throw fail('invalid_request', `rank_fields must be a non-empty array of field names (got ${describe(value)}).`)
  }
  return value
}

/** Object documents become their `rank_fields` values joined with a newline; strings stay as they are. */
function rankedTexts(documents: unknown, rankFields: string[]): unknown {
  if (!Array.isArray(documents)) return documents // rerank() reports it
  return documents.map((doc: unknown, index) => {
    if (typeof doc !== 'object' || doc === null) return doc
    const values = rankFields.flatMap((field) => {
      const value = (doc as Record<string, unknown>)[field]
      if (value === undefined || value === null) return []
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [String(value)]
      throw fail('invalid_documents', `documents[${index}].${field} must be a string, number or boolean.`)
    })
    if (values.length === 0) {
      throw fail('invalid_documents', `documents[${index}] has none of the rank_fields (${rankFields.join(', ')}).`)
    }
    return values.join('\n')
  })
}

// POST /v2/rerank: Cohere's v2 shape (no documents in the results, usage under `meta`).

import type { RerankRequest } from '../api/types.js'
import type { ModelTable } from './models.js'
import { requestObject } from './v1.js'

/** A Cohere v2 rerank body. `documents` are strings (`{ text }` objects are accepted too); `priority` is ignored. */
export interface V2RerankRequest {
  model?: string
  query: string
  documents: string[]
  top_n?: number
  max_tokens_per_doc?: number
  priority?: number
}

/** A Cohere v2 rerank response. One query is one search unit; `input_tokens` counts the real tokens scored. */
export interface V2RerankResponse {
  id: string
  results: { index: number; relevance_score: number }[]
  meta: {
    api_version: { version: '2' }
    billed_units: { search_units: number }
    tokens: { input_tokens: number }
  }
}

/** Answers POST /v2/rerank. */
export async function v2Rerank(body: unknown, table: ModelTable, signal: AbortSignal): Promise<V2RerankResponse> {
  const fields = requestObject(body)
  const { reranker } = await table.resolve(fields.model)
  const request = {
    query: fields.query,
    documents: fields.documents,
    top_n: fields.top_n,
    return_documents: false,
    max_tokens_per_doc: fields.max_tokens_per_doc,
  } as RerankRequest // checked by rerank()
  const { id, results, usage } = await reranker.rerank(request, { signal })
  return {
    id,
    results: results.map(({ index, relevance_score }) => ({ index, relevance_score })),
    meta: {
      api_version: { version: '2' },
      billed_units: { search_units: 1 },
      tokens: { input_tokens: usage.prompt_tokens },
    },
  }
}

// The `rerank(query, documents, topN)` convenience: one shared reranker with default options,
// created on first use; concurrent first calls share one load.

import type { Reranker } from './reranker.js'
import type { RerankDocumentInput, RerankerOptions, RerankResponse } from './types.js'

export function makeOneShot(create: (options?: RerankerOptions) => Promise<Reranker>) {
  let shared: Promise<Reranker> | null = null
  return function rerank(query: string, documents: RerankDocumentInput[], topN?: number): Promise<RerankResponse> {
    shared ??= create().catch((err: unknown) => {
      shared = null
      throw err
    })
    return shared.then((r) => r.rerank(query, documents, topN === undefined ? {} : { topN }))
  }
}

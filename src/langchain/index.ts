// webrerank/langchain: a LangChain.js document compressor that reranks retrieved documents with
// webrerank, for ContextualCompressionRetriever (or any chain that takes a BaseDocumentCompressor).

import { Document, type DocumentInterface } from '@langchain/core/documents'
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors'
import { DEFAULTS } from '../api/defaults.js'
import type { RerankerOptions } from '../api/types.js'
import { refuseUnknownKeys } from '../api/validate.js'
import { rerankerPool, selfCreateReranker, type CreateReranker, type QueryReranker } from '../integrations/rerankers.js'

export type { CreateReranker, QueryReranker } from '../integrations/rerankers.js'

/** Options of {@link WebrerankCompressor}. Every field is optional. */
export interface WebrerankCompressorArgs {
  /** A reranker you created (used as is, never disposed). Default: one created for `model` on first use. */
  reranker?: QueryReranker
  /** The model to load when no `reranker` is given: a registry name, hub id or local folder. Default `'ms-marco-MiniLM-L-6-v2'`. */
  model?: string
  /** `createReranker` options for that model, e.g. `{ localModelPath, dtype }`. Default `{}`. */
  rerankerOptions?: Omit<RerankerOptions, 'model'>
  /** Creates that reranker. Default: `createReranker` of webrerank's own entry, imported on first use. */
  createReranker?: CreateReranker
  /** How many documents to return, best first (a positive integer). Default `3`, as LangChain's `CohereRerank`. */
  topN?: number
}

/** Every option of the compressor, to refuse a misspelt one (`top_n`) rather than ignore it. */
const COMPRESSOR_OPTION_NAMES: readonly (keyof WebrerankCompressorArgs)[] = [
  'reranker',
  'model',
  'rerankerOptions',
  'createReranker',
  'topN',
]

/**
 * Keeps the `topN` documents most relevant to the query, best first, each a new Document with
 * the same `pageContent`, `id` and `metadata` plus `metadata.relevanceScore` (0..1). The input
 * documents are not modified. Rejects with the reranker's RerankError (e.g. `model_not_found`).
 *
 * @example
 * const compressor = new WebrerankCompressor({ model: 'bge-reranker-v2-m3', topN: 2 })
 * const docs = await compressor.compressDocuments(retrieved, 'capital of France')
 * // [Document { pageContent: 'Paris is…', metadata: { source: 'a', relevanceScore: 0.97 } }, …]
 */
export class WebrerankCompressor extends BaseDocumentCompressor {
  /** The model name; with a given `reranker`, its `info.model` when it has one. */
  readonly model: string
  readonly topN: number
  private readonly reranker: () => Promise<QueryReranker>

  constructor(fields: WebrerankCompressorArgs = {}) {
    super()
    refuseUnknownKeys(fields, COMPRESSOR_OPTION_NAMES, 'option', 'WebrerankCompressor: ')
    const given = fields.reranker
    this.model = given?.info?.model ?? fields.model ?? DEFAULTS.model
    this.topN = fields.topN ?? 3
    if (given) {
      const reranker = Promise.resolve(given)
      this.reranker = () => reranker
    } else {
      const pool = rerankerPool(fields.createReranker ?? selfCreateReranker, fields.rerankerOptions)
      this.reranker = () => pool(this.model)
    }
  }

  /**
   * Ranks `documents` (Documents or strings) against `query`: `[{ index, relevanceScore }]`,
   * best first, at most `options.topN` (default: this compressor's `topN`). An empty list gives `[]`.
   */
  async rerank(
    documents: (DocumentInterface | string)[],
    query: string,
    options: { topN?: number; signal?: AbortSignal } = {},
  ): Promise<{ index: number; relevanceScore: number }[]> {
    if (documents.length === 0) return []
    const texts = documents.map((d) => (typeof d === 'string' ? d : d.pageContent))
    const reranker = await this.reranker()
    const { results } = await reranker.rerank(query, texts, {
      topN: options.topN ?? this.topN,
      returnDocuments: false,
      ...(options.signal ? { signal: options.signal } : {}),
    })
    return results.map((r) => ({ index: r.index, relevanceScore: r.relevance_score }))
  }

  /** BaseDocumentCompressor's method: the `topN` best documents with `metadata.relevanceScore`. */
  // The third parameter, LangChain's callbacks, is not used: scoring emits no LangChain events.
  async compressDocuments(documents: DocumentInterface[], query: string): Promise<DocumentInterface[]> {
    const ranking = await this.rerank(documents, query)
    return ranking.map(({ index, relevanceScore }) => {
      const doc = documents[index]!
      return new Document({
        pageContent: doc.pageContent,
        metadata: { ...doc.metadata, relevanceScore },
        ...(doc.id === undefined ? {} : { id: doc.id }),
      })
    })
  }
}

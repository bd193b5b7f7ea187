// Public types of the search pipeline (BM25 first stage, optional cross-encoder rerank).
// Results keep the /v1/rerank shape so code written for `rerank` reads them unchanged.

import type { RerankCallOptions, RerankResponse, RerankResult } from '../api/types.js'
import type { LanguageCode } from './languages/catalog.js'

export type { LanguageCode }

/**
 * How text is analysed for BM25: `'auto'` (detect per document and per query), or one language
 * for everything. Languages and their analyzers: README, "Two-stage search".
 */
export type SearchLanguage = 'auto' | LanguageCode

/**
 * A document to index: a plain string, or `{ id?, text, title?, language? }`. `language` overrides
 * the search's `language` for this document (e.g. when your data already says it).
 */
export type SearchDocumentInput = string | { id?: string; text: string; title?: string; language?: LanguageCode }

/**
 * The second stage: anything with a `rerank(query, documents, options)` method that answers in
 * the /v1/rerank shape — a `Reranker` from `createReranker`, or a test double.
 */
export interface RerankerLike {
  rerank(query: string, documents: string[], options?: RerankCallOptions): Promise<RerankResponse>
}

/** BM25 parameters. */
export interface Bm25Params {
  /** Term-frequency saturation. Default `0.9` (Anserini's; Lucene's own default is 1.2). */
  k1?: number
  /** Document-length normalization, 0 (none) to 1 (full). Default `0.4` (Anserini's; Lucene's is 0.75). */
  b?: number
}

/** Options of {@link createSearch}. Every field is optional; defaults are listed per field. */
export interface SearchOptions {
  /**
   * Reranks the BM25 candidates of each query. Default: none, so queries answer with BM25 alone.
   * The search does not own it: dispose it yourself.
   */
  reranker?: RerankerLike
  /** BM25 parameters. Default `{ k1: 0.9, b: 0.4 }`, as Anserini's BEIR baselines. */
  bm25?: Bm25Params
  /**
   * The language documents and queries are analysed in (lowercasing, normalisation, stop words,
   * stemmer; character bigrams for Chinese, Japanese and Korean, Intl.Segmenter words for Thai).
   * Default `'auto'`: each document's and each query's language is detected from its script and,
   * where several languages share one (Latin, Cyrillic, Devanagari), from its stop words; a query
   * too short to tell is analysed in each language of its script that the index holds. Each
   * result's `first_stage.analyzer` says which language its document was analysed in. An unknown
   * code throws `invalid_request`.
   */
  language?: SearchLanguage
  /**
   * Most documents sent to the reranker in one `rerank` call; more candidates are split across
   * calls (a cross-encoder scores each pair alone, so this changes no score). Default `100`, the
   * reranker's own default `maxDocuments`: raise both together.
   */
  maxDocumentsPerCall?: number
  /** Documents indexed between two yields to the event loop in {@link Search.add}. Default `500`. */
  chunkSize?: number
}

/** Progress of one {@link Search.add} call, reported after each chunk. */
export interface IndexProgress {
  /** Documents of this call indexed so far. */
  indexed: number
  /** Documents in this call. */
  total: number
}

/** Options of one {@link Search.add} call. */
export interface AddOptions {
  /** Called after each chunk, e.g. to drive a progress bar. */
  onProgress?: (progress: IndexProgress) => void
  /** Abort indexing; the call then rejects with code `'aborted'` and none of its documents stay indexed. */
  signal?: AbortSignal
}

/** Options of one {@link Search.query} call. */
export interface QueryOptions {
  /** BM25 candidates passed to the reranker. Default `100`. */
  candidates?: number
  /** Results returned. Default `10`. */
  topN?: number
  /** Rerank the candidates with the search's reranker. Default `true` (ignored when there is none). */
  rerank?: boolean
  /** Include `document: { text, title? }` in each result. Default `true`. */
  returnDocuments?: boolean
  /** The query's language, overriding the search's `language` for this query. Default: the search's. */
  language?: SearchLanguage
  /** Abort the query (and its rerank call); it then rejects with code `'aborted'`. */
  signal?: AbortSignal
}

/** Where a result stood after the BM25 stage. */
export interface FirstStage {
  /** 1-based rank in BM25 order (ties broken by the order documents were added). */
  rank: number
  /** Raw BM25 score (unbounded, comparable within one query only). */
  score: number
  /** The language the document was analysed in (`'en'`, `'zh'`, …; `'standard'`: no stemming). */
  analyzer: LanguageCode
}

/** One ranked document. */
export interface SearchResult extends RerankResult {
  /** Position of the document in the index, counting every document added, from 0. */
  index: number
  /** The document's `id`, or its `index` as a string when it was added without one. */
  id: string
  /**
   * Reranked: the reranker's score (0..1 for a `Reranker`). BM25 only: the BM25 score divided by
   * the query's best BM25 score, so 1 for the top result — a relative figure, not a probability.
   */
  relevance_score: number
  /** The BM25 stage's rank and score of this document. */
  first_stage: FirstStage
  /** The document, unless `returnDocuments` is false. */
  document?: { text: string; title?: string }
}

/** A query's answer, in the /v1/rerank response shape. */
export interface SearchResponse {
  /** The reranker's response id, or `'rerank-'` and a random id for BM25 only. */
  id: string
  /** The reranker's model, or `'bm25'` when the answer is BM25 only. */
  model: string
  /** Sorted by `relevance_score`, highest first. */
  results: SearchResult[]
  /** Tokens the reranker read (summed over its calls); 0 for BM25 only. */
  usage: { prompt_tokens: number; total_tokens: number }
}

/** An in-memory BM25 index with an optional reranking stage. Create one with `createSearch`. */
export interface Search {
  /** Documents indexed so far. */
  readonly size: number
  /**
   * Indexes `documents` in chunks, yielding to the event loop between chunks so a page stays
   * responsive while thousands of documents are added. Calls run one after another, in call order.
   * Rejects with code `'invalid_documents'` (nothing indexed) on a malformed or duplicate-id document.
   */
  add(documents: SearchDocumentInput[], options?: AddOptions): Promise<void>
  /**
   * Finds the best documents for `query`: the top `candidates` by BM25, reranked by the reranker
   * (unless `rerank: false` or there is none), cut to `topN`. Waits for `add` calls in progress.
   * Rejects with code `'empty_query'`, `'invalid_top_n'`, `'invalid_request'`, `'aborted'`, or what
   * the reranker rejects with.
   */
  query(query: string, options?: QueryOptions): Promise<SearchResponse>
}

// Defaults of the search pipeline, in one place (the reranker's own live in ../defaults.ts).

import { DEFAULTS } from '../api/defaults.js'

export const SEARCH_DEFAULTS = {
  /** Anserini's BM25 parameters for its BEIR and MS MARCO baselines. */
  bm25: { k1: 0.9, b: 0.4 },
  /** BM25 candidates handed to the reranker: what BEIR reranks, and one reranker call. */
  candidates: 100,
  topN: 10,
  /** Detect each document's and query's language (src/search/languages/detect.ts). */
  language: 'auto',
  rerank: true,
  returnDocuments: true,
  maxDocumentsPerCall: DEFAULTS.maxDocuments,
  /** ~5-20 ms of indexing for abstract-sized documents, short enough not to drop a frame budget much. */
  chunkSize: 500,
} as const

// POST /rerank: Hugging Face Text Embeddings Inference's shape (`texts` in, a bare array out).

import type { RerankRequest } from '../api/types.js'
import { fail, optionalBoolean } from '../api/validate.js'
import type { ModelTable } from './models.js'
import { requestObject } from './v1.js'

/** A TEI rerank body. `truncate` is accepted and ignored: over-long pairs are always truncated. */
export interface TeiRerankRequest {
  query: string
  texts: string[]
  /** Return the logit instead of the 0..1 score. Default `false`. */
  raw_scores?: boolean
  /** Include each text in its result. Default `false`. */
  return_text?: boolean
  truncate?: boolean
  truncation_direction?: 'Left' | 'Right'
}

/** One TEI result, best first. */
export interface TeiRerankResult {
  index: number
  score: number
  text?: string
}

/** Answers POST /rerank (the default model: TEI serves one). */
export async function teiRerank(body: unknown, table: ModelTable, signal: AbortSignal): Promise<TeiRerankResult[]> {
  const fields = requestObject(body)
  const { reranker } = await table.resolve(fields.model)
  const raw = optionalBoolean(fields.raw_scores ?? undefined, 'raw_scores') ?? false
  const returnText = optionalBoolean(fields.return_text ?? undefined, 'return_text') ?? false
  optionalBoolean(fields.truncate ?? undefined, 'truncate')
  checkTexts(fields.texts)
  const request = {
    query: fields.query,
    documents: fields.texts,
    return_documents: returnText,
  } as RerankRequest // checked by rerank()
  const { results } = await reranker.rerank(request, { signal })
  return results.map(({ index, relevance_score, document }) => ({
    index,
    score: raw ? logit(relevance_score) : relevance_score,
    ...(returnText && document ? { text: document.text } : {}),
  }))
}

/** TEI's `texts`, checked here so that messages name the field as the caller spelled it. */
function checkTexts(texts: unknown): asserts texts is string[] {
  if (!Array.isArray(texts)) throw fail('invalid_documents', 'texts must be an array of strings.')
  if (texts.length === 0) throw fail('invalid_documents', 'texts must not be empty.')
  const bad = texts.findIndex((text) => typeof text !== 'string')
  if (bad >= 0) throw fail('invalid_documents', `texts[${bad}] must be a string.`)
}

/** The largest double below 1: p is clamped to (0, 1) so the logit stays finite. */
const BELOW_ONE = 1 - Number.EPSILON / 2

/** ln(p / (1 - p)), the inverse of the sigmoid that made the score; finite for every p in [0, 1]. */
export function logit(p: number): number {
  const q = Math.min(Math.max(p, Number.MIN_VALUE), BELOW_ONE)
  return Math.log(q) - Math.log1p(-q)
}

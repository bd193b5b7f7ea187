// Builds the /v1/rerank response body from per-document scores.

import type { NormalizedRequest } from './request.js'
import type { RerankResponse, RerankResult } from './types.js'

/** A random `rerank-…` id like the hosted APIs'. */
export function responseId(): string {
  const bytes = new Uint8Array(12)
  globalThis.crypto.getRandomValues(bytes)
  return 'rerank-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Sorts documents by score (highest first, ties by original index), keeps `topN`, and wraps
 * them in the response body. `tokens` is the real (unpadded) token count fed to the model.
 * With `scored` (a latency budget was set), unscored documents follow the scored ones in their
 * incoming order with score 0, and every result says whether it was reranked.
 */
export function buildResponse(
  request: NormalizedRequest,
  scores: ArrayLike<number>,
  tokens: number,
  modelName: string,
  scored?: ArrayLike<number>,
): RerankResponse {
  const order = Array.from({ length: scores.length }, (_, i) => i)
  const rank = (i: number): number => (scored && !scored[i] ? -Infinity : scores[i]!)
  order.sort((a, b) => rank(b) - rank(a) || a - b)
  const results: RerankResult[] = order.slice(0, request.topN).map((index) => {
    const reranked = scored ? scored[index] === 1 : true
    const result: RerankResult = { index, relevance_score: reranked ? scores[index]! : 0 }
    if (request.returnDocuments) result.document = { text: request.documents[index]! }
    if (scored) result.reranked = reranked
    return result
  })
  return {
    id: responseId(),
    model: request.model ?? modelName,
    results,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}

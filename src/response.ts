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
 */
export function buildResponse(
  request: NormalizedRequest,
  scores: ArrayLike<number>,
  tokens: number,
  modelName: string,
): RerankResponse {
  const order = Array.from({ length: scores.length }, (_, i) => i)
  order.sort((a, b) => scores[b]! - scores[a]! || a - b)
  const results: RerankResult[] = order.slice(0, request.topN).map((index) => {
    const result: RerankResult = { index, relevance_score: scores[index]! }
    if (request.returnDocuments) result.document = { text: request.documents[index]! }
    return result
  })
  return {
    id: responseId(),
    model: request.model ?? modelName,
    results,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }
}

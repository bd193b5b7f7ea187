// The rerankers behind the AI SDK provider and the LangChain compressor: given, created by the
// caller's factory, or created by webrerank's own entry for this platform, once per model name.

import type { RerankCallOptions, RerankerOptions, RerankResponse } from '../api/types.js'

/**
 * What the integrations use of a reranker: its `rerank(query, documents, options)` call form. A
 * webrerank `Reranker` (local or remote) is one; so is any object with that method (a stub in
 * tests). Not webrerank/http's `RerankerLike`, which is called with a request body.
 */
export interface QueryReranker {
  /** What it runs; `model` names it (a webrerank Reranker's `info` has it). */
  readonly info?: { readonly model: string }
  rerank(
    query: string,
    documents: string[],
    options?: Pick<RerankCallOptions, 'topN' | 'signal' | 'returnDocuments'>,
  ): Promise<RerankResponse>
}

/** Creates a reranker for `options.model`, e.g. webrerank's `createReranker`. */
export type CreateReranker = (options: RerankerOptions & { model: string }) => Promise<QueryReranker>

/**
 * webrerank's own `createReranker`, imported on first use by the package's name: in Node that is
 * the onnxruntime-node entry, in a bundled page the worker entry (export conditions decide), so
 * the integrations themselves pull neither into a bundle that never calls this.
 */
export const selfCreateReranker: CreateReranker = async (options) => {
  const { createReranker } = await import('webrerank')
  return createReranker(options)
}

/**
 * One reranker per model name, created on first use and shared by later calls. A failed creation
 * is forgotten, so the next call tries again (e.g. after the network came back).
 */
export function rerankerPool(
  create: CreateReranker,
  options: Omit<RerankerOptions, 'model'> = {},
): (model: string) => Promise<QueryReranker> {
  const pool = new Map<string, Promise<QueryReranker>>()
  return (model) => {
    let reranker = pool.get(model)
    if (!reranker) {
      reranker = create({ ...options, model })
      pool.set(model, reranker)
      reranker.catch(() => pool.delete(model))
    }
    return reranker
  }
}

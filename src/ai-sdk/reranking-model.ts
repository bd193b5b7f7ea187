// A webrerank reranker as the AI SDK's reranking model (RerankingModelV4): `rerank()` from `ai`
// calls doRerank, which ranks the documents with the reranker and answers in the SDK's shape.

import type {
  JSONObject,
  RerankingModelV4,
  RerankingModelV4CallOptions,
  RerankingModelV4Result,
} from '@ai-sdk/provider'
import type { RerankCallOptions } from '../api/types.js'
import type { QueryReranker } from '../integrations/rerankers.js'
import { raceAbort } from '../util/abort.js'
import { asAiSdkError } from './errors.js'

/** The text an object document is ranked on. */
export type DocumentText = (document: JSONObject) => string

/**
 * The default {@link DocumentText}: the object's `text` field when it is a string (the hosted
 * APIs' `{ text }` document, so `{ text, url, … }` ranks on its text alone, with no keys or
 * metadata spending the model's token budget), else `JSON.stringify(document)`, as
 * `@ai-sdk/cohere` sends objects.
 *
 * @example
 * defaultDocumentText({ text: 'Paris', id: 7 }) // 'Paris'
 * defaultDocumentText({ title: 'Paris', id: 7 }) // '{"title":"Paris","id":7}'
 */
export const defaultDocumentText: DocumentText = (document) =>
  typeof document.text === 'string' ? document.text : JSON.stringify(document)

/** The AI SDK reranking model of one webrerank model; made by `webrerank.reranking(…)`. */
export class WebrerankRerankingModel implements RerankingModelV4 {
  readonly specificationVersion = 'v4'
  readonly provider = 'webrerank'

  constructor(
    readonly modelId: string,
    private readonly reranker: () => Promise<QueryReranker>,
    private readonly documentText: DocumentText = defaultDocumentText,
  ) {}

  /**
   * Ranks `documents` against `query`: `ranking` holds every document (or the best `topN`), best
   * first, with the reranker's 0..1 `relevanceScore`; `response` carries the reranker's `id`,
   * `modelId` (the name the reranker answers to) and the `/v1/rerank` body. Rejects with a
   * RerankError marked as the matching AI SDK error (see `asAiSdkError`), `aborted` when
   * `abortSignal` fires, also while the model is still loading.
   */
  async doRerank({
    documents,
    query,
    topN,
    abortSignal,
  }: RerankingModelV4CallOptions): Promise<RerankingModelV4Result> {
    const timestamp = new Date()
    try {
      const texts = documents.type === 'text' ? documents.values : documents.values.map(this.documentText)
      // The load is shared with other calls, so an abort stops waiting for it rather than the load.
      const reranker = await raceAbort(this.reranker(), abortSignal)
      const options: RerankCallOptions = { returnDocuments: false }
      if (topN !== undefined) options.topN = topN
      if (abortSignal) options.signal = abortSignal
      const res = await reranker.rerank(query, texts, options)
      return {
        ranking: res.results.map((r) => ({ index: r.index, relevanceScore: r.relevance_score })),
        providerMetadata: { webrerank: { promptTokens: res.usage.prompt_tokens } },
        response: { id: res.id, modelId: res.model, timestamp, body: res },
      }
    } catch (err) {
      throw asAiSdkError(err, this.modelId)
    }
  }
}

// webrerank/ai-sdk: an AI SDK provider whose reranking models run webrerank, so `rerank()` from
// `ai` ranks on the user's device. Types from @ai-sdk/provider only: nothing of it is needed at
// run time.

import type { ProviderV4 } from '@ai-sdk/provider'
import type { RerankerOptions } from '../api/types.js'
import { rerankerPool, selfCreateReranker, type CreateReranker, type QueryReranker } from '../integrations/rerankers.js'
import { noSuchModel } from './errors.js'
import { WebrerankRerankingModel, type DocumentText } from './reranking-model.js'

export { defaultDocumentText, WebrerankRerankingModel, type DocumentText } from './reranking-model.js'
export type { CreateReranker, QueryReranker } from '../integrations/rerankers.js'

/** Options of {@link createWebrerank}. */
export interface WebrerankProviderSettings {
  /**
   * Creates the reranker of a model name, once per name (later calls share it; a failed
   * creation is retried by the next call). Default: `createReranker` of webrerank's own entry,
   * imported on first use (the worker entry in a bundled page, onnxruntime-node in Node).
   */
  createReranker?: CreateReranker
  /** `createReranker` options for every model, e.g. `{ localModelPath, dtype }` (`model` is the model id). Default `{}`. */
  rerankerOptions?: Omit<RerankerOptions, 'model'>
  /** The text of an object document. Default {@link defaultDocumentText}: its `text` field, else its JSON. */
  documentText?: DocumentText
}

/** Options of one reranking model. */
export interface WebrerankRerankingSettings {
  /** The text of an object document; default: the provider's. */
  documentText?: DocumentText
}

/**
 * An AI SDK provider (ProviderV4) with reranking models only: `languageModel`, `embeddingModel`
 * and `imageModel` throw a RerankError `model_not_found` marked as `NoSuchModelError`.
 */
export interface WebrerankProvider extends ProviderV4 {
  /**
   * The reranking model of a model name (a registry name, hub id or local folder, as
   * `createReranker` takes), or of a reranker you created (its `info.model` is the model id).
   */
  reranking(model: string | QueryReranker, settings?: WebrerankRerankingSettings): WebrerankRerankingModel
  /** The reranking model of a model name (ProviderV4's method; `createProviderRegistry` calls it). */
  rerankingModel(modelId: string): WebrerankRerankingModel
}

/**
 * Creates a webrerank provider for the AI SDK.
 *
 * @example
 * import { rerank } from 'ai'
 * const webrerank = createWebrerank({ rerankerOptions: { localModelPath: './models/', allowRemoteModels: false } })
 * const { ranking } = await rerank({ model: webrerank.reranking('bge-reranker-v2-m3'), query, documents, topN: 3 })
 * // ranking: [{ originalIndex, score, document }], best first
 */
export function createWebrerank(settings: WebrerankProviderSettings = {}): WebrerankProvider {
  const rerankerFor = rerankerPool(settings.createReranker ?? selfCreateReranker, settings.rerankerOptions)
  const reranking = (
    model: string | QueryReranker,
    options: WebrerankRerankingSettings = {},
  ): WebrerankRerankingModel => {
    const documentText = options.documentText ?? settings.documentText
    if (typeof model === 'string') return new WebrerankRerankingModel(model, () => rerankerFor(model), documentText)
    const reranker = Promise.resolve(model)
    return new WebrerankRerankingModel(model.info?.model ?? 'webrerank', () => reranker, documentText)
  }
  return {
    specificationVersion: 'v4',
    reranking,
    rerankingModel: (modelId) => reranking(modelId),
    languageModel: (modelId) => {
      throw noSuchModel(modelId, 'languageModel')
    },
    embeddingModel: (modelId) => {
      throw noSuchModel(modelId, 'embeddingModel')
    },
    imageModel: (modelId) => {
      throw noSuchModel(modelId, 'imageModel')
    },
  }
}

/**
 * The default provider: models load from the Hugging Face hub with default options on first use.
 *
 * @example
 * const { ranking } = await rerank({ model: webrerank.reranking('ms-marco-MiniLM-L-6-v2'), query, documents })
 */
export const webrerank: WebrerankProvider = createWebrerank()

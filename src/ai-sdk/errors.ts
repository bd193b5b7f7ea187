// RerankErrors as the AI SDK recognises its own errors. The SDK's `isInstance` checks look for
// `Symbol.for('vercel.ai.error…')` markers rather than classes (so that errors work across copies
// of the package); marking a RerankError lets `NoSuchModelError.isInstance(err)` and the like
// answer true without importing @ai-sdk/provider at run time, and the error stays a RerankError
// with its code, type, message and toJSON().

import { RerankError, type RerankErrorCode } from '../api/errors.js'

/** The AI SDK error each code stands for (besides the generic `AISDKError`). */
const AI_SDK_ERROR: Partial<Record<RerankErrorCode, string>> = {
  model_not_found: 'AI_NoSuchModelError',
  empty_query: 'AI_InvalidArgumentError',
  too_many_documents: 'AI_InvalidArgumentError',
  invalid_documents: 'AI_InvalidArgumentError',
  invalid_top_n: 'AI_InvalidArgumentError',
  invalid_request: 'AI_InvalidArgumentError',
}

/** The argument of `rerank()` an invalid-input code is about (InvalidArgumentError's field). */
const ARGUMENT: Partial<Record<RerankErrorCode, string>> = {
  empty_query: 'query',
  too_many_documents: 'documents',
  invalid_documents: 'documents',
  invalid_top_n: 'topN',
}

function mark(err: object, marker: string): void {
  Object.defineProperty(err, Symbol.for(marker), { value: true })
}

/**
 * Marks `err` (when it is a RerankError) as the AI SDK error it stands for and returns it:
 * every code is an `AISDKError`; `model_not_found` a `NoSuchModelError` (`modelId`,
 * `modelType: 'rerankingModel'`); the invalid-input codes an `InvalidArgumentError` (`argument`
 * and `parameter` name the `rerank()` argument, e.g. `'topN'`). `aborted` already has
 * `name: 'AbortError'`, which the SDK treats as a cancellation (no retry). Nothing is marked as
 * an `APICallError`: no HTTP call failed, and the SDK retries only those.
 */
export function asAiSdkError<T>(err: T, modelId: string, modelType = 'rerankingModel'): T {
  if (!(err instanceof RerankError) || Symbol.for('vercel.ai.error') in err) return err
  mark(err, 'vercel.ai.error')
  const kind = AI_SDK_ERROR[err.code]
  if (kind) mark(err, `vercel.ai.error.${kind}`)
  if (kind === 'AI_NoSuchModelError') Object.assign(err, { modelId, modelType })
  const argument = ARGUMENT[err.code]
  if (argument) Object.assign(err, { argument, parameter: argument })
  return err
}

/** The error ProviderV4's other model kinds throw: webrerank has reranking models only. */
export function noSuchModel(modelId: string, modelType: string): RerankError {
  return asAiSdkError(
    new RerankError(
      'model_not_found',
      `webrerank: no ${modelType} "${modelId}": webrerank serves reranking models only.`,
    ),
    modelId,
    modelType,
  )
}

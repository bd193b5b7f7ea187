// Applies defaults to createReranker's options and checks them, once, for both entries.

import { DEFAULTS } from './defaults.js'
import type { EngineOptions } from '../engine/engine.js'
import { RerankError } from './errors.js'
import { longDocumentOptions } from './request.js'
import { findModel, suggestModels } from '../models/registry.js'
import type { Device, Dtype, ProgressEvent, RerankerOptions, ResolvedDtype } from './types.js'

const DEVICES: readonly Device[] = ['auto', 'webgpu', 'wasm', 'cpu']
const DTYPES: readonly Dtype[] = ['auto', 'fp32', 'fp16', 'q8', 'q4']

export interface ResolvedOptions {
  engine: EngineOptions
  maxDocuments: number
  onProgress?: (e: ProgressEvent) => void
}

export function resolveOptions(options: RerankerOptions = {}): ResolvedOptions {
  const device = options.device ?? DEFAULTS.device
  const dtype = options.dtype ?? DEFAULTS.dtype
  if (!DEVICES.includes(device)) {
    throw new RerankError('invalid_request', `webrerank: unknown device "${String(device)}"; use one of ${DEVICES.join(', ')}.`)
  }
  if (!DTYPES.includes(dtype)) {
    throw new RerankError('invalid_request', `webrerank: unknown dtype "${String(dtype)}"; use one of ${DTYPES.join(', ')}.`)
  }
  const model = options.model ?? DEFAULTS.model
  if (typeof model !== 'string' || model.trim() === '') {
    throw new RerankError('model_not_found', 'webrerank: model must be a non-empty hub id or folder name.')
  }
  const entry = findModel(model)
  // A name with no registry entry and no owner/ prefix cannot be a hub id: say what exists.
  if (!entry && !model.includes('/')) {
    const suggestions = suggestModels(model)
    throw new RerankError(
      'model_not_found',
      `webrerank: unknown model "${model}". Use a registry name${suggestions.length ? ` (did you mean ${suggestions.map((n) => `"${n}"`).join(', ')}?)` : ''} or a hub id such as "Xenova/ms-marco-MiniLM-L-6-v2".`,
    )
  }
  const maxDocuments = options.maxDocuments ?? DEFAULTS.maxDocuments
  if (!Number.isInteger(maxDocuments) || maxDocuments < 1) {
    throw new RerankError('invalid_request', 'webrerank: maxDocuments must be a positive integer.')
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new RerankError('invalid_request', 'webrerank: threads must be a positive integer.')
  }
  for (const key of ['batchTokenBudget', 'maxBatchSize', 'maxTokens'] as const) {
    const value = options[key]
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RerankError('invalid_request', `webrerank: ${key} must be a positive integer.`)
    }
  }
  const engine: EngineOptions = {
    model,
    modelId: entry?.id ?? model,
    ...(entry ? { autoDtype: entry.defaultDtype, availableDtypes: Object.keys(entry.files) as ResolvedDtype[] } : {}),
    ...maxTokensOption(options.maxTokens, entry?.maxTokens),
    device,
    dtype,
    allowRemoteModels: options.allowRemoteModels ?? DEFAULTS.allowRemoteModels,
    remoteHost: options.remoteHost ?? DEFAULTS.remoteHost,
    ...(options.localModelPath === undefined ? {} : { localModelPath: options.localModelPath }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.wasmPaths === undefined ? {} : { wasmPaths: options.wasmPaths }),
    ...(options.batchTokenBudget === undefined ? {} : { batchTokenBudget: options.batchTokenBudget }),
    ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
    ...(options.instruction === undefined ? {} : { instruction: options.instruction }),
    ...longDocumentOptions(options.maxTokensPerDoc, options.longDocuments),
  }
  return { engine, maxDocuments, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }
}

/** The pair length limit: the caller's (capped at a registry model's maximum), else the registry's. */
function maxTokensOption(requested: number | undefined, modelMax: number | undefined): { maxTokens?: number } {
  const value = requested === undefined ? modelMax : modelMax === undefined ? requested : Math.min(requested, modelMax)
  return value === undefined ? {} : { maxTokens: value }
}

// Applies defaults to createReranker's options and checks them, once, for every entry. What it
// returns is complete: later modules (engine, device choice, platform) read resolved values and
// never apply a default of their own.

import { findModel, suggestModels } from '../models/registry.js'
import { AUTO_DTYPE, BATCHING, DEFAULTS, DEVICES, DTYPES, LONG_DOCUMENT_MODES, type BatchLimits } from './defaults.js'
import { fail, oneOf, positiveInteger } from './validate.js'
import type {
  Device,
  Dtype,
  LongDocumentMode,
  ProgressEvent,
  RerankerOptions,
  ResolvedDevice,
  ResolvedDtype,
} from './types.js'

/** Where model files come from. */
export interface ModelSource {
  /** The hub repo or local folder to load. */
  model: string
  localModelPath?: string
  allowRemoteModels: boolean
  remoteHost: string
}

/** How long documents are handled: cut to `maxTokensPerDoc`, then truncated or chunked. */
export interface LongDocumentOptions {
  maxTokensPerDoc: number
  mode: LongDocumentMode
}

/** createReranker's options with every default applied: plain data, so it crosses the worker boundary. */
export interface ResolvedOptions {
  /** The name the caller used (echoed in responses). */
  model: string
  /** The repo or folder actually loaded (a registry name resolved to its hub id). */
  modelId: string
  source: ModelSource
  device: Device
  dtype: Dtype
  /** The dtype `'auto'` means on each device (the registry's, else ours). */
  autoDtype: Record<ResolvedDevice, ResolvedDtype>
  /** Registry models: the dtypes the repo has files for. */
  availableDtypes?: ResolvedDtype[]
  /** WASM/CPU threads to run on. */
  threads: number
  /** Browser: where the caller serves onnxruntime-web's runtime files (absent: the bundled ones). */
  wasmPaths?: string | { mjs: string; wasm: string }
  /** Micro-batch limits per device (the caller's override applies to all). */
  batching: Record<ResolvedDevice, BatchLimits>
  /** Whether the caller set maxBatchSize (then q8 is batched as asked, trading batch independence for speed). */
  maxBatchSizeSet: boolean
  /** Longest pair: the caller's (capped at a registry model's maximum) or the registry's; absent: the tokenizer's. */
  maxTokens?: number
  /** Qwen3-Reranker's instruction (absent: the model card's). */
  instruction?: string
  long: LongDocumentOptions
  maxDocuments: number
}

/** What differs between entries when resolving: the threads a request for `requested` gets. */
export interface Environment {
  threads(requested: number | undefined): number
}

/** Validates `options` and applies every default. Throws `invalid_request` or `model_not_found`. */
export function resolveOptions(
  options: RerankerOptions,
  environment: Environment,
): { resolved: ResolvedOptions; onProgress?: (e: ProgressEvent) => void } {
  const device: Device = oneOf(options.device, DEVICES, 'device') ?? DEFAULTS.device
  const dtype: Dtype = oneOf(options.dtype, DTYPES, 'dtype') ?? DEFAULTS.dtype
  const model = options.model ?? DEFAULTS.model
  if (typeof model !== 'string' || model.trim() === '') {
    throw fail('model_not_found', 'model must be a non-empty hub id, registry name or folder name.')
  }
  const entry = findModel(model)
  // A name with no registry entry and no owner/ prefix cannot be a hub id: say what exists.
  if (!entry && !model.includes('/')) {
    const suggestions = suggestModels(model)
    const hint = suggestions.length ? ` (did you mean ${suggestions.map((n) => `"${n}"`).join(', ')}?)` : ''
    throw fail(
      'model_not_found',
      `unknown model "${model}". Use a registry name${hint} or a hub id such as "Xenova/ms-marco-MiniLM-L-6-v2".`,
    )
  }
  const threads = positiveInteger(options.threads, 'threads')
  const batchTokenBudget = positiveInteger(options.batchTokenBudget, 'batchTokenBudget')
  const maxBatchSize = positiveInteger(options.maxBatchSize, 'maxBatchSize')
  const maxTokens = capMaxTokens(positiveInteger(options.maxTokens, 'maxTokens'), entry?.maxTokens)
  const modelId = entry?.id ?? model
  const resolved: ResolvedOptions = {
    model,
    modelId,
    source: {
      model: modelId,
      allowRemoteModels: options.allowRemoteModels ?? DEFAULTS.allowRemoteModels,
      remoteHost: options.remoteHost ?? DEFAULTS.remoteHost,
      ...(options.localModelPath === undefined ? {} : { localModelPath: options.localModelPath }),
    },
    device,
    dtype,
    autoDtype: entry ? { ...entry.defaultDtype, cpu: entry.defaultDtype.wasm } : { ...AUTO_DTYPE },
    ...(entry ? { availableDtypes: Object.keys(entry.files) as ResolvedDtype[] } : {}),
    threads: environment.threads(threads),
    ...(options.wasmPaths === undefined ? {} : { wasmPaths: options.wasmPaths }),
    batching: batchingPerDevice(batchTokenBudget, maxBatchSize),
    maxBatchSizeSet: maxBatchSize !== undefined,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(options.instruction === undefined ? {} : { instruction: options.instruction }),
    long: resolveLongDocuments(options.maxTokensPerDoc, options.longDocuments, 'maxTokensPerDoc', 'longDocuments', {
      maxTokensPerDoc: DEFAULTS.maxTokensPerDoc,
      mode: DEFAULTS.longDocuments,
    }),
    maxDocuments: positiveInteger(options.maxDocuments, 'maxDocuments') ?? DEFAULTS.maxDocuments,
  }
  return { resolved, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }
}

/** Long-document settings of a reranker or a call, falling back to `base` (the defaults, or the reranker's). */
export function resolveLongDocuments(
  maxTokensPerDoc: unknown,
  mode: unknown,
  maxTokensPerDocName: string,
  modeName: string,
  base: LongDocumentOptions,
): LongDocumentOptions {
  return {
    maxTokensPerDoc: positiveInteger(maxTokensPerDoc, maxTokensPerDocName) ?? base.maxTokensPerDoc,
    mode: oneOf(mode, LONG_DOCUMENT_MODES, modeName) ?? base.mode,
  }
}

/**
 * The longest pair a model takes when the caller and the registry say nothing: the tokenizer's
 * `model_max_length` when it is a real limit (tokenizers without one report ~1e30), else
 * `familyMax` (Qwen3-Reranker's card: 8192), else DEFAULTS.maxTokens.
 */
export function modelMaxTokens(
  resolved: number | undefined,
  tokenizerMax: number | undefined,
  familyMax?: number,
): number {
  if (resolved !== undefined) return resolved
  if (familyMax !== undefined) return familyMax
  return typeof tokenizerMax === 'number' && tokenizerMax > 0 && tokenizerMax < 1e6 ? tokenizerMax : DEFAULTS.maxTokens
}

/** The caller's pair length limit, capped at a registry model's maximum; else the registry's. */
function capMaxTokens(requested: number | undefined, modelMax: number | undefined): number | undefined {
  if (requested === undefined) return modelMax
  return modelMax === undefined ? requested : Math.min(requested, modelMax)
}

function batchingPerDevice(
  tokenBudget: number | undefined,
  maxBatchSize: number | undefined,
): Record<ResolvedDevice, BatchLimits> {
  const limits = (device: ResolvedDevice): BatchLimits => ({
    tokenBudget: tokenBudget ?? BATCHING[device].tokenBudget,
    maxBatchSize: maxBatchSize ?? BATCHING[device].maxBatchSize,
  })
  return { wasm: limits('wasm'), webgpu: limits('webgpu'), cpu: limits('cpu') }
}

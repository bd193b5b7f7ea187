// Applies defaults to createReranker's options and checks them, once, for every entry. What it
// returns is complete: later modules (engine, device choice, platform) read resolved values and
// never apply a default of their own.

import { findModel, suggestModels } from '../models/registry.js'
import { AUTO_DTYPE, BATCHING, DEFAULTS, DEVICES, DTYPES, LONG_DOCUMENT_MODES, type BatchLimits } from './defaults.js'
import {
  describe,
  fail,
  oneOf,
  optionalBoolean,
  optionalStrings,
  positiveInteger,
  refuseUnknownKeys,
} from './validate.js'
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
  /**
   * A registry model's maximum (from its card): it is the model's own limit even when the
   * repo's tokenizer_config says less (a generic 512 is common), so it replaces the tokenizer's.
   */
  registryMaxTokens?: number
  /** Qwen3-Reranker's instruction (absent: the model card's). */
  instruction?: string
  long: LongDocumentOptions
  maxDocuments: number
}

/** What differs between entries when resolving. */
export interface Environment {
  /** The threads a request for `requested` gets. */
  threads(requested: number | undefined): number
  /**
   * Browser: resolves a URL against the page (a same-origin one to a root-relative path), so
   * that a relative `localModelPath` means the same in the worker (whose base URL is the worker
   * script's) as on the page.
   */
  resolveUrl?(url: string): string
}

/** Every option createReranker knows, to refuse a misspelt one rather than ignore it. */
const OPTION_NAMES: readonly (keyof RerankerOptions)[] = [
  'model',
  'device',
  'dtype',
  'localModelPath',
  'allowRemoteModels',
  'remoteHost',
  'maxDocuments',
  'onProgress',
  'wasmPaths',
  'worker',
  'threads',
  'batchTokenBudget',
  'maxBatchSize',
  'maxTokensPerDoc',
  'longDocuments',
  'maxTokens',
  'instruction',
  'endpoint',
  'apiKey',
  'format',
  'remoteModel',
  'timeoutMs',
  'maxRetries',
  'headers',
  'fetch',
  'policy',
  'autoMaxWarmupMs',
]

/** Shortest pair length accepted: room for a few tokens of query and document besides the special tokens. */
const MIN_MAX_TOKENS = 16

/** Checks the shape of createReranker's options object before reading any field. */
export function checkOptionsObject(options: unknown): asserts options is RerankerOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const hint = typeof options === 'string' ? ` (for a model, pass { model: ${JSON.stringify(options)} })` : ''
    throw fail('invalid_request', `options must be an object${hint} (got ${describe(options)}).`)
  }
  refuseUnknownKeys(options, OPTION_NAMES, 'option')
  const { onProgress, wasmPaths, worker, localModelPath, remoteHost, allowRemoteModels, instruction } =
    options as Record<string, unknown>
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw fail('invalid_request', `onProgress must be a function (got ${describe(onProgress)}).`)
  }
  const urlPair = (v: unknown): boolean =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { mjs?: unknown }).mjs === 'string' &&
    typeof (v as { wasm?: unknown }).wasm === 'string'
  if (wasmPaths !== undefined && typeof wasmPaths !== 'string' && !urlPair(wasmPaths)) {
    throw fail('invalid_request', `wasmPaths must be a URL prefix or { mjs, wasm } URLs (got ${describe(wasmPaths)}).`)
  }
  if (worker !== undefined && !isWorkerLike(worker)) {
    throw fail('invalid_request', `worker must be a Worker (got ${describe(worker)}).`)
  }
  optionalStrings({ localModelPath, remoteHost, instruction })
  optionalBoolean(allowRemoteModels, 'allowRemoteModels')
}

/** A Worker, checked by what the worker boundary uses of it. */
function isWorkerLike(value: unknown): boolean {
  const w = value as { postMessage?: unknown; addEventListener?: unknown; terminate?: unknown } | null
  return (
    typeof w === 'object' &&
    w !== null &&
    typeof w.postMessage === 'function' &&
    typeof w.addEventListener === 'function' &&
    typeof w.terminate === 'function'
  )
}

/** Validates `options` and applies every default. Throws `invalid_request` or `model_not_found`. */
export function resolveOptions(
  options: RerankerOptions,
  environment: Environment,
): { resolved: ResolvedOptions; onProgress?: (e: ProgressEvent) => void } {
  checkOptionsObject(options)
  const device: Device = oneOf(options.device, DEVICES, 'device') ?? DEFAULTS.device
  const dtype: Dtype = oneOf(options.dtype, DTYPES, 'dtype') ?? DEFAULTS.dtype
  const model = options.model ?? DEFAULTS.model
  const entry = registryEntry(model, options.localModelPath !== undefined)
  const threads = positiveInteger(options.threads, 'threads')
  const batchTokenBudget = positiveInteger(options.batchTokenBudget, 'batchTokenBudget')
  const maxBatchSize = positiveInteger(options.maxBatchSize, 'maxBatchSize')
  const requestedMaxTokens = positiveInteger(options.maxTokens, 'maxTokens')
  if (requestedMaxTokens !== undefined && requestedMaxTokens < MIN_MAX_TOKENS) {
    throw fail('invalid_request', `maxTokens must be at least ${MIN_MAX_TOKENS} (got ${requestedMaxTokens}).`)
  }
  const maxTokens = capMaxTokens(requestedMaxTokens, entry?.maxTokens)
  const resolveUrl = (url: string): string => environment.resolveUrl?.(url) ?? url
  const modelId = entry?.id ?? model
  const resolved: ResolvedOptions = {
    model,
    modelId,
    source: modelSource(options, modelId, resolveUrl),
    device,
    dtype,
    autoDtype: entry ? { ...entry.defaultDtype, cpu: entry.defaultDtype.wasm } : { ...AUTO_DTYPE },
    ...(entry ? { availableDtypes: Object.keys(entry.files) as ResolvedDtype[] } : {}),
    threads: environment.threads(threads),
    ...(options.wasmPaths === undefined
      ? {}
      : {
          wasmPaths:
            typeof options.wasmPaths === 'string'
              ? resolveUrl(options.wasmPaths)
              : { mjs: resolveUrl(options.wasmPaths.mjs), wasm: resolveUrl(options.wasmPaths.wasm) },
        }),
    batching: batchingPerDevice(batchTokenBudget, maxBatchSize),
    maxBatchSizeSet: maxBatchSize !== undefined,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(entry ? { registryMaxTokens: entry.maxTokens } : {}),
    ...(options.instruction === undefined ? {} : { instruction: options.instruction }),
    long: resolveLongDocuments(options.maxTokensPerDoc, options.longDocuments, 'maxTokensPerDoc', 'longDocuments', {
      maxTokensPerDoc: DEFAULTS.maxTokensPerDoc,
      mode: DEFAULTS.longDocuments,
    }),
    maxDocuments: positiveInteger(options.maxDocuments, 'maxDocuments') ?? DEFAULTS.maxDocuments,
  }
  return { resolved, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }
}

/**
 * The registry entry of `model`, or none for a hub id or folder. A bare unknown name is refused
 * with suggestions, unless `localModelPath` is set: then it may be a folder there.
 */
function registryEntry(model: unknown, local: boolean): ReturnType<typeof findModel> {
  if (typeof model !== 'string' || model.trim() === '') {
    throw fail('model_not_found', 'model must be a non-empty hub id, registry name or folder name.')
  }
  const entry = findModel(model)
  // A name with no registry entry and no owner/ prefix cannot be a hub id: say what exists.
  if (!entry && !model.includes('/') && !local) {
    const suggestions = suggestModels(model)
    const hint = suggestions.length ? ` (did you mean ${suggestions.map((n) => `"${n}"`).join(', ')}?)` : ''
    throw fail(
      'model_not_found',
      `unknown model "${model}". Use a registry name${hint} or a hub id such as "Xenova/ms-marco-MiniLM-L-6-v2".`,
    )
  }
  return entry
}

/** Where the model's files come from; refuses a setup with nowhere to look. */
function modelSource(options: RerankerOptions, modelId: string, resolveUrl: (url: string) => string): ModelSource {
  const allowRemoteModels = options.allowRemoteModels ?? DEFAULTS.allowRemoteModels
  if (!allowRemoteModels && options.localModelPath === undefined) {
    throw fail(
      'model_not_found',
      `allowRemoteModels is false and no localModelPath is set: there is nowhere to load "${modelId}" from.`,
    )
  }
  return {
    model: modelId,
    allowRemoteModels,
    remoteHost: resolveUrl(options.remoteHost ?? DEFAULTS.remoteHost),
    ...(options.localModelPath === undefined ? {} : { localModelPath: resolveUrl(options.localModelPath) }),
  }
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
 * The longest pair a model takes. Without a caller's or registry's value: `familyMax`
 * (Qwen3-Reranker's card: 8192; a registry model's card maximum), else the tokenizer's `model_max_length` when it is a real limit
 * (tokenizers without one report ~1e30), else DEFAULTS.maxTokens. A given value is capped at what
 * the model can take (that default, and its position embeddings), so a caller cannot ask for
 * sequences the model would fail on.
 */
export function modelMaxTokens(
  resolved: number | undefined,
  tokenizerMax: number | undefined,
  familyMax?: number,
  positions?: number,
): number {
  const real = typeof tokenizerMax === 'number' && tokenizerMax > 0 && tokenizerMax < 1e6 ? tokenizerMax : undefined
  const own = familyMax ?? real ?? DEFAULTS.maxTokens
  if (resolved === undefined) return own
  return Math.min(resolved, own, positions ?? Infinity)
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

// The only module that talks to transformers.js: loads configs, tokenizers and ONNX sessions,
// and runs padded batches. Everything it returns is typed with our own types.

import {
  AutoConfig,
  AutoModelForCausalLM,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers'
import { modelMaxTokens, type ModelSource } from '../api/options.js'
import { CrossEncoderInputs, Qwen3Inputs, type InputBuilder } from '../encoding/inputs.js'
import { RerankError } from '../api/errors.js'
import { fail } from '../api/validate.js'
import { SerialQueue } from '../util/serial.js'
import { deleteCachedModel, fileUrls } from './cache.js'
import type { EncodedPair } from '../encoding/pair-template.js'
import { QWEN3_ANSWERS, QWEN3_MAX_TOKENS, qwen3Prompt } from '../encoding/qwen3.js'
import { scoresFromLogits, sigmoid } from '../engine/scoring.js'
import { PairTokenizer, type HfTokenizerLike } from '../encoding/tokenizer.js'
import type { ProgressEvent, ResolvedDevice, ResolvedDtype } from '../api/types.js'

/** WASM settings of onnxruntime-web (browser only). */
export interface WasmSettings {
  threads: number
  wasmPaths?: { mjs: string; wasm: string } | string
}

/** How a model turns inputs into a relevance score. */
export type ModelKind =
  | { kind: 'cross-encoder' }
  /** A causal LM judging "yes"/"no" at the last position (Qwen3-Reranker). */
  | { kind: 'causal-lm'; yesId: number; noId: number }

/** A model's tokenizer side: how to encode requests, and how its outputs are scored. */
export interface ModelInputs {
  builder: InputBuilder
  scoring: ModelKind
}

/** Settings that shape the encoding. */
export interface InputSettings {
  /** Qwen3-Reranker's instruction (default: the card's). */
  instruction?: string
  /** The caller's or the registry's pair length limit, capped at the model's own. */
  maxTokens?: number
  /** A registry model's own maximum: replaces the tokenizer's `model_max_length`. */
  registryMaxTokens?: number
}

/** A loaded ONNX session that scores encoded pairs. */
export interface ScoringSession {
  readonly device: ResolvedDevice
  readonly dtype: ResolvedDtype
  /** Scores in 0..1 for the pairs, padded into one batch. */
  score(pairs: readonly EncodedPair[]): Promise<Float64Array>
  dispose(): Promise<void>
}

// transformers.js keeps its settings in one global `env`, read during loads: loads are
// serialized so two rerankers with different sources in one process cannot mix them up.
export const loads = new SerialQueue()

export function applySource(source: ModelSource): void {
  env.allowLocalModels = source.localModelPath !== undefined
  if (source.localModelPath !== undefined) env.localModelPath = source.localModelPath
  env.allowRemoteModels = source.allowRemoteModels
  env.remoteHost = source.remoteHost
}

/**
 * Sets onnxruntime-web's thread count and runtime file locations. Call before the first load:
 * onnxruntime initialises its WASM module once per worker.
 */
export function configureWasm(settings: WasmSettings): void {
  const wasm = env.backends.onnx.wasm
  if (!wasm) return
  wasm.numThreads = settings.threads
  if (settings.wasmPaths !== undefined) wasm.wasmPaths = settings.wasmPaths
  // transformers.js would read the runtime binary into an ArrayBuffer (its "wasm cache") and
  // instantiate it from bytes, so Chromium never caches the compiled code and every load
  // recompiles 14-27 MB of WASM. Without it onnxruntime uses WebAssembly.instantiateStreaming on
  // a normal HTTP response, which the browser's code cache serves on the next load.
  env.useWasmCache = false
}

function loadError(source: ModelSource, what: string, err: unknown): RerankError {
  if (/Unexpected token '<'|<!doctype|<html/i.test(message(err))) {
    // A server (often an SPA's fallback) answered an HTML page for a file that is not there.
    return fail(
      'model_not_found',
      `the ${what} of "${source.model}" is an HTML page, not the file: the server at ${fileUrls(source, '')[0] ?? source.model} ` +
        'answers missing files with a page (an SPA fallback?). Check the path, and make missing files answer 404.',
      { cause: err },
    )
  }
  return isNotFound(err)
    ? fail(
        'model_not_found',
        `model "${source.model}" was not found (${message(err)}). Check the id, or set localModelPath to a folder holding "${source.model}/".`,
        { cause: err },
      )
    : fail(
        'model_load_failed',
        `could not load the ${what} of "${source.model}": ${message(err)}${loadHint(source, err)}`,
        {
          cause: err,
        },
      )
}

/** What to try when the hub (or mirror) cannot be reached, the failure new users hit first. */
function loadHint(source: ModelSource, err: unknown): string {
  if (/fetch failed|failed to fetch|networkerror|ENOTFOUND|ECONNREFUSED/i.test(message(err))) {
    return ` (could not reach ${source.remoteHost}: no network? Set localModelPath for local files, or remoteHost for a mirror.)`
  }
  return ''
}

/** transformers.js load options carrying our progress callback, translated to our events. */
function progressOption(onProgress: ((e: ProgressEvent) => void) | undefined): {
  progress_callback?: (p: ProgressInfo) => void
} {
  if (!onProgress) return {}
  return {
    progress_callback: (p: ProgressInfo): void => {
      switch (p.status) {
        case 'initiate':
        case 'download':
        case 'done':
          onProgress({ status: p.status, file: p.file })
          break
        case 'progress':
          onProgress({ status: 'progress', file: p.file, loaded: p.loaded, total: p.total, progress: p.progress })
          break
        default:
          // 'progress_total' and 'ready' are summaries we emit ourselves.
          break
      }
    },
  }
}

function isQwen3Reranker(config: { model_type?: string; architectures?: string[] }): boolean {
  return config.model_type === 'qwen3' && (config.architectures ?? []).some((a) => a.endsWith('ForCausalLM'))
}

/**
 * Runs a config or tokenizer load; when it fails, drops the model's cached files (an HTML page a
 * server answered for a missing file, or a corrupt copy, must not outlive this load) and, if
 * there were any, tries once more. Reading JSON files does not go through transformers.js's
 * session chain, so the retry can run in this worker.
 */
async function withCleanCache<T>(source: ModelSource, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (first) {
    const { deletedFiles } = await deleteCachedModel(source)
    if (deletedFiles > 0) {
      try {
        return await load()
      } catch (second) {
        await deleteCachedModel(source)
        throw loadError(source, what, second)
      }
    }
    throw loadError(source, what, first)
  }
}

/** The longest sequence the model's position embeddings allow (RoBERTa-style ones start after the padding id). */
function positionLimit(config: {
  model_type?: string
  max_position_embeddings?: number
  pad_token_id?: number
}): number | undefined {
  const positions = config.max_position_embeddings
  if (typeof positions !== 'number') return undefined
  const offset = (config.model_type ?? '').includes('roberta') ? (config.pad_token_id ?? 1) + 1 : 0
  return positions - offset
}

/** Loads the config and tokenizer of a model and picks how it encodes and scores. */
export function loadModelInputs(
  source: ModelSource,
  settings: InputSettings = {},
  onProgress?: (e: ProgressEvent) => void,
): Promise<ModelInputs> {
  return loads.run(async () => {
    applySource(source)
    // The config first: a missing model fails here with a clear not-found error, whereas
    // AutoTokenizer would fail later with an unrelated TypeError.
    const config = (await withCleanCache(source, 'config', () =>
      AutoConfig.from_pretrained(source.model, progressOption(onProgress)),
    )) as { model_type?: string; architectures?: string[]; max_position_embeddings?: number; pad_token_id?: number }
    const tokenizer: PreTrainedTokenizer = await withCleanCache(source, 'tokenizer', () =>
      AutoTokenizer.from_pretrained(source.model, progressOption(onProgress)),
    )
    const qwen3 = isQwen3Reranker(config)
    const maxTokens = modelMaxTokens(
      settings.maxTokens,
      tokenizer.model_max_length as number | undefined,
      qwen3 ? QWEN3_MAX_TOKENS : settings.registryMaxTokens,
      positionLimit(config),
    )
    const pairTokenizer = new PairTokenizer(tokenizer as unknown as HfTokenizerLike, maxTokens)
    if (!qwen3) return { builder: new CrossEncoderInputs(pairTokenizer), scoring: { kind: 'cross-encoder' } }
    const yesId = pairTokenizer.tokenId(QWEN3_ANSWERS.yes)
    const noId = pairTokenizer.tokenId(QWEN3_ANSWERS.no)
    return {
      builder: new Qwen3Inputs(pairTokenizer, qwen3Prompt(settings.instruction)),
      scoring: { kind: 'causal-lm', yesId, noId },
    }
  })
}

/**
 * After a failed browser load: whether onnxruntime-web's own files were the problem (a 404, an
 * HTML page answered for a script, a blocked fetch), said with the URL and the fix. onnxruntime
 * itself only reports a failed dynamic import or an aborted instantiation.
 */
async function runtimeProblem(): Promise<string | undefined> {
  const given = env.backends.onnx.wasm?.wasmPaths
  // A prefix: onnxruntime-web's WebGPU-capable bundle (the one transformers.js imports) looks for its asyncify build there.
  const paths =
    typeof given === 'string'
      ? { mjs: `${given}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${given}ort-wasm-simd-threaded.asyncify.wasm` }
      : given
  if (typeof paths !== 'object' || !paths.mjs || !paths.wasm) return undefined
  const expected = { mjs: /javascript/, wasm: /application\/wasm/ }
  for (const kind of ['mjs', 'wasm'] as const) {
    const url = new URL(String(paths[kind]), globalThis.location.href).href
    const response = await fetch(url, { method: 'HEAD' }).catch(() => undefined)
    const fix =
      "Serve onnxruntime-web's dist/ files there (your bundler emits them from `new URL('onnxruntime-web/…', " +
      'import.meta.url)` in webrerank\'s worker), or set wasmPaths to where they are served (README, "Runtime files").'
    if (!response) return `the onnxruntime runtime file ${url} could not be fetched. ${fix}`
    if (!response.ok) return `the onnxruntime runtime file ${url} answered HTTP ${response.status}. ${fix}`
    const type = response.headers.get('content-type') ?? ''
    if (!expected[kind].test(type)) {
      return `the onnxruntime runtime file ${url} is served as "${type}". ${kind === 'mjs' ? 'A JavaScript' : 'An application/wasm'} type is needed; check the server's MIME types and that it does not answer missing files with index.html.`
    }
  }
  return undefined
}

/** Loads the ONNX model on one device with one dtype. */
export function loadSession(
  source: ModelSource,
  device: ResolvedDevice,
  dtype: ResolvedDtype,
  loaded: ModelInputs,
  onProgress?: (e: ProgressEvent) => void,
  threads?: number,
): Promise<ScoringSession> {
  return loads.run(async () => {
    applySource(source)
    const Auto = loaded.scoring.kind === 'causal-lm' ? AutoModelForCausalLM : AutoModelForSequenceClassification
    const create = (): Promise<PreTrainedModel> =>
      Auto.from_pretrained(source.model, {
        device,
        dtype,
        ...progressOption(onProgress),
        // Node: size onnxruntime-node's pool explicitly so info.threads is what runs.
        ...(device === 'cpu' && threads ? { session_options: { intraOpNumThreads: threads } } : {}),
      })
    let model: PreTrainedModel
    try {
      model = await create()
    } catch (first) {
      if (isNotFound(first)) {
        // The config and tokenizer were found, so the model exists: its weights file is missing.
        const hint = dtype === 'fp32' ? '' : ` (pass dtype: 'fp32' if the folder holds only onnx/model.onnx)`
        throw fail(
          'model_load_failed',
          `the ${dtype} weights of "${source.model}" were not found: ${message(first)}${hint}`,
          { cause: first },
        )
      }
      const runtime = device === 'cpu' ? undefined : await runtimeProblem()
      if (runtime) throw fail('model_load_failed', runtime, { cause: first })
      // A corrupt or truncated file may sit in the browser's cache (transformers.js caches what it
      // downloaded): drop the model's cached files, so that no corrupt copy outlives this load, and
      // say that a fresh worker may fetch again (this one cannot create a session any more: see
      // RerankError.retry).
      const { deletedFiles } = await deleteCachedModel(source)
      const error = loadError(source, `${dtype} model on ${device}`, first)
      if (deletedFiles === 0) throw error
      throw new RerankError(error.code, error.message, {
        cause: first,
        retry: { reason: 'a corrupt cached file was deleted' },
      })
    }
    return new TransformersSession(model, device, dtype, loaded)
  })
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function isNotFound(err: unknown): boolean {
  return (
    (err instanceof Error && err.name === 'ModelFileNotFoundError') ||
    /could not locate|not found|404/i.test(message(err))
  )
}

/** What GPUDevice.lost resolves with (the DOM's GPUDeviceLostInfo, typed here without @webgpu/types). */
interface DeviceLostInfo {
  message?: string
  reason?: string
}

class TransformersSession implements ScoringSession {
  private readonly wantsTokenTypes: boolean
  /** Why the GPU device went away, once it has (GPUDevice.lost): nothing it computes can be trusted then. */
  private lostReason: string | undefined

  constructor(
    private readonly model: PreTrainedModel,
    readonly device: ResolvedDevice,
    readonly dtype: ResolvedDtype,
    private readonly loaded: ModelInputs,
  ) {
    const sessions = (model as unknown as { sessions?: Record<string, { inputNames?: string[] }> }).sessions
    // XLM-RoBERTa exports have no token_type_ids input; feeding one is an error in onnxruntime.
    this.wantsTokenTypes = sessions?.model?.inputNames?.includes('token_type_ids') ?? true
    if (device === 'webgpu') this.watchDevice()
  }

  /** Hears of the loss of onnxruntime's GPUDevice (a driver reset, a GPU removed). */
  private watchDevice(): void {
    type Gpu = { lost?: Promise<DeviceLostInfo> } | undefined
    try {
      // onnxruntime-web exposes its device as a GPUDevice or a promise of one, depending on the version.
      const device = (env.backends.onnx as { webgpu?: { device?: Gpu | Promise<Gpu> } }).webgpu?.device
      void Promise.resolve(device)
        .then((gpu) => gpu?.lost)
        .then((info) => {
          if (!info) return
          // An empty message is possible; the reason ('destroyed' or 'unknown') is the next best.
          this.lostReason =
            info.message !== undefined && info.message !== '' ? info.message : (info.reason ?? 'unknown')
        })
        .catch(() => undefined)
    } catch {
      // No device to watch (the getter throws before a WebGPU session exists): nothing to hear of.
    }
  }

  private checkDevice(): void {
    if (this.lostReason === undefined) return
    // The next call runs in a fresh worker (see restartingHost), which probes WebGPU again.
    throw fail('inference_failed', `the WebGPU device was lost (${this.lostReason}).`)
  }

  async score(pairs: readonly EncodedPair[]): Promise<Float64Array> {
    this.checkDevice()
    const rows = pairs.length
    const width = Math.max(...pairs.map((p) => p.inputIds.length))
    const { padId, padSide } = this.loaded.builder
    const kind = this.loaded.scoring
    const feedTypes = kind.kind === 'cross-encoder' && this.wantsTokenTypes
    const ids = new BigInt64Array(rows * width).fill(BigInt(padId))
    const mask = new BigInt64Array(rows * width)
    const types = feedTypes ? new BigInt64Array(rows * width) : null
    pairs.forEach((pair, r) => {
      // Left padding keeps every row's last real token at the last position (causal LMs read it there).
      const offset = r * width + (padSide === 'left' ? width - pair.inputIds.length : 0)
      for (let i = 0; i < pair.inputIds.length; i++) {
        ids[offset + i] = BigInt(pair.inputIds[i]!)
        mask[offset + i] = 1n
        if (types) types[offset + i] = BigInt(pair.tokenTypeIds[i]!)
      }
    })
    const dims = [rows, width]
    const inputs: Record<string, Tensor> = {
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', mask, dims),
    }
    // Only the last position's logits for causal LMs: never a vocabulary × sequence tensor per document.
    if (kind.kind === 'causal-lm') inputs.num_logits_to_keep = new Tensor('int64', [1n], [])
    if (types) inputs.token_type_ids = new Tensor('int64', types, dims)
    let logits: Tensor
    try {
      const output = (await this.model(inputs)) as { logits: Tensor }
      logits = output.logits
    } catch (err) {
      this.checkDevice()
      throw fail(
        'inference_failed',
        `inference failed on ${this.device}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      )
    }
    // Outputs of a run the device was lost during are not scores.
    this.checkDevice()
    const data = logits.data as Float32Array
    if (kind.kind === 'cross-encoder') return scoresFromLogits(data, rows)
    const vocab = data.length / rows // [rows, 1, vocab]
    const out = new Float64Array(rows)
    // softmax([no, yes])[yes] = sigmoid(yes - no)
    for (let r = 0; r < rows; r++) out[r] = sigmoid(data[r * vocab + kind.yesId]! - data[r * vocab + kind.noId]!)
    return out
  }

  async dispose(): Promise<void> {
    await this.model.dispose()
  }
}

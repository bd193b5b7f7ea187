// The only module that talks to transformers.js: loads tokenizers and ONNX sessions and runs
// padded batches. Everything it returns is typed with our own types.

import {
  AutoConfig,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers'
import { DEFAULTS } from './defaults.js'
import { RerankError } from './errors.js'
import type { EncodedPair } from './pairs.js'
import { scoresFromLogits } from './scoring.js'
import { PairTokenizer, type HfTokenizerLike } from './tokenizer.js'
import type { ProgressEvent, ResolvedDevice, ResolvedDtype } from './types.js'

/** Where model files come from. */
export interface ModelSource {
  model: string
  localModelPath?: string
  allowRemoteModels: boolean
  remoteHost: string
}

/** WASM settings of onnxruntime-web (browser only). */
export interface WasmSettings {
  threads: number
  wasmPaths?: { mjs: string; wasm: string } | string
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
let loadChain: Promise<unknown> = Promise.resolve()
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = loadChain.then(task, task)
  loadChain = run.catch(() => undefined)
  return run
}

function applySource(source: ModelSource): void {
  env.allowLocalModels = source.localModelPath !== undefined
  if (source.localModelPath !== undefined) env.localModelPath = source.localModelPath
  env.allowRemoteModels = source.allowRemoteModels
  env.remoteHost = source.remoteHost
}

/** Sets onnxruntime-web's thread count and runtime file locations. Call before the first load. */
export function configureWasm(settings: WasmSettings): void {
  const wasm = env.backends.onnx.wasm
  if (!wasm) return
  wasm.numThreads = settings.threads
  if (settings.wasmPaths !== undefined) wasm.wasmPaths = settings.wasmPaths
}

function loadError(source: ModelSource, what: string, err: unknown): RerankError {
  const message = err instanceof Error ? err.message : String(err)
  const notFound =
    (err instanceof Error && err.name === 'ModelFileNotFoundError') || /could not locate|not found|404/i.test(message)
  return notFound
    ? new RerankError(
        'model_not_found',
        `Model "${source.model}" was not found (${message}). Check the id, or set localModelPath to a folder holding "${source.model}/".`,
        { cause: err },
      )
    : new RerankError('model_load_failed', `Could not load the ${what} of "${source.model}": ${message}`, { cause: err })
}

/** transformers.js load options carrying our progress callback, translated to our events. */
function progressOption(onProgress: ((e: ProgressEvent) => void) | undefined): { progress_callback?: (p: ProgressInfo) => void } {
  if (!onProgress) return {}
  return { progress_callback: (p: ProgressInfo): void => {
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
  } }
}

/** Loads the tokenizer of a model and wraps it for pair encoding. */
export function loadTokenizer(source: ModelSource, onProgress?: (e: ProgressEvent) => void): Promise<PairTokenizer> {
  return serialized(async () => {
    applySource(source)
    // The config first: a missing model fails here with a clear not-found error, whereas
    // AutoTokenizer would fail later with an unrelated TypeError.
    try {
      await AutoConfig.from_pretrained(source.model, progressOption(onProgress))
    } catch (err) {
      throw loadError(source, 'config', err)
    }
    let tokenizer: PreTrainedTokenizer
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.model, progressOption(onProgress))
    } catch (err) {
      throw loadError(source, 'tokenizer', err)
    }
    const fromTokenizer = tokenizer.model_max_length
    const maxTokens =
      typeof fromTokenizer === 'number' && fromTokenizer > 0 && fromTokenizer < 1e6 ? fromTokenizer : DEFAULTS.maxTokens
    return new PairTokenizer(tokenizer as unknown as HfTokenizerLike, maxTokens)
  })
}

/** Loads the ONNX model on one device with one dtype. */
export function loadSession(
  source: ModelSource,
  device: ResolvedDevice,
  dtype: ResolvedDtype,
  padId: number,
  onProgress?: (e: ProgressEvent) => void,
  threads?: number,
): Promise<ScoringSession> {
  return serialized(async () => {
    applySource(source)
    let model: PreTrainedModel
    try {
      model = await AutoModelForSequenceClassification.from_pretrained(source.model, {
        device,
        dtype,
        ...progressOption(onProgress),
        // Node: size onnxruntime-node's pool explicitly so info.threads is what runs.
        ...(device === 'cpu' && threads ? { session_options: { intraOpNumThreads: threads } } : {}),
      })
    } catch (err) {
      throw loadError(source, `${dtype} model on ${device}`, err)
    }
    return new TransformersSession(model, device, dtype, padId)
  })
}

class TransformersSession implements ScoringSession {
  private readonly wantsTokenTypes: boolean

  constructor(
    private readonly model: PreTrainedModel,
    readonly device: ResolvedDevice,
    readonly dtype: ResolvedDtype,
    private readonly padId: number,
  ) {
    const sessions = (model as unknown as { sessions?: Record<string, { inputNames?: string[] }> }).sessions
    // XLM-RoBERTa exports have no token_type_ids input; feeding one is an error in onnxruntime.
    this.wantsTokenTypes = sessions?.['model']?.inputNames?.includes('token_type_ids') ?? true
  }

  async score(pairs: readonly EncodedPair[]): Promise<Float64Array> {
    const rows = pairs.length
    const width = Math.max(...pairs.map((p) => p.inputIds.length))
    const ids = new BigInt64Array(rows * width).fill(BigInt(this.padId))
    const mask = new BigInt64Array(rows * width)
    const types = new BigInt64Array(rows * width)
    pairs.forEach((pair, r) => {
      for (let i = 0; i < pair.inputIds.length; i++) {
        ids[r * width + i] = BigInt(pair.inputIds[i]!)
        mask[r * width + i] = 1n
        types[r * width + i] = BigInt(pair.tokenTypeIds[i]!)
      }
    })
    const dims = [rows, width]
    const inputs: Record<string, Tensor> = {
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', mask, dims),
    }
    if (this.wantsTokenTypes) inputs['token_type_ids'] = new Tensor('int64', types, dims)
    let logits: Tensor
    try {
      const output = (await this.model(inputs)) as { logits: Tensor }
      logits = output.logits
    } catch (err) {
      throw new RerankError('inference_failed', `Inference failed on ${this.device}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      })
    }
    return scoresFromLogits(logits.data as Float32Array, rows)
  }

  async dispose(): Promise<void> {
    await this.model.dispose()
  }
}

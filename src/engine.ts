// The reranking engine: loads a model (choosing the device) and answers requests. An ordinary
// module: the browser runs it inside the worker, Node runs it in-process, tests call it directly.

import { planBatches } from './batching.js'
import { DEFAULTS } from './defaults.js'
import { chooseDevice, type Platform } from './device.js'
import { RerankError, throwIfAborted } from './errors.js'
import type { NormalizedRequest } from './request.js'
import { buildResponse } from './response.js'
import { loadTokenizer, type ModelSource, type ScoringSession } from './runtime.js'
import type { PairTokenizer } from './tokenizer.js'
import type { Device, Dtype, ProgressEvent, RerankerInfo, RerankResponse } from './types.js'

/** Resolved options the engine needs (defaults already applied, no callbacks). */
export interface EngineOptions {
  model: string
  device: Device
  dtype: Dtype
  localModelPath?: string
  allowRemoteModels: boolean
  remoteHost: string
  /** Browser only: WASM threads wanted (default: decided by the platform). */
  threads?: number
  /** Browser only: where the onnxruntime-web runtime files are served. */
  wasmPaths?: string | { mjs: string; wasm: string }
}

export class RerankEngine {
  private disposed = false

  private constructor(
    private readonly tokenizer: PairTokenizer,
    private readonly session: ScoringSession,
    readonly info: RerankerInfo,
  ) {}

  /** Loads tokenizer and model; emits `ready` through `onProgress` at the end. */
  static async load(options: EngineOptions, platform: Platform, onProgress?: (e: ProgressEvent) => void): Promise<RerankEngine> {
    const started = performance.now()
    const threads = platform.prepare(options)
    const source: ModelSource = {
      model: options.model,
      allowRemoteModels: options.allowRemoteModels,
      remoteHost: options.remoteHost,
      ...(options.localModelPath === undefined ? {} : { localModelPath: options.localModelPath }),
    }
    const tokenizer = await loadTokenizer(source, onProgress)
    const choice = await chooseDevice({ source, device: options.device, dtype: options.dtype, tokenizer, platform, threads, ...(onProgress ? { onProgress } : {}) })
    const loadMs = Math.round(performance.now() - started)
    const info: RerankerInfo = {
      model: options.model,
      device: choice.session.device,
      dtype: choice.session.dtype,
      threads,
      maxTokens: tokenizer.maxTokens,
      loadMs,
      ...(choice.fallbackReason === undefined ? {} : { fallbackReason: choice.fallbackReason }),
    }
    onProgress?.({ status: 'ready', model: info.model, device: info.device, dtype: info.dtype, loadMs })
    return new RerankEngine(tokenizer, choice.session, info)
  }

  /**
   * Scores every document against the query and builds the response. Checks `signal` between
   * micro-batches, so an abort takes effect within one batch.
   */
  async rerank(request: NormalizedRequest, signal?: AbortSignal): Promise<RerankResponse> {
    if (this.disposed) throw new RerankError('disposed', 'This reranker has been disposed.')
    throwIfAborted(signal)
    // The query is tokenized once and reused for every pair.
    const queryIds = this.tokenizer.encodeText(request.query)
    const pairs = request.documents.map((doc) => this.tokenizer.encodePair(queryIds, this.tokenizer.encodeText(doc)))
    const lengths = pairs.map((p) => p.inputIds.length)
    const scores = new Float64Array(pairs.length)
    for (const batch of planBatches(lengths, { tokenBudget: DEFAULTS.batchTokenBudget, maxBatchSize: DEFAULTS.maxBatchSize })) {
      throwIfAborted(signal)
      const batchScores = await this.session.score(batch.map((i) => pairs[i]!))
      batch.forEach((docIndex, row) => {
        scores[docIndex] = batchScores[row]!
      })
    }
    throwIfAborted(signal)
    const tokens = lengths.reduce((a, b) => a + b, 0)
    return buildResponse(request, scores, tokens, this.info.model)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.session.dispose()
  }
}

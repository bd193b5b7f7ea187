// The reranking engine: loads a model (choosing the device) and answers requests. An ordinary
// module: the browser runs it inside the worker, Node runs it in-process, tests call it directly.

import { planBatches, type BatchPlanOptions } from './batching.js'
import { BATCHING, DEFAULTS, PROBE_PAIR } from '../api/defaults.js'
import { chooseDevice, type Platform } from './device.js'
import { encodeOnePair, type LongDocumentOptions, type PairEncoder } from '../encoding/inputs.js'
import { RerankError, throwIfAborted } from '../api/errors.js'
import type { NormalizedRequest } from '../api/request.js'
import { buildResponse } from '../api/response.js'
import { loadEncoder, type ModelSource, type ScoringSession } from '../platform/transformers.js'
import type { BatchProgress, Device, Dtype, ProgressEvent, RerankerInfo, RerankResponse, ResolvedDtype } from '../api/types.js'

/** Resolved options the engine needs (defaults already applied, no callbacks). */
export interface EngineOptions {
  /** The name the caller used (echoed in responses). */
  model: string
  /** The repo or folder actually loaded (a registry name resolved to its hub id). */
  modelId: string
  /** Registry: dtype for `dtype: 'auto'` per device, and the dtypes the repo has files for. */
  autoDtype?: { webgpu: ResolvedDtype; wasm: ResolvedDtype }
  availableDtypes?: ResolvedDtype[]
  device: Device
  dtype: Dtype
  localModelPath?: string
  allowRemoteModels: boolean
  remoteHost: string
  /** Browser only: WASM threads wanted (default: decided by the platform). */
  threads?: number
  /** Browser only: where the onnxruntime-web runtime files are served. */
  wasmPaths?: string | { mjs: string; wasm: string }
  /** Micro-batch limits (default: per device, from BATCHING). */
  batchTokenBudget?: number
  maxBatchSize?: number
  /** Qwen3-Reranker's instruction (default: the model card's). */
  instruction?: string
  /** Overrides the model's maximum pair length (e.g. from the registry). */
  maxTokens?: number
  /** Long-document defaults for calls that do not set their own. */
  maxTokensPerDoc?: number
  longDocuments?: 'truncate' | 'chunk'
}

/** Per-call knobs that are not part of the request body. */
export interface CallControls {
  signal?: AbortSignal
  onBatch?: (progress: BatchProgress) => unknown
}

export class RerankEngine {
  private disposed = false

  private constructor(
    private readonly encoder: PairEncoder,
    private readonly session: ScoringSession,
    private readonly batching: BatchPlanOptions,
    private readonly long: LongDocumentOptions,
    readonly info: RerankerInfo,
  ) {}

  /** Loads tokenizer and model; emits `ready` through `onProgress` at the end. */
  static async load(options: EngineOptions, platform: Platform, onProgress?: (e: ProgressEvent) => void): Promise<RerankEngine> {
    const started = performance.now()
    const threads = platform.prepare(options)
    const source: ModelSource = {
      model: options.modelId,
      allowRemoteModels: options.allowRemoteModels,
      remoteHost: options.remoteHost,
      ...(options.localModelPath === undefined ? {} : { localModelPath: options.localModelPath }),
    }
    const loaded = await loadEncoder(
      source,
      {
        ...(options.instruction === undefined ? {} : { instruction: options.instruction }),
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      },
      onProgress,
    )
    const choice = await chooseDevice({
      source,
      device: options.device,
      dtype: options.dtype,
      ...(options.autoDtype ? { autoDtype: options.autoDtype } : {}),
      ...(options.availableDtypes ? { availableDtypes: options.availableDtypes } : {}),
      loaded,
      platform,
      threads,
      ...(onProgress ? { onProgress } : {}),
    })
    const device = choice.session.device
    const batching: BatchPlanOptions = {
      tokenBudget: options.batchTokenBudget ?? BATCHING[device].tokenBudget,
      maxBatchSize: options.maxBatchSize ?? BATCHING[device].maxBatchSize,
    }
    const loadMs = Math.round(performance.now() - started)
    const info: RerankerInfo = {
      model: options.model,
      modelId: options.modelId,
      device,
      dtype: choice.session.dtype,
      threads,
      maxTokens: loaded.encoder.maxTokens,
      loadMs,
      batchTokenBudget: batching.tokenBudget,
      maxBatchSize: batching.maxBatchSize,
      ...(choice.fallbackReason === undefined ? {} : { fallbackReason: choice.fallbackReason }),
    }
    onProgress?.({ status: 'ready', model: info.model, device: info.device, dtype: info.dtype, loadMs })
    const long: LongDocumentOptions = {
      maxTokensPerDoc: options.maxTokensPerDoc ?? DEFAULTS.maxTokensPerDoc,
      mode: options.longDocuments ?? DEFAULTS.longDocuments,
    }
    return new RerankEngine(loaded.encoder, choice.session, batching, long, info)
  }

  /**
   * Scores the documents against the query and builds the response. Checks `signal` between
   * micro-batches, so an abort takes effect within one batch. With `request.budgetMs`, scores
   * documents in their incoming order until the budget would be exceeded.
   */
  async rerank(request: NormalizedRequest, controls: CallControls = {}): Promise<RerankResponse> {
    if (this.disposed) throw new RerankError('disposed', 'This reranker has been disposed.')
    const { signal, onBatch } = controls
    throwIfAborted(signal)
    const started = performance.now()
    const pairs = this.encoder.encodeRequest(request.query, request.documents, {
      maxTokensPerDoc: request.maxTokensPerDoc ?? this.long.maxTokensPerDoc,
      mode: request.longDocuments ?? this.long.mode,
    })
    const lengths = pairs.map((p) => p.inputIds.length)
    const budgetMs = request.budgetMs
    const planner = budgetMs === undefined ? new FixedPlan(planBatches(lengths, this.batching)) : new BudgetPlan(lengths, this.batching, budgetMs)
    // A document's score is its best window's (one window unless chunking).
    const scores = new Float64Array(request.documents.length).fill(-Infinity)
    const scored = new Uint8Array(request.documents.length)
    let done = 0
    let tokens = 0
    for (let b = 0; ; b++) {
      throwIfAborted(signal)
      const batch = planner.next(performance.now() - started)
      if (!batch) break
      const batchLengths = batch.map((i) => lengths[i]!)
      const paddedTokens = batch.length * Math.max(...batchLengths)
      const batchStarted = performance.now()
      const batchScores = await this.session.score(batch.map((i) => pairs[i]!))
      const batchMs = performance.now() - batchStarted
      planner.record(batchMs, paddedTokens)
      batch.forEach((pairIndex, row) => {
        const doc = pairs[pairIndex]!.doc
        scores[doc] = Math.max(scores[doc]!, batchScores[row]!)
        scored[doc] = 1
      })
      done += batch.length
      const batchTokens = batchLengths.reduce((a, n) => a + n, 0)
      tokens += batchTokens
      // Awaited: across the worker the callback is a comlink proxy, and its messages travel on
      // another port than the result's, so without this the last events could arrive after it.
      await onBatch?.({
        done,
        total: pairs.length,
        batch: b,
        batches: planner.planned(b),
        tokens: batchTokens,
        paddedTokens,
        batchMs,
        elapsedMs: performance.now() - started,
        scores: batch.map((pairIndex, row) => ({ index: pairs[pairIndex]!.doc, relevance_score: batchScores[row]! })),
      })
    }
    throwIfAborted(signal)
    return buildResponse(request, scores, tokens, this.info.model, budgetMs === undefined ? undefined : scored)
  }

  /**
   * Runs a small batch so the first real call does not pay for kernel set-up (shader compilation
   * on WebGPU, buffer allocation on WASM). Returns how long it took, in milliseconds.
   */
  async warmup(): Promise<number> {
    const started = performance.now()
    const pair = encodeOnePair(this.encoder, PROBE_PAIR.query, PROBE_PAIR.document)
    await this.session.score([pair, pair])
    return performance.now() - started
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.session.dispose()
  }

}

/** Hands out the next micro-batch of pair indexes, or null when the call is done. */
interface BatchPlanner {
  next(elapsedMs: number): number[] | null
  record(batchMs: number, paddedTokens: number): void
  /** Number of batches planned in all, as known after batch `b`. */
  planned(b: number): number
}

/** Every pair, in length-sorted micro-batches planned up front. */
class FixedPlan implements BatchPlanner {
  private index = 0
  constructor(private readonly batches: number[][]) {}
  next(): number[] | null {
    return this.batches[this.index++] ?? null
  }
  record(): void {}
  planned(): number {
    return this.batches.length
  }
}

/** Predicted batch times are inflated by this much, so a budget is rarely overrun. */
const BUDGET_MARGIN = 1.15

/**
 * A latency budget: pairs in incoming order (the best first-stage candidates first). The first
 * batch is one pair: it always runs, bounds the overshoot of a tiny budget to one pair, and
 * measures the speed. Each later batch takes the next pairs while their predicted time
 * (padded tokens × measured ms per token × margin) fits in what is left of the budget.
 */
class BudgetPlan implements BatchPlanner {
  private nextPair = 0
  private spentMs = 0
  private spentTokens = 0

  constructor(
    private readonly lengths: readonly number[],
    private readonly limits: BatchPlanOptions,
    private readonly budgetMs: number,
  ) {}

  next(elapsedMs: number): number[] | null {
    const n = this.lengths.length
    if (this.nextPair >= n) return null
    if (this.nextPair === 0) return [this.nextPair++]
    const remaining = this.budgetMs - elapsedMs
    const msPerToken = this.spentMs / this.spentTokens
    const batch: number[] = []
    let width = 0
    while (this.nextPair + batch.length < n && batch.length < this.limits.maxBatchSize) {
      const candidate = this.nextPair + batch.length
      const w = Math.max(width, this.lengths[candidate]!)
      const padded = (batch.length + 1) * w
      if (batch.length > 0 && padded > this.limits.tokenBudget) break
      if (BUDGET_MARGIN * padded * msPerToken > remaining) break
      batch.push(candidate)
      width = w
    }
    this.nextPair += batch.length
    return batch.length ? batch : null
  }

  record(batchMs: number, paddedTokens: number): void {
    this.spentMs += batchMs
    this.spentTokens += paddedTokens
  }

  planned(b: number): number {
    return b + 1 + Math.ceil((this.lengths.length - this.nextPair) / this.limits.maxBatchSize)
  }
}

// The reranking engine: loads a model (choosing the device) and answers requests. An ordinary
// module: the browser runs it inside the worker, Node runs it in-process, tests call it directly.

import { PER_PAIR_DTYPES, PROBE_PAIR, type BatchLimits } from '../api/defaults.js'
import type { ResolvedOptions } from '../api/options.js'
import type { CallControls } from '../api/reranker.js'
import type { NormalizedRequest } from '../api/request.js'
import { buildResponse } from '../api/response.js'
import type { ProgressEvent, RerankerInfo, RerankResponse } from '../api/types.js'
import { fail } from '../api/validate.js'
import { buildOnePair, type InputBuilder } from '../encoding/inputs.js'
import type { EncodedPair } from '../encoding/pair-template.js'
import { loadModelInputs, type ScoringSession } from '../platform/transformers.js'
import type { Platform, WebGpuAdapterCheck } from '../platform/types.js'
import { throwIfAborted } from '../util/abort.js'
import { makePlan } from './batching.js'
import { chooseDevice } from './device.js'

export class RerankEngine {
  private disposed = false

  private constructor(
    private readonly builder: InputBuilder,
    private readonly session: ScoringSession,
    private readonly batching: BatchLimits,
    readonly info: RerankerInfo,
  ) {}

  /** Loads tokenizer and model; emits `ready` through `onProgress` at the end. */
  static async load(
    options: ResolvedOptions,
    platform: Platform,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<RerankEngine> {
    const started = performance.now()
    const elapsed = (since: number): number => Math.round(performance.now() - since)
    // The adapter is checked before the runtime is configured: without one, the smaller
    // CPU-only runtime build is enough, and it loads about twice as fast.
    const adapter: WebGpuAdapterCheck =
      options.device === 'auto' || options.device === 'webgpu'
        ? await platform.webGpuAdapter()
        : { ok: false, reason: `device "${options.device}" was requested.` }
    const adapterMs = elapsed(started)
    platform.prepare({
      threads: options.threads,
      webgpu: adapter.ok,
      ...(options.wasmPaths === undefined ? {} : { wasmPaths: options.wasmPaths }),
    })
    const tokenizerStarted = performance.now()
    const inputs = await loadModelInputs(
      options.source,
      {
        ...(options.instruction === undefined ? {} : { instruction: options.instruction }),
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
        ...(options.registryMaxTokens === undefined ? {} : { registryMaxTokens: options.registryMaxTokens }),
      },
      onProgress,
    )
    const tokenizerMs = elapsed(tokenizerStarted)
    const modelStarted = performance.now()
    const choice = await chooseDevice(options, inputs, platform, adapter, onProgress)
    const modelMs = elapsed(modelStarted)
    const device = choice.session.device
    const limits = options.batching[device]
    // Batch-independent scores: dynamically quantized graphs run one pair per batch, unless the
    // caller chose a batch size (and with it, speed over independence).
    const perPair = PER_PAIR_DTYPES.includes(choice.session.dtype) && !options.maxBatchSizeSet
    const batching = perPair ? { ...limits, maxBatchSize: 1 } : limits
    const loadMs = elapsed(started)
    const threadsNote = platform.threadsNote(options.threads)
    const info: RerankerInfo = {
      backend: 'local',
      model: options.model,
      modelId: options.modelId,
      device,
      dtype: choice.session.dtype,
      threads: options.threads,
      maxTokens: inputs.builder.maxTokens,
      loadMs,
      loadPhases: { adapterMs, tokenizerMs, modelMs },
      ...(threadsNote === undefined ? {} : { threadsNote }),
      batchTokenBudget: batching.tokenBudget,
      maxBatchSize: batching.maxBatchSize,
      ...(choice.fallbackReason === undefined ? {} : { fallbackReason: choice.fallbackReason }),
    }
    onProgress?.({ status: 'ready', model: info.model, device: info.device, dtype: info.dtype, loadMs })
    return new RerankEngine(inputs.builder, choice.session, batching, info)
  }

  /**
   * Scores the documents against the query and builds the response. Checks `signal` between
   * micro-batches, so an abort takes effect within one batch. With `request.budgetMs`, scores
   * documents in their incoming order until the budget would be exceeded.
   */
  async rerank(request: NormalizedRequest, controls: CallControls = {}): Promise<RerankResponse> {
    if (this.disposed) throw fail('disposed', 'this reranker has been disposed.')
    const { signal, onBatch } = controls
    throwIfAborted(signal)
    const started = performance.now()
    const pairs = this.builder.encodeRequest(request.query, request.documents, request.long)
    const lengths = pairs.map((p) => p.inputIds.length)
    const plan = makePlan(lengths, this.batching, request.budgetMs)
    // A document's score is its best window's (one window unless chunking).
    const scores = new Float64Array(request.documents.length).fill(-Infinity)
    const scored = new Uint8Array(request.documents.length)
    let done = 0
    let tokens = 0
    for (let b = 0; ; b++) {
      throwIfAborted(signal)
      const batch = plan.next(performance.now() - started)
      if (!batch) break
      const batchLengths = batch.map((i) => lengths[i]!)
      const paddedTokens = batch.length * Math.max(...batchLengths)
      const batchStarted = performance.now()
      const batchScores = await this.scoreFinite(batch.map((i) => pairs[i]!))
      const batchMs = performance.now() - batchStarted
      plan.record(batchMs, paddedTokens)
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
        batches: plan.planned(b),
        tokens: batchTokens,
        paddedTokens,
        batchMs,
        elapsedMs: performance.now() - started,
        scores: batch.map((pairIndex, row) => ({ index: pairs[pairIndex]!.doc, relevance_score: batchScores[row]! })),
      })
    }
    throwIfAborted(signal)
    return buildResponse(request, scores, tokens, this.info.model, request.budgetMs === undefined ? undefined : scored)
  }

  /**
   * Scores a batch and makes sure every score is a number: a NaN or infinite score (fp16 on some
   * GPUs overflows) is never ranked. Rows that come back non-finite are scored again one at a
   * time (no padding, no neighbours); if one is still non-finite the call rejects with
   * `inference_failed` rather than return a wrong ranking.
   */
  private async scoreFinite(pairs: readonly EncodedPair[]): Promise<Float64Array> {
    const scores = await this.session.score(pairs)
    for (let row = 0; row < scores.length; row++) {
      if (Number.isFinite(scores[row])) continue
      const [alone] = await this.session.score([pairs[row]!])
      if (alone === undefined || !Number.isFinite(alone)) {
        throw fail(
          'inference_failed',
          `the model returned a non-finite score (${alone}) on ${this.info.device} with dtype ${this.info.dtype}, ` +
            'even for the pair alone. Try dtype "fp32" or device "wasm".',
        )
      }
      scores[row] = alone
    }
    return scores
  }

  /**
   * Runs a small batch so the first real call does not pay for kernel set-up (shader compilation
   * on WebGPU, buffer allocation on WASM). Returns how long it took, in milliseconds.
   */
  async warmup(): Promise<number> {
    const started = performance.now()
    const pair = buildOnePair(this.builder, PROBE_PAIR.query, PROBE_PAIR.document)
    await this.session.score([pair, pair])
    return performance.now() - started
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.session.dispose()
  }
}

// The remote backend behind the Reranker API: each call is checked locally (the same errors as a
// local model), posted to the server in its format, and its answer checked and reshaped.

import { PROBE_PAIR } from '../api/defaults.js'
import type { NormalizedRequest } from '../api/request.js'
import { buildResponse } from '../api/response.js'
import type { CallControls, CallHost } from '../api/reranker.js'
import type { RerankResponse } from '../api/types.js'
import { fail } from '../api/validate.js'
import { postJson } from './client.js'
import { wireFormat } from './formats.js'
import type { RemoteOptions } from './options.js'

export class RemoteHost implements CallHost {
  private readonly inFlight = new Set<AbortController>()
  private disposed = false

  constructor(private readonly remote: RemoteOptions) {}

  async rerank(request: NormalizedRequest, controls: CallControls = {}): Promise<RerankResponse> {
    if (this.disposed) throw fail('disposed', 'this reranker has been disposed.')
    const controller = new AbortController()
    const forward = (): void => {
      controller.abort(controls.signal?.reason)
    }
    controls.signal?.addEventListener('abort', forward, { once: true })
    // budgetMs: past the budget, the documents keep their incoming order, unscored (as locally).
    const budgetState = { over: false }
    const budget =
      request.budgetMs === undefined
        ? undefined
        : setTimeout(() => {
            budgetState.over = true
            controller.abort()
          }, request.budgetMs)
    this.inFlight.add(controller)
    const started = performance.now()
    try {
      const format = wireFormat(this.remote.format)
      const answer = await postJson(
        this.remote,
        format.body(request, request.model ?? this.remote.model),
        controller.signal,
      )
      const response = format.parse(answer, request, request.model ?? this.remote.model)
      if (request.budgetMs !== undefined) for (const result of response.results) result.reranked = true
      reportOnce(controls, request, response, performance.now() - started)
      return response
    } catch (err) {
      if (!budgetState.over || controls.signal?.aborted) throw err
      const n = request.documents.length
      return buildResponse(request, new Float64Array(n), 0, this.remote.model ?? '', new Uint8Array(n))
    } finally {
      clearTimeout(budget)
      controls.signal?.removeEventListener('abort', forward)
      this.inFlight.delete(controller)
    }
  }

  /** One short pair, round trip included: what a first call costs beyond the documents. */
  async warmup(): Promise<number> {
    const started = performance.now()
    await this.rerank({
      query: PROBE_PAIR.query,
      documents: [PROBE_PAIR.document],
      topN: 1,
      returnDocuments: false,
      long: this.remote.long,
    })
    return performance.now() - started
  }

  dispose(): Promise<void> {
    this.disposed = true
    for (const controller of this.inFlight) controller.abort(fail('disposed', 'this reranker has been disposed.'))
    return Promise.resolve()
  }
}

/** onBatch once: the server scores the whole list in one go, so progress UIs still complete. */
function reportOnce(controls: CallControls, request: NormalizedRequest, response: RerankResponse, ms: number): void {
  const n = request.documents.length
  controls.onBatch?.({
    done: n,
    total: n,
    batch: 0,
    batches: 1,
    tokens: response.usage.prompt_tokens,
    paddedTokens: response.usage.prompt_tokens,
    batchMs: ms,
    elapsedMs: ms,
    scores: response.results.map(({ index, relevance_score }) => ({ index, relevance_score })),
  })
}

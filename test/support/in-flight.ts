// Hitting a call mid-flight: the fault tests (dispose, a dying or terminated worker, a lost GPU)
// all start a long call, wait for its first micro-batch, cause the fault and time the rejection.

import type { Reranker } from '../../src/index'

/**
 * Starts `reranker.rerank(query, documents)` (long enough to be running: create the reranker with
 * `maxBatchSize: 1`), waits for its first micro-batch, runs `fault`, and returns what the call
 * rejected with (undefined if it resolved) and how many ms after the fault it settled. Awaits what
 * `fault` returns only after that, so e.g. a dispose() does not count in the time.
 */
export async function faultDuringCall(
  reranker: Reranker,
  query: string,
  documents: string[],
  fault: () => unknown,
): Promise<{ error: unknown; settledMs: number }> {
  let started!: () => void
  const running = new Promise<void>((resolve) => (started = resolve))
  const call = reranker.rerank(query, documents, {
    onBatch: () => {
      started()
    },
  })
  await running
  const t0 = performance.now()
  const faulted = fault()
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  const settledMs = performance.now() - t0
  await faulted
  return { error, settledMs }
}

// Groups encoded pairs into micro-batches: sorted by length so little padding is wasted,
// and capped by a token budget so memory stays bounded on long inputs.

export interface BatchPlanOptions {
  /** Most rows × padded length in one batch. */
  tokenBudget: number
  /** Most rows in one batch. */
  maxBatchSize: number
}

/**
 * Plans micro-batches over pairs of the given lengths. Returns batches of original indexes;
 * within a batch, pairs have similar lengths (longest first, so the largest allocation happens
 * at the start rather than after memory has fragmented).
 */
export function planBatches(lengths: readonly number[], options: BatchPlanOptions): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b)
  const batches: number[][] = []
  let current: number[] = []
  let currentMax = 0
  for (const index of order) {
    const len = lengths[index]!
    const max = Math.max(currentMax, len)
    if (current.length > 0 && (current.length >= options.maxBatchSize || max * (current.length + 1) > options.tokenBudget)) {
      batches.push(current)
      current = []
      currentMax = 0
    }
    current.push(index)
    currentMax = Math.max(currentMax, len)
  }
  if (current.length > 0) batches.push(current)
  return batches
}

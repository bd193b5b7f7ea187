// Groups a call's pairs into micro-batches. Two plans:
// - FixedPlan: every pair, length-sorted so little padding is wasted, capped by a token budget
//   so memory stays bounded on long inputs;
// - BudgetPlan: a latency budget, pairs in incoming (first-stage) order while they fit.

import type { BatchLimits } from '../api/defaults.js'

/**
 * Plans micro-batches over pairs of the given lengths. Returns batches of original indexes;
 * within a batch, pairs have similar lengths (longest first, so the largest allocation happens
 * at the start rather than after memory has fragmented).
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b)
  const batches: number[][] = []
  let current: number[] = []
  let currentMax = 0
  for (const index of order) {
    const len = lengths[index]!
    const max = Math.max(currentMax, len)
    if (
      current.length > 0 &&
      (current.length >= limits.maxBatchSize || max * (current.length + 1) > limits.tokenBudget)
    ) {
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

/** Hands out the next micro-batch of pair indexes, or null when the call is done. */
export interface BatchPlan {
  next(elapsedMs: number): number[] | null
  /** Tells the plan how long a batch of `paddedTokens` took. */
  record(batchMs: number, paddedTokens: number): void
  /** Number of batches planned in all, as known after batch `b`. */
  planned(b: number): number
}

/** The plan for a call: fixed, or within `budgetMs` when the caller set a latency budget. */
export function makePlan(lengths: readonly number[], limits: BatchLimits, budgetMs: number | undefined): BatchPlan {
  return budgetMs === undefined
    ? new FixedPlan(planBatches(lengths, limits))
    : new BudgetPlan(lengths, limits, budgetMs)
}

/** Every pair, in length-sorted micro-batches planned up front; timings do not change it. */
class FixedPlan implements BatchPlan {
  private index = 0
  constructor(private readonly batches: number[][]) {}
  next(): number[] | null {
    return this.batches[this.index++] ?? null
  }
  record(): void {
    // Planned up front: nothing to learn from timings.
  }
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
class BudgetPlan implements BatchPlan {
  private nextPair = 0
  private spentMs = 0
  private spentTokens = 0

  constructor(
    private readonly lengths: readonly number[],
    private readonly limits: BatchLimits,
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

// Figures for the benchmark: percentiles, FLOPs of a BERT cross-encoder, process memory.

import { readdirSync, readFileSync } from 'node:fs'

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

export interface BertDims {
  layers: number
  hidden: number
  intermediate: number
}

/**
 * Useful FLOPs of one pair of `n` real tokens: 2 × non-embedding weights per token (Q, K, V, O
 * and the two FFN matrices) plus attention's QKᵀ and AV (2 × 2·n²·d per layer). Padding is
 * not counted: this is the work a perfect batcher would do.
 */
export function pairFlops(n: number, dims: BertDims): number {
  const weightsPerLayer = 4 * dims.hidden * dims.hidden + 2 * dims.hidden * dims.intermediate
  return dims.layers * (2 * weightsPerLayer * n + 4 * n * n * dims.hidden)
}

/** Proportional set size (shared pages split between sharers) of every process whose command line matches. */
export function pssBytes(match: (cmdline: string) => boolean): number {
  let total = 0
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!match(cmdline)) continue
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)
      if (kb) total += Number(kb[1]) * 1024
    } catch {
      // the process ended while we read it
    }
  }
  return total
}

/** Samples a memory reading every `ms` until stopped; returns the peak seen. */
export function samplePeak(read: () => number, ms = 100): { stop: () => number } {
  let peak = read()
  const timer = setInterval(() => {
    peak = Math.max(peak, read())
  }, ms)
  return {
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, read())
    },
  }
}

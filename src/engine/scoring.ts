// Turns a cross-encoder's logits into relevance scores in 0..1.

/** Logistic function, written to stay exact for large |x| (no overflow to NaN). */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/**
 * Scores from a `[rows, labels]` logits array: sigmoid for single-logit cross-encoders
 * (what sentence-transformers' CrossEncoder does), softmax probability of the last label for
 * classifiers with two or more labels (label 1 = relevant in 2-class rerankers).
 */
export function scoresFromLogits(logits: ArrayLike<number>, rows: number): Float64Array {
  const labels = logits.length / rows
  const out = new Float64Array(rows)
  for (let r = 0; r < rows; r++) {
    if (labels === 1) {
      out[r] = sigmoid(logits[r]!)
      continue
    }
    let max = -Infinity
    for (let l = 0; l < labels; l++) max = Math.max(max, logits[r * labels + l]!)
    let sum = 0
    for (let l = 0; l < labels; l++) sum += Math.exp(logits[r * labels + l]! - max)
    out[r] = Math.exp(logits[r * labels + labels - 1]! - max) / sum
  }
  return out
}

// Small statistics for tests that compare score lists (spread, rank agreement).

export function std(values: readonly number[]): number {
  const mean = values.reduce((a, v) => a + v, 0) / values.length
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length)
  order.forEach(([, i], rank) => (out[i] = rank))
  return out
}

/** Spearman rank correlation (no ties in continuous logits). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a)
  const rb = ranks(b)
  const n = a.length
  const d2 = ra.reduce((sum, r, i) => sum + (r - rb[i]!) ** 2, 0)
  return 1 - (6 * d2) / (n * (n * n - 1))
}

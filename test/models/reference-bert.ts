// An independent float64 forward pass of the BERT cross-encoder over the generated weights, written
// from the HF modeling code rather than from the ONNX graph, so the two check each other.
import type { BertLayerWeights, BertSpec, BertWeights, EncoderSpec, LayerNorm, Linear } from './bert.js'

export type Matrix = Float64Array[] // one row per token

/** The logit for one unpadded sequence (`inputIds` with its `tokenTypeIds`), computed in float64. */
export function bertReferenceLogit(
  weights: BertWeights,
  spec: BertSpec,
  inputIds: number[],
  tokenTypeIds: number[],
): number {
  if (inputIds.length !== tokenTypeIds.length) throw new Error('reference-bert: ids and token types differ in length')
  if (inputIds.length > spec.maxPositions) throw new Error('reference-bert: sequence longer than maxPositions')
  const h = spec.hiddenSize
  let x: Matrix = inputIds.map((id, pos) => {
    const row = new Float64Array(h)
    const type = tokenTypeIds[pos]!
    for (let j = 0; j < h; j++) {
      row[j] =
        weights.wordEmbeddings[id * h + j]! +
        weights.positionEmbeddings[pos * h + j]! +
        weights.tokenTypeEmbeddings[type * h + j]!
    }
    return layerNorm(row, weights.embeddingsLayerNorm, spec.layerNormEps)
  })
  x = encoderStack(x, weights.layers, spec)
  const pooled = dense(x[0]!, weights.pooler).map(Math.tanh)
  return dense(pooled, weights.classifier)[0]!
}

/** The post-LN transformer layers over embedded tokens `x` (no mask: the sequence is unpadded). */
export function encoderStack(x: Matrix, layers: readonly BertLayerWeights[], spec: EncoderSpec): Matrix {
  for (const layer of layers) {
    const context = selfAttention(x, layer.query, layer.key, layer.value, spec.numHeads)
    const attended = x.map((row, t) => {
      const projected = dense(context[t]!, layer.attentionOutput)
      return layerNorm(add(projected, row), layer.attentionLayerNorm, spec.layerNormEps)
    })
    x = attended.map((row) => {
      const inner = dense(row, layer.intermediate).map(gelu)
      return layerNorm(add(dense(inner, layer.output), row), layer.outputLayerNorm, spec.layerNormEps)
    })
  }
  return x
}

function selfAttention(x: Matrix, query: Linear, key: Linear, value: Linear, numHeads: number): Matrix {
  const q = x.map((r) => dense(r, query))
  const k = x.map((r) => dense(r, key))
  const v = x.map((r) => dense(r, value))
  const h = query.outFeatures
  const d = h / numHeads
  const out = x.map(() => new Float64Array(h))
  for (let head = 0; head < numHeads; head++) {
    const off = head * d
    for (let i = 0; i < x.length; i++) {
      const scores = k.map((kj) => {
        let s = 0
        for (let c = 0; c < d; c++) s += q[i]![off + c]! * kj[off + c]!
        return s / Math.sqrt(d)
      })
      const max = Math.max(...scores)
      const exps = scores.map((s) => Math.exp(s - max))
      const total = exps.reduce((a, e) => a + e, 0)
      for (let j = 0; j < x.length; j++) {
        const p = exps[j]! / total
        for (let c = 0; c < d; c++) out[i]![off + c]! += p * v[j]![off + c]!
      }
    }
  }
  return out
}

/** y = x·W + b with W in [in, out] layout. */
export function dense(x: Float64Array, lin: Linear): Float64Array {
  const y = new Float64Array(lin.outFeatures)
  for (let o = 0; o < lin.outFeatures; o++) y[o] = lin.bias[o]!
  for (let i = 0; i < lin.inFeatures; i++) {
    const xi = x[i]!
    const rowOffset = i * lin.outFeatures
    for (let o = 0; o < lin.outFeatures; o++) y[o]! += xi * lin.weight[rowOffset + o]!
  }
  return y
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!)
}

export function layerNorm(x: Float64Array, ln: LayerNorm, eps: number): Float64Array {
  const mean = x.reduce((a, v) => a + v, 0) / x.length
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length
  const inv = 1 / Math.sqrt(variance + eps)
  return x.map((v, i) => (v - mean) * inv * ln.weight[i]! + ln.bias[i]!)
}

/** Exact GELU, the `gelu` activation of BERT configs. */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2))
}

/**
 * erf to ~1e-13: its Maclaurin series below 3 (cancellation costs ~3 digits near 3) and
 * the continued fraction of erfc above, which converges fast for large arguments. JS has no Math.erf.
 */
export function erf(x: number): number {
  const ax = Math.abs(x)
  if (ax < 3) {
    // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax // (-1)^n x^(2n+1) / n!
    let sum = ax
    for (let n = 1; n < 100; n++) {
      term *= (-ax * ax) / n
      const contribution = term / (2 * n + 1)
      sum += contribution
      if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up.
  let tail = ax
  for (let n = 60; n >= 1; n--) tail = ax + n / 2 / tail
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / tail
  return Math.sign(x) * (1 - erfc)
}

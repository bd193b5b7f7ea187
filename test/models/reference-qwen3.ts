// Float64 forward pass of the tiny Qwen3ForCausalLM in qwen3.ts, written from HF's modeling_qwen3
// rather than from the ONNX graph, so the two check each other. Only the last position's yes/no logits.
import type { Projection, Qwen3LayerWeights, Qwen3Spec, Qwen3Weights } from './qwen3.js'
import { QWEN3_NO_TOKEN_ID, QWEN3_YES_TOKEN_ID } from './qwen3-prompt.js'

export interface YesNoLogits {
  readonly yes: number
  readonly no: number
}

type Matrix = Float64Array[] // one row per token

/** The "yes" and "no" logits at the last position of one unpadded sequence (positions 0…n-1). */
export function qwen3ReferenceLastLogits(
  weights: Qwen3Weights,
  spec: Qwen3Spec,
  inputIds: readonly number[],
): YesNoLogits {
  if (inputIds.length === 0) throw new Error('reference-qwen3: empty sequence')
  const h = spec.hiddenSize
  let x: Matrix = inputIds.map((id) => Float64Array.from(weights.embedTokens.subarray(id * h, (id + 1) * h)))
  for (const layer of weights.layers) {
    const attended = selfAttention(
      spec,
      weights.invFreq,
      layer,
      x.map((row) => rmsNorm(row, layer.inputNorm, spec.rmsNormEps)),
    )
    x = x.map((row, t) => add(row, attended[t]!))
    x = x.map((row) => {
      const normed = rmsNorm(row, layer.postAttentionNorm, spec.rmsNormEps)
      const gate = dense(normed, layer.gate)
      const up = dense(normed, layer.up)
      return add(
        row,
        dense(
          gate.map((g, i) => silu(g) * up[i]!),
          layer.down,
        ),
      )
    })
  }
  const last = rmsNorm(x[x.length - 1]!, weights.finalNorm, spec.rmsNormEps)
  // Tied head: a logit is the final hidden state dotted with the token's embedding row.
  const logit = (id: number): number => last.reduce((sum, v, j) => sum + v * weights.embedTokens[id * h + j]!, 0)
  return { yes: logit(QWEN3_YES_TOKEN_ID), no: logit(QWEN3_NO_TOKEN_ID) }
}

/** The reranker score: softmax([no, yes])[1], i.e. sigmoid(yes − no). */
export function qwen3ScoreOf({ yes, no }: YesNoLogits): number {
  return 1 / (1 + Math.exp(no - yes))
}

export function qwen3ReferenceScore(weights: Qwen3Weights, spec: Qwen3Spec, inputIds: readonly number[]): number {
  return qwen3ScoreOf(qwen3ReferenceLastLogits(weights, spec, inputIds))
}

/** Causal GQA attention with QK-norm and RoPE; `x` is already input-normed. Returns o_proj's output per token. */
function selfAttention(spec: Qwen3Spec, invFreq: Float32Array, layer: Qwen3LayerWeights, x: Matrix): Matrix {
  const { numHeads, numKeyValueHeads, headDim: d, rmsNormEps: eps } = spec
  // Per token: heads × head_dim, each head RMS-normed, then rotated by its position.
  const split = (p: Projection, headCount: number, normWeight: Float32Array | null): Float64Array[][] =>
    x.map((row, pos) => {
      const flat = dense(row, p)
      return Array.from({ length: headCount }, (_, head) => {
        const v = flat.subarray(head * d, (head + 1) * d)
        return normWeight === null ? Float64Array.from(v) : rope(rmsNorm(v, normWeight, eps), pos, invFreq)
      })
    })
  const q = split(layer.q, numHeads, layer.qNorm)
  const k = split(layer.k, numKeyValueHeads, layer.kNorm)
  const v = split(layer.v, numKeyValueHeads, null)
  const rep = numHeads / numKeyValueHeads
  return x.map((_, i) => {
    const context = new Float64Array(numHeads * d)
    for (let head = 0; head < numHeads; head++) {
      const kvHead = Math.floor(head / rep) // repeat_kv's order
      const scores: number[] = []
      for (let j = 0; j <= i; j++) scores.push(dot(q[i]![head]!, k[j]![kvHead]!) / Math.sqrt(d))
      const max = Math.max(...scores)
      const exps = scores.map((s) => Math.exp(s - max))
      const total = exps.reduce((a, e) => a + e, 0)
      for (let j = 0; j <= i; j++) {
        const p = exps[j]! / total
        const vj = v[j]![kvHead]!
        for (let c = 0; c < d; c++) context[head * d + c]! += p * vj[c]!
      }
    }
    return dense(context, layer.o)
  })
}

/** HF's apply_rotary_pos_emb: x·cos + rotate_half(x)·sin, angles pos·inv_freq repeated over both halves. */
function rope(x: Float64Array, pos: number, invFreq: Float32Array): Float64Array {
  const half = x.length / 2
  const out = new Float64Array(x.length)
  for (let i = 0; i < half; i++) {
    const angle = pos * invFreq[i]!
    const cos = Math.cos(angle)
    const sin = Math.sin(angle)
    out[i] = x[i]! * cos - x[i + half]! * sin
    out[i + half] = x[i + half]! * cos + x[i]! * sin
  }
  return out
}

function rmsNorm(x: Float64Array, weight: Float32Array, eps: number): Float64Array {
  const meanSquare = x.reduce((a, v) => a + v * v, 0) / x.length
  const inv = 1 / Math.sqrt(meanSquare + eps)
  return x.map((v, i) => v * inv * weight[i]!)
}

/** y = x·W with W in [in, out] layout. */
function dense(x: Float64Array, p: Projection): Float64Array {
  const y = new Float64Array(p.outFeatures)
  for (let i = 0; i < p.inFeatures; i++) {
    const xi = x[i]!
    const rowOffset = i * p.outFeatures
    for (let o = 0; o < p.outFeatures; o++) y[o]! += xi * p.weight[rowOffset + o]!
  }
  return y
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!)
}

function silu(x: number): number {
  return x / (1 + Math.exp(-x))
}

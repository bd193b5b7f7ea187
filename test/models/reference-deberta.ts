// An independent float64 forward pass of the DeBERTa-v2 cross-encoder over the generated weights,
// written from transformers' modeling_deberta_v2.py (DisentangledSelfAttention, build_relative_position,
// make_log_bucket_position, ContextPooler) rather than from the ONNX graph, so the two check each other.
import { attentionSpan, type DebertaLayerWeights, type DebertaSpec, type DebertaWeights } from './deberta.js'
import { dense, gelu, layerNorm, type Matrix } from './reference-bert.js'

/**
 * make_log_bucket_position for one distance. The graph (like PyTorch) computes the log in float32; a
 * float32 and a float64 ceil differ only when the value before the ceil is within rounding of an
 * integer, so such a distance throws here rather than give a reference that may disagree for that reason.
 */
export function logBucket(relative: number, spec: DebertaSpec): number {
  const mid = Math.floor(spec.positionBuckets / 2)
  if (relative < mid && relative > -mid) return relative
  const abs = Math.abs(relative)
  if (abs <= mid) return relative
  // At abs = max - 1 both logs are of the same number, in float32 too: the ratio is exactly 1.
  const ratio =
    abs === spec.maxRelativePositions - 1 ? 1 : Math.log(abs / mid) / Math.log((spec.maxRelativePositions - 1) / mid)
  const scaled = ratio * (mid - 1)
  if (ratio !== 1 && Math.abs(scaled - Math.round(scaled)) < 1e-4)
    throw new Error(`reference-deberta: bucket of distance ${relative} is too close to a float32 rounding edge`)
  return Math.sign(relative) * (Math.ceil(scaled) + mid)
}

/** The logit for one unpadded sequence. */
export function debertaReferenceLogit(weights: DebertaWeights, spec: DebertaSpec, inputIds: readonly number[]): number {
  if (inputIds.length > spec.maxPositions) throw new Error('reference-deberta: sequence longer than maxPositions')
  const h = spec.hiddenSize
  let x: Matrix = inputIds.map((id) =>
    layerNorm(
      Float64Array.from(weights.wordEmbeddings.subarray(id * h, (id + 1) * h)),
      weights.embeddingsLayerNorm,
      spec.layerNormEps,
    ),
  )
  const rel: Matrix = Array.from({ length: 2 * spec.positionBuckets }, (_, r) =>
    layerNorm(
      Float64Array.from(weights.relEmbeddings.subarray(r * h, (r + 1) * h)),
      weights.relLayerNorm,
      spec.layerNormEps,
    ),
  )
  const n = inputIds.length
  const span = attentionSpan(spec)
  // c2p_pos[i][j] = clamp(bucket(i - j) + span, 0, 2·span - 1); the bucket is odd in its argument.
  const relIndex = Array.from({ length: n }, (_, i) =>
    Int32Array.from({ length: n }, (_, j) => Math.min(2 * span - 1, Math.max(0, logBucket(i - j, spec) + span))),
  )
  for (const layer of weights.layers) x = debertaLayer(x, rel, relIndex, layer, spec)
  const pooled = dense(x[0]!, weights.pooler).map(gelu)
  return dense(pooled, weights.classifier)[0]!
}

function debertaLayer(
  x: Matrix,
  rel: Matrix,
  relIndex: Int32Array[],
  layer: DebertaLayerWeights,
  spec: DebertaSpec,
): Matrix {
  const heads = spec.numHeads
  const h = spec.hiddenSize
  const d = h / heads
  const q = x.map((r) => dense(r, layer.query))
  const k = x.map((r) => dense(r, layer.key))
  const v = x.map((r) => dense(r, layer.value))
  // share_att_key: positional keys/queries are key_proj / query_proj of the relative embeddings.
  const posKey = rel.map((r) => dense(r, layer.key))
  const posQuery = rel.map((r) => dense(r, layer.query))
  const scale = Math.sqrt(d * 3)
  const dot = (a: Float64Array, b: Float64Array, off: number): number => {
    let s = 0
    for (let c = 0; c < d; c++) s += a[off + c]! * b[off + c]!
    return s
  }
  const context = x.map(() => new Float64Array(h))
  for (let head = 0; head < heads; head++) {
    const off = head * d
    for (let i = 0; i < x.length; i++) {
      const scores = k.map((kj, j) => {
        const c2c = dot(q[i]!, kj, off)
        const c2p = dot(q[i]!, posKey[relIndex[i]![j]!]!, off)
        // p2c_pos[j][i] = clamp(-bucket(j - i) + span) = relIndex[i][j]
        const p2c = dot(kj, posQuery[relIndex[i]![j]!]!, off)
        return (c2c + c2p + p2c) / scale
      })
      const max = Math.max(...scores)
      const exps = scores.map((s) => Math.exp(s - max))
      const total = exps.reduce((a, e) => a + e, 0)
      for (let j = 0; j < x.length; j++) {
        const p = exps[j]! / total
        for (let c = 0; c < d; c++) context[i]![off + c]! += p * v[j]![off + c]!
      }
    }
  }
  const attended = x.map((row, t) =>
    layerNorm(add(dense(context[t]!, layer.attentionOutput), row), layer.attentionLayerNorm, spec.layerNormEps),
  )
  return attended.map((row) =>
    layerNorm(
      add(dense(dense(row, layer.intermediate).map(gelu), layer.output), row),
      layer.outputLayerNorm,
      spec.layerNormEps,
    ),
  )
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!)
}

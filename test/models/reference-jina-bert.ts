// An independent float64 forward pass of the JinaBERT cross-encoder over the generated weights, written
// from JinaBERT's modeling code (symmetric ALiBi, JinaBertGLUMLP, BertPooler + classifier).
import { alibiSlopes, type JinaBertLayerWeights, type JinaBertSpec, type JinaBertWeights } from './jina-bert.js'
import { dense, gelu, layerNorm, type Matrix } from './reference-bert.js'

/** The logit for one unpadded sequence with its token types. */
export function jinaBertReferenceLogit(
  weights: JinaBertWeights,
  spec: JinaBertSpec,
  inputIds: readonly number[],
  tokenTypeIds: readonly number[],
): number {
  if (inputIds.length > spec.maxPositions) throw new Error('reference-jina-bert: sequence longer than maxPositions')
  const h = spec.hiddenSize
  let x: Matrix = inputIds.map((id, t) => {
    const type = tokenTypeIds[t]!
    const row = Float64Array.from(
      { length: h },
      (_, j) => weights.wordEmbeddings[id * h + j]! + weights.tokenTypeEmbeddings[type * h + j]!,
    )
    return layerNorm(row, weights.embeddingsLayerNorm, spec.layerNormEps)
  })
  const slopes = alibiSlopes(spec.numHeads)
  for (const layer of weights.layers) x = jinaLayer(x, layer, spec, slopes)
  const pooled = dense(x[0]!, weights.pooler).map(Math.tanh)
  return dense(pooled, weights.classifier)[0]!
}

function jinaLayer(x: Matrix, layer: JinaBertLayerWeights, spec: JinaBertSpec, slopes: number[]): Matrix {
  const heads = spec.numHeads
  const h = spec.hiddenSize
  const d = h / heads
  const n = x.length
  // Per head, queries/keys/values packed contiguously ([n, d]): long sequences (2,000+ tokens) stay fast.
  const pack = (rows: Matrix, off: number): Float64Array => {
    const out = new Float64Array(n * d)
    rows.forEach((r, t) => {
      out.set(r.subarray(off, off + d), t * d)
    })
    return out
  }
  const q = x.map((r) => dense(r, layer.query))
  const k = x.map((r) => dense(r, layer.key))
  const v = x.map((r) => dense(r, layer.value))
  const context = x.map(() => new Float64Array(h))
  const scores = new Float64Array(n)
  const scale = 1 / Math.sqrt(d)
  for (let head = 0; head < heads; head++) {
    const off = head * d
    const [qh, kh, vh] = [pack(q, off), pack(k, off), pack(v, off)]
    const slope = slopes[head]!
    const acc = new Float64Array(d)
    for (let i = 0; i < n; i++) {
      const qi = i * d
      let max = -Infinity
      for (let j = 0; j < n; j++) {
        let dot = 0
        const kj = j * d
        for (let c = 0; c < d; c++) dot += qh[qi + c]! * kh[kj + c]!
        const score = dot * scale - slope * (i > j ? i - j : j - i)
        scores[j] = score
        if (score > max) max = score
      }
      let total = 0
      acc.fill(0)
      for (let j = 0; j < n; j++) {
        const shifted = scores[j]! - max
        // exp(-745) underflows to 0 in float64 anyway; skipping far-below-max terms changes nothing.
        if (shifted < -745) continue
        const p = Math.exp(shifted)
        total += p
        const vj = j * d
        for (let c = 0; c < d; c++) acc[c]! += p * vh[vj + c]!
      }
      for (let c = 0; c < d; c++) context[i]![off + c] = acc[c]! / total
    }
  }
  const attended = x.map((row, t) =>
    layerNorm(add(dense(context[t]!, layer.attentionOutput), row), layer.attentionLayerNorm, spec.layerNormEps),
  )
  const ff = spec.intermediateSize
  return attended.map((row) => {
    const both = dense(row, layer.gatedLayers)
    const glu = Float64Array.from({ length: ff }, (_, i) => gelu(both[i]!) * both[ff + i]!)
    return layerNorm(add(dense(glu, layer.wo), row), layer.mlpLayerNorm, spec.layerNormEps)
  })
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!)
}

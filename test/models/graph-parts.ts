// Graph pieces the DeBERTa-v2 and JinaBERT generators share: linears whose weights are written once
// however often the graph applies them (DeBERTa runs key_proj over tokens and relative embeddings),
// in fp32 or as onnxruntime's quantize_dynamic rewrites them (q8), plus LayerNorm and exact GELU.
import { type AttentionWeights, type LayerNorm, type Linear, quantizeUint8 } from './bert.js'
import { attr, DataType, type GraphBuilder } from './onnx-builder.js'

export interface Parts {
  readonly b: GraphBuilder
  readonly quantized: boolean
  readonly layerNormEps: number
}

/**
 * Applies `lin` (MatMul + bias Add, as torch exports a 3-D linear) to `x`; initializers are written on
 * first use of `label`. `bias: false` for nn.Linear(bias=False) layers (no Add at all).
 */
export function applyLinear(parts: Parts, x: string, lin: Linear, label: string, bias = true): string {
  const { b } = parts
  const product = parts.quantized
    ? quantizedMatMul(parts, x, lin, label)
    : b.op('MatMul', [
        x,
        once(b, `${label}.weight`, () => b.float(`${label}.weight`, [lin.inFeatures, lin.outFeatures], lin.weight)),
      ])
  if (!bias) return product
  return b.op('Add', [once(b, `${label}.bias`, () => b.float(`${label}.bias`, [lin.outFeatures], lin.bias)), product])
}

/** Initializer names already written, per graph. */
const written = new WeakMap<GraphBuilder, Set<string>>()

function once(b: GraphBuilder, name: string, create: () => string): string {
  let names = written.get(b)
  if (!names) written.set(b, (names = new Set()))
  if (!names.has(name)) {
    names.add(name)
    create()
  }
  return name
}

/** quantize_dynamic's MatMul: uint8 activations (one scale per call) and weights, int32 product rescaled. */
function quantizedMatMul(parts: Parts, x: string, lin: Linear, label: string): string {
  const { b } = parts
  const q = quantizeUint8(lin.weight)
  const wq = once(b, `${label}.weight_quantized`, () =>
    b.uint8(`${label}.weight_quantized`, [lin.inFeatures, lin.outFeatures], q.data),
  )
  const wScale = once(b, `${label}.weight_scale`, () => b.float(`${label}.weight_scale`, [], [q.scale]))
  const wZero = once(b, `${label}.weight_zero_point`, () =>
    b.uint8(`${label}.weight_zero_point`, [], Uint8Array.of(q.zeroPoint)),
  )
  const [xq, xScale, xZero] = b.node('DynamicQuantizeLinear', [x], {}, 3) as [string, string, string]
  const product = b.op('MatMulInteger', [xq, wq, xZero, wZero])
  return b.op('Mul', [b.op('Cast', [product], { to: attr.int(DataType.FLOAT) }), b.op('Mul', [xScale, wScale])])
}

export function layerNormOp(parts: Parts, x: string, ln: LayerNorm, label: string): string {
  const { b } = parts
  const scale = b.float(`${label}.weight`, [ln.weight.length], ln.weight)
  const bias = b.float(`${label}.bias`, [ln.bias.length], ln.bias)
  return b.op('LayerNormalization', [x, scale, bias], { axis: attr.int(-1), epsilon: attr.float(parts.layerNormEps) })
}

/** GELU as torch exports the exact (erf) form: x * 0.5 * (1 + erf(x / sqrt(2))). */
export function geluOp(b: GraphBuilder, x: string): string {
  const erf = b.op('Erf', [b.op('Div', [x, b.constFloat(Math.SQRT2)])])
  return b.op('Mul', [b.op('Mul', [x, b.op('Add', [erf, b.constFloat(1)])]), b.constFloat(0.5)])
}

/** [B, S, heads·d] -> [B, heads, S, d] (or [B, heads, d, S] with perm [0, 2, 3, 1] for keys). */
export function splitHeads(b: GraphBuilder, x: string, heads: number, headDim: number, perm = [0, 2, 1, 3]): string {
  return b.op('Transpose', [b.op('Reshape', [x, b.constInts([0, 0, heads, headDim])])], { perm: attr.ints(perm) })
}

/** [B, heads, S, d] -> [B, S, heads·d]. */
export function mergeHeads(b: GraphBuilder, x: string, hidden: number): string {
  const merged = b.op('Transpose', [x], { perm: attr.ints([0, 2, 1, 3]) })
  return b.op('Reshape', [merged, b.constInts([0, 0, hidden])])
}

/** The sequence length of `ids` ([B, S]) as a 0-d int64 tensor. */
export function sequenceLength(b: GraphBuilder, ids: string): string {
  return b.op('Gather', [b.op('Shape', [ids]), b.constInt64(1)], { axis: attr.int(0) })
}

/** Positions 0..S-1 as a 1-D int64 tensor (torch.arange(S)). */
export function positions(b: GraphBuilder, ids: string): string {
  return b.op('Range', [b.constInt64(0), sequenceLength(b, ids), b.constInt64(1)])
}

/**
 * BERT's *Output modules as DeBERTa and JinaBERT export them: `${label}.dense` over `x` in scope
 * 'dense', then LayerNorm(out + residual) in scope 'LayerNorm' (the residual Add inside it).
 */
export function denseResidualNorm(
  parts: Parts,
  x: string,
  residual: string,
  weights: { readonly dense: Linear; readonly norm: LayerNorm },
  label: string,
): string {
  const { b } = parts
  const out = b.scoped('dense', () => applyLinear(parts, x, weights.dense, `${label}.dense`))
  return b.scoped('LayerNorm', () =>
    layerNormOp(parts, b.op('Add', [out, residual]), weights.norm, `${label}.LayerNorm`),
  )
}

/** The attention output (BertSelfOutput) of the layer labelled `label`, over `context` with residual `x`. */
export function attentionOutput(
  parts: Parts,
  context: string,
  x: string,
  layer: AttentionWeights,
  label: string,
): string {
  const weights = { dense: layer.attentionOutput, norm: layer.attentionLayerNorm }
  return denseResidualNorm(parts, context, x, weights, `${label}.attention.output`)
}

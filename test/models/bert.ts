// A BERT cross-encoder (BertForSequenceClassification, one logit) with seeded random weights, and
// its ONNX graph in the shape torch.onnx exports it (fp32) and onnxruntime's quantize_dynamic makes q8.
import type { EncoderConfigSpec } from './model-folder.js'
import { attr, DataType, GraphBuilder } from './onnx-builder.js'
import { deriveSeed, Prng } from './prng.js'

/** The sizes a BERT-style encoder stack shares with its relatives (XLM-RoBERTa reuses the layers below). */
export interface EncoderSpec extends EncoderConfigSpec {
  readonly typeVocabSize: number
}

export interface BertSpec extends EncoderSpec {
  /** Absent on the BERT specs; tells them apart from other families in generate.ts. */
  readonly family?: 'bert'
  /** A fixed classifier bias; `'nan'` makes every logit NaN, as an overflowing fp16 run can. */
  readonly classifierBias?: 'nan'
}

/** A linear layer in MatMul layout: `weight` is [in, out] row-major, i.e. PyTorch's weight transposed. */
export interface Linear {
  readonly inFeatures: number
  readonly outFeatures: number
  readonly weight: Float32Array
  readonly bias: Float32Array
}

export interface LayerNorm {
  readonly weight: Float32Array
  readonly bias: Float32Array
}

/** A layer's self-attention projections and its attention output (dense + LayerNorm). */
export interface AttentionWeights {
  readonly query: Linear
  readonly key: Linear
  readonly value: Linear
  readonly attentionOutput: Linear
  readonly attentionLayerNorm: LayerNorm
}

export interface BertLayerWeights extends AttentionWeights {
  readonly intermediate: Linear
  readonly output: Linear
  readonly outputLayerNorm: LayerNorm
}

export interface BertWeights {
  /** [vocabSize, hidden], row 0 ([PAD]) zero. */
  readonly wordEmbeddings: Float32Array
  /** [maxPositions, hidden]. */
  readonly positionEmbeddings: Float32Array
  /** [typeVocabSize, hidden]. */
  readonly tokenTypeEmbeddings: Float32Array
  readonly embeddingsLayerNorm: LayerNorm
  readonly layers: readonly BertLayerWeights[]
  readonly pooler: Linear
  readonly classifier: Linear
}

/** HF's initializer_range: the embeddings' std (LayerNorm follows them, so their scale does not matter). */
export const INITIALIZER_RANGE = 0.02
/** LayerNorm weights are 1 + N(0, s) and biases N(0, s), so the norms are not all the identity. */
export const LAYER_NORM_JITTER = 0.1
/**
 * Encoder and head matrices use std gain/sqrt(fanIn) rather than HF's 0.02. At hidden 32, 0.02 makes
 * q·k ≈ 0 (uniform attention) and each sublayer's output tiny next to its residual, so the [CLS] state
 * (and the logit) barely depends on the other tokens and every input scores the same. Gain 2 keeps
 * attention peaked and token-dependent; the pooler gain drives tanh into its curved range and the
 * classifier gain brings the logit std over random inputs to about 1 (1.0-1.2 for the seeds tried).
 */
export const ENCODER_GAIN = 2
export const POOLER_GAIN = 2
export const CLASSIFIER_GAIN = 2.5

export function linear(seed: number, label: string, inFeatures: number, outFeatures: number, gain: number): Linear {
  const prng = new Prng(deriveSeed(seed, `${label}.weight`))
  return {
    inFeatures,
    outFeatures,
    weight: prng.normals(inFeatures * outFeatures, 0, gain / Math.sqrt(inFeatures)),
    bias: new Float32Array(outFeatures),
  }
}

export function layerNorm(seed: number, label: string, size: number): LayerNorm {
  const prng = new Prng(deriveSeed(seed, label))
  return { weight: prng.normals(size, 1, LAYER_NORM_JITTER), bias: prng.normals(size, 0, LAYER_NORM_JITTER) }
}

/** Deterministic weights for `spec`: the same spec always gives the same Float32Arrays. */
export function bertWeights(spec: BertSpec): BertWeights {
  const { seed, hiddenSize: h } = spec
  const embedding = (label: string, rows: number): Float32Array => embeddingTable(seed, label, rows, h)
  const wordEmbeddings = embedding('embeddings.word_embeddings', spec.vocabSize)
  wordEmbeddings.fill(0, 0, h) // padding_idx 0, as nn.Embedding(padding_idx=0) leaves it
  return {
    wordEmbeddings,
    positionEmbeddings: embedding('embeddings.position_embeddings', spec.maxPositions),
    tokenTypeEmbeddings: embedding('embeddings.token_type_embeddings', spec.typeVocabSize),
    embeddingsLayerNorm: layerNorm(seed, 'embeddings.LayerNorm', h),
    layers: encoderLayerWeights(spec),
    pooler: linear(seed, 'pooler.dense', h, h, POOLER_GAIN),
    classifier: {
      ...linear(seed, 'classifier', h, 1, CLASSIFIER_GAIN),
      ...(spec.classifierBias === 'nan' ? { bias: Float32Array.of(Number.NaN) } : {}),
    },
  }
}

/**
 * The self-attention weights of the layer whose parameters are prefixed `p` (e.g. 'encoder.layer.0'),
 * each drawn from its own labelled stream; `suffix` names the projections `query${suffix}` and so on.
 */
export function attentionWeights(seed: number, p: string, h: number, suffix = ''): AttentionWeights {
  return {
    query: linear(seed, `${p}.attention.self.query${suffix}`, h, h, ENCODER_GAIN),
    key: linear(seed, `${p}.attention.self.key${suffix}`, h, h, ENCODER_GAIN),
    value: linear(seed, `${p}.attention.self.value${suffix}`, h, h, ENCODER_GAIN),
    attentionOutput: linear(seed, `${p}.attention.output.dense`, h, h, ENCODER_GAIN),
    attentionLayerNorm: layerNorm(seed, `${p}.attention.output.LayerNorm`, h),
  }
}

/**
 * The transformer layers' weights, drawn from streams labelled `<prefix>.<i>.*` under `spec.seed`
 * (DeBERTa: prefix 'deberta.encoder.layer', suffix '_proj').
 */
export function encoderLayerWeights(
  spec: EncoderConfigSpec,
  prefix = 'encoder.layer',
  suffix = '',
): BertLayerWeights[] {
  const { seed, hiddenSize: h, intermediateSize: ff } = spec
  return Array.from({ length: spec.numLayers }, (_, i): BertLayerWeights => {
    const p = `${prefix}.${i}`
    return {
      ...attentionWeights(seed, p, h, suffix),
      intermediate: linear(seed, `${p}.intermediate.dense`, h, ff, ENCODER_GAIN),
      output: linear(seed, `${p}.output.dense`, ff, h, ENCODER_GAIN),
      outputLayerNorm: layerNorm(seed, `${p}.output.LayerNorm`, h),
    }
  })
}

/** An embedding table [rows, width] of N(0, std) from the stream labelled `label`. */
export function embeddingTable(
  seed: number,
  label: string,
  rows: number,
  width: number,
  std = INITIALIZER_RANGE,
): Float32Array {
  return new Prng(deriveSeed(seed, label)).normals(rows * width, 0, std)
}

/** Per-tensor asymmetric uint8 quantization as onnxruntime's quantize_dynamic does it for weights. */
export function quantizeUint8(values: Float32Array): { data: Uint8Array; scale: number; zeroPoint: number } {
  let min = 0 // the range always includes 0 so that 0 is exact
  let max = 0
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const scale = max > min ? Math.fround((max - min) / 255) : 1
  const zeroPoint = clampByte(roundHalfEven(-min / scale))
  const data = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) data[i] = clampByte(roundHalfEven(values[i]! / scale) + zeroPoint)
  return { data, scale, zeroPoint }
}

// numpy rounds half to even; matching it keeps our q8 weights what quantize_dynamic would write.
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

function clampByte(x: number): number {
  return Math.min(255, Math.max(0, x))
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!
  return out
}

export interface BertGraphOptions {
  /** Write the q8 variant (model_quantized.onnx): encoder MatMuls become DynamicQuantizeLinear + MatMulInteger. */
  readonly quantized: boolean
}

/** What the node-writing helpers below share while one graph is built. */
export interface GraphContext {
  readonly b: GraphBuilder
  readonly spec: EncoderSpec
  readonly quantized: boolean
}

/** The ONNX model bytes for `weights`: inputs input_ids / attention_mask / token_type_ids, output logits [batch_size, 1]. */
export function buildBertGraph(weights: BertWeights, spec: BertSpec, options: BertGraphOptions): Uint8Array {
  if (spec.hiddenSize % spec.numHeads !== 0)
    throw new Error(`bert: hidden ${spec.hiddenSize} is not divisible by ${spec.numHeads} heads`)
  const b = new GraphBuilder('main_graph')
  const ctx: GraphContext = { b, spec, quantized: options.quantized }
  const [inputIds, attentionMask, tokenTypeIds] = graphInputs(b, ['input_ids', 'attention_mask', 'token_type_ids'])

  let hidden = b.scoped('bert/embeddings', () => embeddings(ctx, weights, inputIds, tokenTypeIds))
  const mask = b.scoped('bert', () => additiveMask(b, attentionMask))
  weights.layers.forEach((layer, i) => {
    hidden = b.scoped(`bert/encoder/layer.${i}`, () =>
      encoderLayer(ctx, layer, `bert.encoder.layer.${i}`, hidden, mask),
    )
  })
  return bertHeadBytes(b, hidden, weights, spec.name, options.quantized)
}

/** The int64 [batch_size, sequence_length] graph inputs `names`, declared in order. */
export function graphInputs<const Names extends readonly string[]>(
  b: GraphBuilder,
  names: Names,
): { [K in keyof Names]: string } {
  return names.map((name) => b.input(name, DataType.INT64, ['batch_size', 'sequence_length'])) as {
    [K in keyof Names]: string
  }
}

/** hidden[:, 0, :]: the [CLS] (or <s>) state that poolers and classification heads read. */
export function firstToken(b: GraphBuilder, hidden: string): string {
  return b.op('Gather', [hidden, b.constInt64(0)], { axis: attr.int(1) })
}

/** BertPooler (dense + tanh over [CLS]) and the classifier, as BERT and JinaBERT end; then the model bytes. */
export function bertHeadBytes(
  b: GraphBuilder,
  hidden: string,
  weights: { readonly pooler: Linear; readonly classifier: Linear },
  name: string,
  quantized: boolean,
): Uint8Array {
  const pooled = b.scoped('bert/pooler', () => {
    const cls = firstToken(b, hidden)
    return b.op('Tanh', [b.scoped('dense', () => gemm(b, cls, weights.pooler, 'bert.pooler.dense'))])
  })
  b.scoped('classifier', () => gemm(b, pooled, weights.classifier, 'classifier', 'logits'))
  return logitsModelBytes(b, weights.classifier.outFeatures, name, quantized)
}

/** Declares the `logits` output [batch_size, width] and serializes the graph with the test models' metadata. */
export function logitsModelBytes(b: GraphBuilder, width: number, name: string, quantized: boolean): Uint8Array {
  b.output('logits', DataType.FLOAT, ['batch_size', width])
  const variant = quantized ? 'q8' : 'fp32'
  return b.toBytes({ metadata: { 'webrerank-test.model': name, 'webrerank-test.variant': variant } })
}

/** Word + token type + position embeddings (the position_ids buffer sliced to the sequence length), then LayerNorm. */
function embeddings(ctx: GraphContext, weights: BertWeights, inputIds: string, tokenTypeIds: string): string {
  const { b, spec } = ctx
  const h = spec.hiddenSize
  const table = (name: string, rows: number, data: Float32Array): string =>
    b.float(`bert.embeddings.${name}.weight`, [rows, h], data)
  const words = b.scoped('word_embeddings', () =>
    b.op('Gather', [table('word_embeddings', spec.vocabSize, weights.wordEmbeddings), inputIds]),
  )
  const types = b.scoped('token_type_embeddings', () =>
    b.op('Gather', [table('token_type_embeddings', spec.typeVocabSize, weights.tokenTypeEmbeddings), tokenTypeIds]),
  )
  const sum = b.op('Add', [words, types])
  const allPositions = Array.from({ length: spec.maxPositions }, (_, i) => i)
  const positionIds = b.int64('bert.embeddings.position_ids', [1, spec.maxPositions], allPositions)
  const seqLen = b.op('Gather', [b.op('Shape', [inputIds]), b.constInt64(1)], { axis: attr.int(0) })
  const end = b.op('Unsqueeze', [seqLen, b.constInts([0])])
  const slicedIds = b.op('Slice', [positionIds, b.constInts([0]), end, b.constInts([1]), b.constInts([1])])
  const positions = b.scoped('position_embeddings', () =>
    b.op('Gather', [table('position_embeddings', spec.maxPositions, weights.positionEmbeddings), slicedIds]),
  )
  const all = b.op('Add', [sum, positions])
  return b.scoped('LayerNorm', () => layerNormNode(ctx, all, weights.embeddingsLayerNorm, 'bert.embeddings.LayerNorm'))
}

/** HF's extended attention mask, (1 - mask) * float32_min, shaped [B, 1, 1, S] to broadcast over heads and queries. */
export function additiveMask(b: GraphBuilder, attentionMask: string): string {
  const unsqueezed = b.op('Unsqueeze', [attentionMask, b.constInts([1, 2])])
  const asFloat = b.op('Cast', [unsqueezed], { to: attr.int(DataType.FLOAT) })
  const inverted = b.op('Sub', [b.constFloat(1), asFloat])
  return b.op('Mul', [inverted, b.constFloat(-3.4028234663852886e38)])
}

/** One post-LN transformer layer: self-attention + residual + LayerNorm, FFN (exact GELU) + residual + LayerNorm. */
export function encoderLayer(
  ctx: GraphContext,
  layer: BertLayerWeights,
  label: string,
  x: string,
  mask: string,
): string {
  const { b, spec } = ctx
  const headDim = spec.hiddenSize / spec.numHeads
  const attended = b.scoped('attention', () => {
    const context = b.scoped('self', () => {
      // Reshape [B, S, H] -> [B, S, heads, D] (0 copies a dim), then move heads before the sequence.
      const split = (t: string, perm: number[]): string =>
        b.op('Transpose', [b.op('Reshape', [t, b.constInts([0, 0, spec.numHeads, headDim])])], {
          perm: attr.ints(perm),
        })
      const projection = (lin: Linear, name: string): string =>
        b.scoped(name, () => linearNode(ctx, x, lin, `${label}.attention.self.${name}`))
      const q = split(projection(layer.query, 'query'), [0, 2, 1, 3])
      const kT = split(projection(layer.key, 'key'), [0, 2, 3, 1])
      const v = split(projection(layer.value, 'value'), [0, 2, 1, 3])
      const scores = b.op('Div', [b.op('MatMul', [q, kT]), b.constFloat(Math.sqrt(headDim))])
      const probs = b.op('Softmax', [b.op('Add', [scores, mask])], { axis: attr.int(-1) })
      const merged = b.op('Transpose', [b.op('MatMul', [probs, v])], { perm: attr.ints([0, 2, 1, 3]) })
      return b.op('Reshape', [merged, b.constInts([0, 0, spec.hiddenSize])])
    })
    return b.scoped('output', () => {
      const projected = b.scoped('dense', () =>
        linearNode(ctx, context, layer.attentionOutput, `${label}.attention.output.dense`),
      )
      const residual = b.op('Add', [projected, x])
      return b.scoped('LayerNorm', () =>
        layerNormNode(ctx, residual, layer.attentionLayerNorm, `${label}.attention.output.LayerNorm`),
      )
    })
  })
  const activated = b.scoped('intermediate', () => {
    const pre = b.scoped('dense', () => linearNode(ctx, attended, layer.intermediate, `${label}.intermediate.dense`))
    return b.scoped('intermediate_act_fn', () => exactGelu(b, pre))
  })
  return b.scoped('output', () => {
    const out = b.scoped('dense', () => linearNode(ctx, activated, layer.output, `${label}.output.dense`))
    const residual = b.op('Add', [out, attended])
    return b.scoped('LayerNorm', () => layerNormNode(ctx, residual, layer.outputLayerNorm, `${label}.output.LayerNorm`))
  })
}

export function layerNormNode({ b, spec }: GraphContext, x: string, ln: LayerNorm, label: string): string {
  const h = spec.hiddenSize
  const scale = b.float(`${label}.weight`, [h], ln.weight)
  const bias = b.float(`${label}.bias`, [h], ln.bias)
  return b.op('LayerNormalization', [x, scale, bias], { axis: attr.int(-1), epsilon: attr.float(spec.layerNormEps) })
}

/** A 3-D linear as torch exports it, MatMul then bias Add; in q8 the MatMul is quantized. */
function linearNode({ b, quantized }: GraphContext, x: string, lin: Linear, label: string): string {
  const product = quantized
    ? quantizedMatMul(b, x, lin, label)
    : b.op('MatMul', [x, b.float(`${label}.weight`, [lin.inFeatures, lin.outFeatures], lin.weight)])
  return b.op('Add', [b.float(`${label}.bias`, [lin.outFeatures], lin.bias), product])
}

/** A 2-D linear as torch exports it: Gemm with the [out, in] weight and transB. quantize_dynamic leaves Gemm alone. */
export function gemm(b: GraphBuilder, x: string, lin: Linear, label: string, outputName?: string): string {
  const weight = b.float(
    `${label}.weight`,
    [lin.outFeatures, lin.inFeatures],
    transpose(lin.weight, lin.inFeatures, lin.outFeatures),
  )
  const bias = b.float(`${label}.bias`, [lin.outFeatures], lin.bias)
  return b.op('Gemm', [x, weight, bias], { alpha: attr.float(1), beta: attr.float(1), transB: attr.int(1) }, outputName)
}

/** GELU as torch exports the exact (erf) form: x * 0.5 * (1 + erf(x / sqrt(2))). */
function exactGelu(b: GraphBuilder, x: string): string {
  const erf = b.op('Erf', [b.op('Div', [x, b.constFloat(Math.SQRT2)])])
  const onePlus = b.op('Add', [erf, b.constFloat(1)])
  return b.op('Mul', [b.op('Mul', [x, onePlus]), b.constFloat(0.5)])
}

/** quantize_dynamic's MatMul rewrite: uint8 activations and weights, int32 product rescaled to float. */
function quantizedMatMul(b: GraphBuilder, x: string, lin: Linear, label: string): string {
  const q = quantizeUint8(lin.weight)
  const wq = b.uint8(`${label}.weight_quantized`, [lin.inFeatures, lin.outFeatures], q.data)
  const wScale = b.float(`${label}.weight_scale`, [], [q.scale])
  const wZeroPoint = b.uint8(`${label}.weight_zero_point`, [], Uint8Array.of(q.zeroPoint))
  const [xq, xScale, xZeroPoint] = b.node('DynamicQuantizeLinear', [x], {}, 3) as [string, string, string]
  const scale = b.op('Mul', [xScale, wScale])
  const product = b.op('MatMulInteger', [xq, wq, xZeroPoint, wZeroPoint])
  return b.op('Mul', [b.op('Cast', [product], { to: attr.int(DataType.FLOAT) }), scale])
}

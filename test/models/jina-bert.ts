// A JinaBERT cross-encoder (jina-reranker-v1: JinaBertForSequenceClassification, one logit) with seeded
// random weights, and its ONNX graph as the Jina repo's export runs it under model_type "bert": no
// position embeddings, symmetric ALiBi (-slope_h · |i - j|) added to the attention scores inside the
// graph, and the GEGLU feed-forward (gated_layers → gelu(first half) · second half → wo → LayerNorm).
import {
  CLASSIFIER_GAIN,
  ENCODER_GAIN,
  gemm,
  INITIALIZER_RANGE,
  type LayerNorm,
  layerNorm,
  type Linear,
  linear,
  POOLER_GAIN,
} from './bert.js'
import { applyLinear, geluOp, layerNormOp, mergeHeads, type Parts, positions, splitHeads } from './graph-parts.js'
import { attr, DataType, GraphBuilder } from './onnx-builder.js'
import { deriveSeed, Prng } from './prng.js'

export interface JinaBertSpec {
  readonly family: 'jina-bert'
  readonly name: string
  readonly seed: number
  readonly vocabSize: number
  readonly hiddenSize: number
  readonly numLayers: number
  readonly numHeads: number
  readonly intermediateSize: number
  /** max_position_embeddings: only a length cap (ALiBi has no position table). */
  readonly maxPositions: number
  readonly typeVocabSize: number
  readonly layerNormEps: number
}

export interface JinaBertLayerWeights {
  readonly query: Linear
  readonly key: Linear
  readonly value: Linear
  readonly attentionOutput: Linear
  readonly attentionLayerNorm: LayerNorm
  /** mlp.gated_layers: hidden → 2·intermediate, no bias. */
  readonly gatedLayers: Linear
  /** mlp.wo: intermediate → hidden. */
  readonly wo: Linear
  readonly mlpLayerNorm: LayerNorm
}

export interface JinaBertWeights {
  readonly wordEmbeddings: Float32Array
  readonly tokenTypeEmbeddings: Float32Array
  readonly embeddingsLayerNorm: LayerNorm
  readonly layers: readonly JinaBertLayerWeights[]
  readonly pooler: Linear
  readonly classifier: Linear
}

/**
 * ALiBi head slopes as JinaBERT's _get_alibi_head_slopes computes them: a geometric sequence starting
 * at 2^(-8/n) for a power-of-two n, else the closest power's slopes plus every other one of twice that.
 */
export function alibiSlopes(heads: number): number[] {
  const powerOfTwo = (n: number): number[] => {
    const start = 2 ** -(2 ** -(Math.log2(n) - 3))
    return Array.from({ length: n }, (_, i) => start * start ** i)
  }
  if (Number.isInteger(Math.log2(heads))) return powerOfTwo(heads)
  const closest = 2 ** Math.floor(Math.log2(heads))
  return [
    ...powerOfTwo(closest),
    ...alibiSlopes(2 * closest)
      .filter((_, i) => i % 2 === 0)
      .slice(0, heads - closest),
  ]
}

export function jinaBertWeights(spec: JinaBertSpec): JinaBertWeights {
  const { seed, hiddenSize: h, intermediateSize: ff } = spec
  const table = (label: string, rows: number): Float32Array =>
    new Prng(deriveSeed(seed, label)).normals(rows * h, 0, INITIALIZER_RANGE)
  const wordEmbeddings = table('bert.embeddings.word_embeddings', spec.vocabSize)
  wordEmbeddings.fill(0, 0, h)
  return {
    wordEmbeddings,
    tokenTypeEmbeddings: table('bert.embeddings.token_type_embeddings', spec.typeVocabSize),
    embeddingsLayerNorm: layerNorm(seed, 'bert.embeddings.LayerNorm', h),
    layers: Array.from({ length: spec.numLayers }, (_, i): JinaBertLayerWeights => {
      const p = `bert.encoder.layer.${i}`
      return {
        query: linear(seed, `${p}.attention.self.query`, h, h, ENCODER_GAIN),
        key: linear(seed, `${p}.attention.self.key`, h, h, ENCODER_GAIN),
        value: linear(seed, `${p}.attention.self.value`, h, h, ENCODER_GAIN),
        attentionOutput: linear(seed, `${p}.attention.output.dense`, h, h, ENCODER_GAIN),
        attentionLayerNorm: layerNorm(seed, `${p}.attention.output.LayerNorm`, h),
        gatedLayers: linear(seed, `${p}.mlp.gated_layers`, h, 2 * ff, ENCODER_GAIN),
        wo: linear(seed, `${p}.mlp.wo`, ff, h, ENCODER_GAIN),
        mlpLayerNorm: layerNorm(seed, `${p}.mlp.layernorm`, h),
      }
    }),
    pooler: linear(seed, 'bert.pooler.dense', h, h, POOLER_GAIN),
    classifier: linear(seed, 'classifier', h, 1, CLASSIFIER_GAIN),
  }
}

/** The ONNX model bytes: inputs input_ids / attention_mask / token_type_ids (as BERT's), output logits [batch_size, 1]. */
export function buildJinaBertGraph(
  weights: JinaBertWeights,
  spec: JinaBertSpec,
  options: { readonly quantized: boolean },
): Uint8Array {
  const b = new GraphBuilder('main_graph')
  const parts: Parts = { b, quantized: options.quantized, layerNormEps: spec.layerNormEps }
  const h = spec.hiddenSize
  const dims = ['batch_size', 'sequence_length']
  const inputIds = b.input('input_ids', DataType.INT64, dims)
  const attentionMask = b.input('attention_mask', DataType.INT64, dims)
  const tokenTypeIds = b.input('token_type_ids', DataType.INT64, dims)

  let hidden = b.scoped('bert/embeddings', () => {
    const words = b.scoped('word_embeddings', () =>
      b.op('Gather', [
        b.float('bert.embeddings.word_embeddings.weight', [spec.vocabSize, h], weights.wordEmbeddings),
        inputIds,
      ]),
    )
    const types = b.scoped('token_type_embeddings', () =>
      b.op('Gather', [
        b.float('bert.embeddings.token_type_embeddings.weight', [spec.typeVocabSize, h], weights.tokenTypeEmbeddings),
        tokenTypeIds,
      ]),
    )
    return b.scoped('LayerNorm', () =>
      layerNormOp(parts, b.op('Add', [words, types]), weights.embeddingsLayerNorm, 'bert.embeddings.LayerNorm'),
    )
  })
  const bias = b.scoped('bert/encoder', () => {
    // The extended mask (1 - mask) · float32 min, [B, 1, 1, S], plus ALiBi [1, heads, S, S].
    const mask = b.op('Cast', [b.op('Unsqueeze', [attentionMask, b.constInts([1, 2])])], {
      to: attr.int(DataType.FLOAT),
    })
    const additive = b.op('Mul', [b.op('Sub', [b.constFloat(1), mask]), b.constFloat(-3.4028234663852886e38)])
    return b.op('Add', [additive, alibi(b, spec, inputIds)])
  })
  weights.layers.forEach((layer, i) => {
    hidden = b.scoped(`bert/encoder/layer.${i}`, () =>
      jinaLayer(parts, spec, layer, `bert.encoder.layer.${i}`, hidden, bias),
    )
  })
  const pooled = b.scoped('bert/pooler', () => {
    const first = b.op('Gather', [hidden, b.constInt64(0)], { axis: attr.int(1) })
    return b.op('Tanh', [b.scoped('dense', () => gemm(b, first, weights.pooler, 'bert.pooler.dense'))])
  })
  b.scoped('classifier', () => gemm(b, pooled, weights.classifier, 'classifier', 'logits'))
  b.output('logits', DataType.FLOAT, ['batch_size', 1])
  const variant = options.quantized ? 'q8' : 'fp32'
  return b.toBytes({ metadata: { 'webrerank-test.model': spec.name, 'webrerank-test.variant': variant } })
}

/** rebuild_alibi_tensor for the input's length: -slope_h · |j - i|, [1, heads, S, S]. */
function alibi(b: GraphBuilder, spec: JinaBertSpec, inputIds: string): string {
  const range = positions(b, inputIds)
  const distance = b.op('Abs', [
    b.op('Sub', [b.op('Unsqueeze', [range, b.constInts([0])]), b.op('Unsqueeze', [range, b.constInts([1])])]),
  ])
  const slopes = b.float(
    'bert.encoder.alibi_slopes',
    [spec.numHeads, 1, 1],
    alibiSlopes(spec.numHeads).map((s) => -s),
  )
  const perHead = b.op('Mul', [slopes, b.op('Cast', [distance], { to: attr.int(DataType.FLOAT) })])
  return b.op('Unsqueeze', [perHead, b.constInts([0])])
}

function jinaLayer(
  parts: Parts,
  spec: JinaBertSpec,
  layer: JinaBertLayerWeights,
  label: string,
  x: string,
  bias: string,
): string {
  const { b } = parts
  const heads = spec.numHeads
  const d = spec.hiddenSize / heads
  const attended = b.scoped('attention', () => {
    const context = b.scoped('self', () => {
      const proj = (lin: Linear, name: string): string =>
        b.scoped(name, () => applyLinear(parts, x, lin, `${label}.attention.self.${name}`))
      const q = splitHeads(b, proj(layer.query, 'query'), heads, d)
      const kT = splitHeads(b, proj(layer.key, 'key'), heads, d, [0, 2, 3, 1])
      const v = splitHeads(b, proj(layer.value, 'value'), heads, d)
      const scores = b.op('Add', [b.op('Div', [b.op('MatMul', [q, kT]), b.constFloat(Math.sqrt(d))]), bias])
      return mergeHeads(b, b.op('MatMul', [b.op('Softmax', [scores], { axis: attr.int(-1) }), v]), spec.hiddenSize)
    })
    return b.scoped('output', () => {
      const out = b.scoped('dense', () =>
        applyLinear(parts, context, layer.attentionOutput, `${label}.attention.output.dense`),
      )
      return b.scoped('LayerNorm', () =>
        layerNormOp(parts, b.op('Add', [out, x]), layer.attentionLayerNorm, `${label}.attention.output.LayerNorm`),
      )
    })
  })
  return b.scoped('mlp', () => {
    const ff = spec.intermediateSize
    const both = b.scoped('gated_layers', () =>
      applyLinear(parts, attended, layer.gatedLayers, `${label}.mlp.gated_layers`, false),
    )
    const half = (start: number): string =>
      b.op('Slice', [both, b.constInts([start]), b.constInts([start + ff]), b.constInts([-1])])
    const gated = b.scoped('act', () => geluOp(b, half(0)))
    const out = b.scoped('wo', () => applyLinear(parts, b.op('Mul', [gated, half(ff)]), layer.wo, `${label}.mlp.wo`))
    return b.scoped('layernorm', () =>
      layerNormOp(parts, b.op('Add', [out, attended]), layer.mlpLayerNorm, `${label}.mlp.layernorm`),
    )
  })
}

// A JinaBERT cross-encoder (jina-reranker-v1: JinaBertForSequenceClassification, one logit) with seeded
// random weights, and its ONNX graph as the Jina repo's export runs it under model_type "bert": no
// position embeddings, symmetric ALiBi (-slope_h · |i - j|) added to the attention scores inside the
// graph, and the GEGLU feed-forward (gated_layers → gelu(first half) · second half → wo → LayerNorm).
import {
  attentionWeights,
  type AttentionWeights,
  bertHeadBytes,
  CLASSIFIER_GAIN,
  embeddingTable,
  ENCODER_GAIN,
  type EncoderSpec,
  graphInputs,
  type LayerNorm,
  layerNorm,
  type Linear,
  linear,
  POOLER_GAIN,
} from './bert.js'
import {
  applyLinear,
  attentionOutput,
  geluOp,
  layerNormOp,
  mergeHeads,
  type Parts,
  positions,
  splitHeads,
} from './graph-parts.js'
import { attr, DataType, GraphBuilder } from './onnx-builder.js'

/** maxPositions (max_position_embeddings) is only a length cap here: ALiBi has no position table. */
export interface JinaBertSpec extends EncoderSpec {
  readonly family: 'jina-bert'
}

export interface JinaBertLayerWeights extends AttentionWeights {
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
  const table = (label: string, rows: number): Float32Array => embeddingTable(seed, label, rows, h)
  const wordEmbeddings = table('bert.embeddings.word_embeddings', spec.vocabSize)
  wordEmbeddings.fill(0, 0, h)
  return {
    wordEmbeddings,
    tokenTypeEmbeddings: table('bert.embeddings.token_type_embeddings', spec.typeVocabSize),
    embeddingsLayerNorm: layerNorm(seed, 'bert.embeddings.LayerNorm', h),
    layers: Array.from({ length: spec.numLayers }, (_, i): JinaBertLayerWeights => {
      const p = `bert.encoder.layer.${i}`
      return {
        ...attentionWeights(seed, p, h),
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
  const [inputIds, attentionMask, tokenTypeIds] = graphInputs(b, ['input_ids', 'attention_mask', 'token_type_ids'])

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
  return bertHeadBytes(b, hidden, weights, spec.name, options.quantized)
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
    return b.scoped('output', () => attentionOutput(parts, context, x, layer, label))
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

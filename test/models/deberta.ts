// A DeBERTa-v2/v3 cross-encoder (DebertaV2ForSequenceClassification, one logit, the mxbai-rerank v1
// family) with seeded random weights and its ONNX graph in the shape torch.onnx exports it: disentangled
// attention (c2c + c2p + p2c, shared keys), log-bucketed relative positions computed in the graph,
// XSoftmax's masked fill, the ContextPooler. Written from transformers' modeling_deberta_v2.py.
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

export interface DebertaSpec {
  readonly family: 'deberta-v2'
  readonly name: string
  readonly seed: number
  readonly vocabSize: number
  readonly hiddenSize: number
  readonly numLayers: number
  readonly numHeads: number
  readonly intermediateSize: number
  /** max_position_embeddings: no absolute positions are added (position_biased_input false), it only caps lengths. */
  readonly maxPositions: number
  /** position_buckets: relative distances beyond buckets/2 share log-spaced buckets; 2·buckets relative embeddings. */
  readonly positionBuckets: number
  /** max_relative_positions (-1 in the config means maxPositions). */
  readonly maxRelativePositions: number
  readonly layerNormEps: number
}

export interface DebertaLayerWeights {
  readonly query: Linear
  readonly key: Linear
  readonly value: Linear
  readonly attentionOutput: Linear
  readonly attentionLayerNorm: LayerNorm
  readonly intermediate: Linear
  readonly output: Linear
  readonly outputLayerNorm: LayerNorm
}

export interface DebertaWeights {
  /** [vocabSize, hidden], row 0 ([PAD]) zero. */
  readonly wordEmbeddings: Float32Array
  readonly embeddingsLayerNorm: LayerNorm
  /** encoder.rel_embeddings: [2·positionBuckets, hidden]. */
  readonly relEmbeddings: Float32Array
  /** encoder.LayerNorm, applied to rel_embeddings (norm_rel_ebd "layer_norm"). */
  readonly relLayerNorm: LayerNorm
  readonly layers: readonly DebertaLayerWeights[]
  readonly pooler: Linear
  readonly classifier: Linear
}

/** Deterministic weights for `spec`, with bert.ts' gains (HF's 0.02 scores every input alike at this size). */
export function debertaWeights(spec: DebertaSpec): DebertaWeights {
  const { seed, hiddenSize: h, intermediateSize: ff } = spec
  const table = (label: string, rows: number, std = INITIALIZER_RANGE): Float32Array =>
    new Prng(deriveSeed(seed, label)).normals(rows * h, 0, std)
  const wordEmbeddings = table('deberta.embeddings.word_embeddings', spec.vocabSize)
  wordEmbeddings.fill(0, 0, h)
  return {
    wordEmbeddings,
    embeddingsLayerNorm: layerNorm(seed, 'deberta.embeddings.LayerNorm', h),
    // Larger than 0.02: after the LayerNorm their scale is 1 anyway, and distinct rows make positions matter.
    relEmbeddings: table('deberta.encoder.rel_embeddings', 2 * spec.positionBuckets, 1),
    relLayerNorm: layerNorm(seed, 'deberta.encoder.LayerNorm', h),
    layers: Array.from({ length: spec.numLayers }, (_, i): DebertaLayerWeights => {
      const p = `deberta.encoder.layer.${i}`
      return {
        query: linear(seed, `${p}.attention.self.query_proj`, h, h, ENCODER_GAIN),
        key: linear(seed, `${p}.attention.self.key_proj`, h, h, ENCODER_GAIN),
        value: linear(seed, `${p}.attention.self.value_proj`, h, h, ENCODER_GAIN),
        attentionOutput: linear(seed, `${p}.attention.output.dense`, h, h, ENCODER_GAIN),
        attentionLayerNorm: layerNorm(seed, `${p}.attention.output.LayerNorm`, h),
        intermediate: linear(seed, `${p}.intermediate.dense`, h, ff, ENCODER_GAIN),
        output: linear(seed, `${p}.output.dense`, ff, h, ENCODER_GAIN),
        outputLayerNorm: layerNorm(seed, `${p}.output.LayerNorm`, h),
      }
    }),
    pooler: linear(seed, 'pooler.dense', h, h, POOLER_GAIN),
    classifier: linear(seed, 'classifier', h, 1, CLASSIFIER_GAIN),
  }
}

/** The attention span: relative distances are clamped to [-span, span) before the embedding lookup. */
export function attentionSpan(spec: DebertaSpec): number {
  return spec.positionBuckets > 0 ? spec.positionBuckets : spec.maxRelativePositions
}

/** The ONNX model bytes: inputs input_ids / attention_mask (type_vocab_size 0: no token_type_ids), output logits. */
export function buildDebertaGraph(
  weights: DebertaWeights,
  spec: DebertaSpec,
  options: { readonly quantized: boolean },
): Uint8Array {
  const b = new GraphBuilder('main_graph')
  const parts: Parts = { b, quantized: options.quantized, layerNormEps: spec.layerNormEps }
  const dims = ['batch_size', 'sequence_length']
  const inputIds = b.input('input_ids', DataType.INT64, dims)
  const attentionMask = b.input('attention_mask', DataType.INT64, dims)

  let hidden = b.scoped('deberta/embeddings', () => {
    const words = b.scoped('word_embeddings', () =>
      b.op('Gather', [
        b.float('deberta.embeddings.word_embeddings.weight', [spec.vocabSize, spec.hiddenSize], weights.wordEmbeddings),
        inputIds,
      ]),
    )
    const normed = b.scoped('LayerNorm', () =>
      layerNormOp(parts, words, weights.embeddingsLayerNorm, 'deberta.embeddings.LayerNorm'),
    )
    // embeddings * mask.unsqueeze(2): padding rows become zero.
    const mask = b.op('Cast', [b.op('Unsqueeze', [attentionMask, b.constInts([2])])], { to: attr.int(DataType.FLOAT) })
    return b.op('Mul', [normed, mask])
  })
  const encoder = b.scoped('deberta/encoder', () => ({
    // get_attention_mask: mask_i · mask_j, [B, 1, S, S]; XSoftmax fills where it is 0.
    masked: b.scoped('attention_mask', () => {
      const m = b.op('Unsqueeze', [attentionMask, b.constInts([1, 2])]) // [B, 1, 1, S]
      const pair = b.op('Mul', [m, b.op('Unsqueeze', [attentionMask, b.constInts([1, 3])])]) // [B, 1, S, S]
      return b.op('Equal', [pair, b.constInt64(0)])
    }),
    relPos: b.scoped('rel_pos', () => relativePositions(b, spec, inputIds)),
    relEmbeddings: b.scoped('LayerNorm', () =>
      layerNormOp(
        parts,
        b.float(
          'deberta.encoder.rel_embeddings.weight',
          [2 * spec.positionBuckets, spec.hiddenSize],
          weights.relEmbeddings,
        ),
        weights.relLayerNorm,
        'deberta.encoder.LayerNorm',
      ),
    ),
  }))
  weights.layers.forEach((layer, i) => {
    hidden = b.scoped(`deberta/encoder/layer.${i}`, () =>
      debertaLayer(parts, spec, layer, `deberta.encoder.layer.${i}`, hidden, encoder),
    )
  })
  const pooled = b.scoped('pooler', () => {
    const first = b.op('Gather', [hidden, b.constInt64(0)], { axis: attr.int(1) })
    return geluOp(
      b,
      b.scoped('dense', () => gemm(b, first, weights.pooler, 'pooler.dense')),
    )
  })
  b.scoped('classifier', () => gemm(b, pooled, weights.classifier, 'classifier', 'logits'))
  b.output('logits', DataType.FLOAT, ['batch_size', 1])
  const variant = options.quantized ? 'q8' : 'fp32'
  return b.toBytes({ metadata: { 'webrerank-test.model': spec.name, 'webrerank-test.variant': variant } })
}

/**
 * build_relative_position with make_log_bucket_position, in float32 as the exported graph computes it:
 * rel = i - j; |rel| <= mid keeps rel, beyond it ceil(log(|rel|/mid) / log((max-1)/mid) · (mid-1)) + mid, signed.
 * Both logs run in the graph, as in torch, so at |rel| = max - 1 their ratio is exactly 1.
 */
function relativePositions(b: GraphBuilder, spec: DebertaSpec, inputIds: string): string {
  const range = positions(b, inputIds)
  const rel = b.op('Sub', [b.op('Unsqueeze', [range, b.constInts([1])]), b.op('Unsqueeze', [range, b.constInts([0])])])
  const mid = Math.floor(spec.positionBuckets / 2)
  const relF = b.op('Cast', [rel], { to: attr.int(DataType.FLOAT) })
  const sign = b.op('Sign', [relF])
  const near = b.op('And', [b.op('Less', [rel, b.constInt64(mid)]), b.op('Greater', [rel, b.constInt64(-mid)])])
  const absPos = b.op('Where', [near, b.constFloat(mid - 1), b.op('Abs', [relF])])
  const logRatio = b.op('Div', [
    b.op('Log', [b.op('Div', [absPos, b.constFloat(mid)])]),
    b.op('Log', [b.constFloat((spec.maxRelativePositions - 1) / mid)]),
  ])
  const logPos = b.op('Add', [b.op('Ceil', [b.op('Mul', [logRatio, b.constFloat(mid - 1)])]), b.constFloat(mid)])
  const bucket = b.op('Where', [b.op('LessOrEqual', [absPos, b.constFloat(mid)]), relF, b.op('Mul', [logPos, sign])])
  return b.op('Cast', [bucket], { to: attr.int(DataType.INT64) })
}

interface EncoderInputs {
  /** [B, 1, S, S] bool: true where a query/key pair involves padding. */
  readonly masked: string
  /** [S, S] int64 bucketed relative positions. */
  readonly relPos: string
  /** [2·buckets, hidden], layer-normed. */
  readonly relEmbeddings: string
}

function debertaLayer(
  parts: Parts,
  spec: DebertaSpec,
  layer: DebertaLayerWeights,
  label: string,
  x: string,
  enc: EncoderInputs,
): string {
  const { b } = parts
  const heads = spec.numHeads
  const d = spec.hiddenSize / heads
  const span = attentionSpan(spec)
  const attended = b.scoped('attention', () => {
    const context = b.scoped('self', () => {
      const proj = (lin: Linear, name: string, input: string): string =>
        b.scoped(name, () => applyLinear(parts, input, lin, `${label}.attention.self.${name}`))
      const q = splitHeads(b, proj(layer.query, 'query_proj', x), heads, d)
      const k = splitHeads(b, proj(layer.key, 'key_proj', x), heads, d)
      const kT = b.op('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) })
      const v = splitHeads(b, proj(layer.value, 'value_proj', x), heads, d)
      // scale_factor = 1 + c2p + p2c = 3; every term is divided by sqrt(d · 3).
      const scale = b.constFloat(Math.sqrt(d * 3))
      const c2c = b.op('Div', [b.op('MatMul', [q, kT]), scale])
      // share_att_key: the positional keys and queries reuse key_proj and query_proj. [heads, d, 2·span]
      const posT = (lin: Linear, name: string): string => {
        const projected = proj(lin, name, enc.relEmbeddings) // [2·span, hidden]
        const split = b.op('Reshape', [projected, b.constInts([2 * span, heads, d])])
        return b.op('Transpose', [split], { perm: attr.ints([1, 2, 0]) })
      }
      const index = (relPos: string): string =>
        b.op('Expand', [
          b.op('Clip', [b.op('Add', [relPos, b.constInt64(span)]), b.constInt64(0), b.constInt64(2 * span - 1)]),
          b.op('Shape', [c2c]),
        ])
      // c2p[i, j] = q_i · posKey[clamp(rel(i, j) + span)]
      const c2pAll = b.op('MatMul', [q, posT(layer.key, 'key_proj')])
      const c2p = b.op('GatherElements', [c2pAll, index(enc.relPos)], { axis: attr.int(-1) })
      // p2c[i, j] = k_j · posQuery[clamp(-rel(j, i) + span)], gathered per key then transposed.
      const p2cAll = b.op('MatMul', [k, posT(layer.query, 'query_proj')])
      const p2cGathered = b.op('GatherElements', [p2cAll, index(b.op('Neg', [enc.relPos]))], { axis: attr.int(-1) })
      const p2c = b.op('Transpose', [p2cGathered], { perm: attr.ints([0, 1, 3, 2]) })
      const scores = b.op('Add', [b.op('Add', [c2c, b.op('Div', [c2p, scale])]), b.op('Div', [p2c, scale])])
      // XSoftmax: fill masked scores with float32 min, softmax, then zero them.
      const filled = b.op('Where', [enc.masked, b.constFloat(-3.4028234663852886e38), scores])
      const probs = b.op('Where', [enc.masked, b.constFloat(0), b.op('Softmax', [filled], { axis: attr.int(-1) })])
      return mergeHeads(b, b.op('MatMul', [probs, v]), spec.hiddenSize)
    })
    return b.scoped('output', () => {
      const projected = b.scoped('dense', () =>
        applyLinear(parts, context, layer.attentionOutput, `${label}.attention.output.dense`),
      )
      return b.scoped('LayerNorm', () =>
        layerNormOp(
          parts,
          b.op('Add', [projected, x]),
          layer.attentionLayerNorm,
          `${label}.attention.output.LayerNorm`,
        ),
      )
    })
  })
  const inner = b.scoped('intermediate', () =>
    geluOp(b, applyLinear(parts, attended, layer.intermediate, `${label}.intermediate.dense`)),
  )
  return b.scoped('output', () => {
    const out = b.scoped('dense', () => applyLinear(parts, inner, layer.output, `${label}.output.dense`))
    return b.scoped('LayerNorm', () =>
      layerNormOp(parts, b.op('Add', [out, attended]), layer.outputLayerNorm, `${label}.output.LayerNorm`),
    )
  })
}

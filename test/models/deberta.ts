// A DeBERTa-v2/v3 cross-encoder (DebertaV2ForSequenceClassification, one logit, the mxbai-rerank v1
// family) with seeded random weights and its ONNX graph in the shape torch.onnx exports it: disentangled
// attention (c2c + c2p + p2c, shared keys), log-bucketed relative positions computed in the graph,
// XSoftmax's masked fill, the ContextPooler. Written from transformers' modeling_deberta_v2.py.
import {
  type BertLayerWeights,
  CLASSIFIER_GAIN,
  embeddingTable,
  encoderLayerWeights,
  firstToken,
  gemm,
  graphInputs,
  type LayerNorm,
  layerNorm,
  type Linear,
  linear,
  logitsModelBytes,
  POOLER_GAIN,
} from './bert.js'
import {
  applyLinear,
  attentionOutput,
  denseResidualNorm,
  geluOp,
  layerNormOp,
  mergeHeads,
  type Parts,
  positions,
  splitHeads,
} from './graph-parts.js'
import type { EncoderConfigSpec } from './model-folder.js'
import { attr, DataType, GraphBuilder } from './onnx-builder.js'

/**
 * maxPositions (max_position_embeddings) only caps lengths: no absolute positions are added
 * (position_biased_input false), and there are no token types (type_vocab_size 0).
 */
export interface DebertaSpec extends EncoderConfigSpec {
  readonly family: 'deberta-v2'
  /** position_buckets: relative distances beyond buckets/2 share log-spaced buckets; 2·buckets relative embeddings. */
  readonly positionBuckets: number
  /** max_relative_positions (-1 in the config means maxPositions). */
  readonly maxRelativePositions: number
}

/** BERT's layer weights, under DeBERTa's names (query_proj, key_proj, value_proj). */
export type DebertaLayerWeights = BertLayerWeights

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
  const { seed, hiddenSize: h } = spec
  const table = (label: string, rows: number, std?: number): Float32Array => embeddingTable(seed, label, rows, h, std)
  const wordEmbeddings = table('deberta.embeddings.word_embeddings', spec.vocabSize)
  wordEmbeddings.fill(0, 0, h)
  return {
    wordEmbeddings,
    embeddingsLayerNorm: layerNorm(seed, 'deberta.embeddings.LayerNorm', h),
    // Larger than 0.02: after the LayerNorm their scale is 1 anyway, and distinct rows make positions matter.
    relEmbeddings: table('deberta.encoder.rel_embeddings', 2 * spec.positionBuckets, 1),
    relLayerNorm: layerNorm(seed, 'deberta.encoder.LayerNorm', h),
    layers: encoderLayerWeights(spec, 'deberta.encoder.layer', '_proj'),
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
  const [inputIds, attentionMask] = graphInputs(b, ['input_ids', 'attention_mask'])

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
    const first = firstToken(b, hidden)
    return geluOp(
      b,
      b.scoped('dense', () => gemm(b, first, weights.pooler, 'pooler.dense')),
    )
  })
  b.scoped('classifier', () => gemm(b, pooled, weights.classifier, 'classifier', 'logits'))
  return logitsModelBytes(b, weights.classifier.outFeatures, spec.name, options.quantized)
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
    return b.scoped('output', () => attentionOutput(parts, context, x, layer, label))
  })
  const inner = b.scoped('intermediate', () =>
    geluOp(b, applyLinear(parts, attended, layer.intermediate, `${label}.intermediate.dense`)),
  )
  return b.scoped('output', () =>
    denseResidualNorm(parts, inner, attended, { dense: layer.output, norm: layer.outputLayerNorm }, `${label}.output`),
  )
}

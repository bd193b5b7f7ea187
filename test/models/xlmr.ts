// An XLM-RoBERTa cross-encoder (XLMRobertaForSequenceClassification, one logit, the bge-reranker
// family) with seeded random weights, its ONNX graph as torch.onnx exports it, and its model folder.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  additiveMask,
  type BertLayerWeights,
  CLASSIFIER_GAIN,
  type EncoderSpec,
  encoderLayer,
  encoderLayerWeights,
  embeddingTable,
  firstToken,
  gemm,
  graphInputs,
  type GraphContext,
  type LayerNorm,
  layerNorm,
  layerNormNode,
  type Linear,
  linear,
  logitsModelBytes,
  POOLER_GAIN,
} from './bert.js'
import { encoderConfigJson, jsonText, SHARED_MODELS_DIR } from './model-folder.js'
import { attr, DataType, GraphBuilder } from './onnx-builder.js'
import { MASK_ID, UNIGRAM_VOCAB_SIZE, unigramTokenizerJson, XLMR_SPECIAL_IDS } from './unigram-tokenizer.js'

export interface XlmrSpec extends EncoderSpec {
  readonly family: 'xlm-roberta'
  /** Also the offset of position ids: the first real token sits at position padTokenId + 1. */
  readonly padTokenId: number
}

/**
 * A 2-layer, hidden-32 XLM-R cross-encoder over the generated Unigram vocabulary. 514 positions, as
 * bge-reranker-base has: two go to the padding offset, leaving 512 tokens.
 */
export const XLMR_TINY: XlmrSpec = {
  family: 'xlm-roberta',
  name: 'webrerank-test/xlmr-tiny',
  seed: 4321,
  vocabSize: UNIGRAM_VOCAB_SIZE,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 64,
  maxPositions: 514,
  typeVocabSize: 1,
  layerNormEps: 1e-5,
  padTokenId: XLMR_SPECIAL_IDS.pad,
}

/** The most tokens one sequence may have: positions padTokenId + 1 .. maxPositions - 1. */
export function xlmrMaxTokens(spec: XlmrSpec): number {
  return spec.maxPositions - spec.padTokenId - 1
}

export interface XlmrWeights {
  /** [vocabSize, hidden], the padding row zero. */
  readonly wordEmbeddings: Float32Array
  /** [maxPositions, hidden], the padding row zero; rows below it are never used. */
  readonly positionEmbeddings: Float32Array
  /** [typeVocabSize, hidden]: one row, added to every token. */
  readonly tokenTypeEmbeddings: Float32Array
  readonly embeddingsLayerNorm: LayerNorm
  readonly layers: readonly BertLayerWeights[]
  /** XLMRobertaClassificationHead: dense (hidden → hidden), tanh, out_proj (hidden → 1). */
  readonly classifierDense: Linear
  readonly classifierOutProj: Linear
}

/**
 * Deterministic weights for `spec`. Encoder and head use bert.ts' gains, for the reason given there:
 * HF's 0.02 init scores every input the same at this size.
 */
export function xlmrWeights(spec: XlmrSpec): XlmrWeights {
  const { seed, hiddenSize: h, padTokenId: pad } = spec
  const embedding = (label: string, rows: number, paddingRow: number | null): Float32Array => {
    const table = embeddingTable(seed, label, rows, h)
    // nn.Embedding(padding_idx=pad) keeps that row at zero.
    if (paddingRow !== null) table.fill(0, paddingRow * h, (paddingRow + 1) * h)
    return table
  }
  return {
    wordEmbeddings: embedding('embeddings.word_embeddings', spec.vocabSize, pad),
    positionEmbeddings: embedding('embeddings.position_embeddings', spec.maxPositions, pad),
    tokenTypeEmbeddings: embedding('embeddings.token_type_embeddings', spec.typeVocabSize, null),
    embeddingsLayerNorm: layerNorm(seed, 'embeddings.LayerNorm', h),
    layers: encoderLayerWeights(spec),
    classifierDense: linear(seed, 'classifier.dense', h, h, POOLER_GAIN),
    classifierOutProj: linear(seed, 'classifier.out_proj', h, 1, CLASSIFIER_GAIN),
  }
}

/** The ONNX model bytes: inputs input_ids / attention_mask (no token_type_ids), output logits [batch_size, 1]. */
export function buildXlmrGraph(
  weights: XlmrWeights,
  spec: XlmrSpec,
  options: { readonly quantized: boolean },
): Uint8Array {
  if (spec.hiddenSize % spec.numHeads !== 0)
    throw new Error(`xlmr: hidden ${spec.hiddenSize} is not divisible by ${spec.numHeads} heads`)
  const b = new GraphBuilder('main_graph')
  const ctx: GraphContext = { b, spec, quantized: options.quantized }
  const [inputIds, attentionMask] = graphInputs(b, ['input_ids', 'attention_mask'])

  let hidden = b.scoped('roberta/embeddings', () => embeddings(ctx, spec, weights, inputIds))
  const mask = b.scoped('roberta', () => additiveMask(b, attentionMask))
  weights.layers.forEach((layer, i) => {
    hidden = b.scoped(`roberta/encoder/layer.${i}`, () =>
      encoderLayer(ctx, layer, `roberta.encoder.layer.${i}`, hidden, mask),
    )
  })
  b.scoped('classifier', () => {
    const first = firstToken(b, hidden) // features[:, 0, :], the <s> token
    const dense = b.op('Tanh', [b.scoped('dense', () => gemm(b, first, weights.classifierDense, 'classifier.dense'))])
    b.scoped('out_proj', () => gemm(b, dense, weights.classifierOutProj, 'classifier.out_proj', 'logits'))
  })
  return logitsModelBytes(b, weights.classifierOutProj.outFeatures, spec.name, options.quantized)
}

/**
 * Word + token type + position embeddings, then LayerNorm. Positions come from the ids, as HF's
 * create_position_ids_from_input_ids computes them: cumsum(ids != pad) * (ids != pad) + pad, so padding
 * (on either side) gets the zero padding row and real tokens count from pad + 1.
 */
function embeddings(ctx: GraphContext, spec: XlmrSpec, weights: XlmrWeights, inputIds: string): string {
  const { b } = ctx
  const h = spec.hiddenSize
  const table = (name: string, rows: number, data: Float32Array): string =>
    b.float(`roberta.embeddings.${name}.weight`, [rows, h], data)

  const pad = b.constInt64(spec.padTokenId)
  const notPad = b.op('Not', [b.op('Equal', [inputIds, pad])])
  const mask = b.op('Cast', [notPad], { to: attr.int(DataType.INT32) })
  const counted = b.op('CumSum', [mask, b.constInt64(1)])
  const incremental = b.op('Mul', [b.op('Cast', [counted], { to: attr.int(DataType.INT32) }), mask]) // .type_as(mask)
  const positionIds = b.op('Add', [b.op('Cast', [incremental], { to: attr.int(DataType.INT64) }), pad])

  const words = b.scoped('word_embeddings', () =>
    b.op('Gather', [table('word_embeddings', spec.vocabSize, weights.wordEmbeddings), inputIds]),
  )
  // No token_type_ids input: the model's zero buffer, sliced to the sequence and expanded over the batch.
  const inputShape = b.op('Shape', [inputIds])
  const seqLen = b.op('Gather', [inputShape, b.constInt64(1)], { axis: attr.int(0) })
  const zeros = b.int64(
    'roberta.embeddings.token_type_ids',
    [1, spec.maxPositions],
    new BigInt64Array(spec.maxPositions),
  )
  const end = b.op('Unsqueeze', [seqLen, b.constInts([0])])
  const sliced = b.op('Slice', [zeros, b.constInts([0]), end, b.constInts([1]), b.constInts([1])])
  const tokenTypeIds = b.op('Expand', [sliced, inputShape])
  const types = b.scoped('token_type_embeddings', () =>
    b.op('Gather', [table('token_type_embeddings', spec.typeVocabSize, weights.tokenTypeEmbeddings), tokenTypeIds]),
  )
  const sum = b.op('Add', [words, types])
  const positions = b.scoped('position_embeddings', () =>
    b.op('Gather', [table('position_embeddings', spec.maxPositions, weights.positionEmbeddings), positionIds]),
  )
  const all = b.op('Add', [sum, positions])
  return b.scoped('LayerNorm', () =>
    layerNormNode(ctx, all, weights.embeddingsLayerNorm, 'roberta.embeddings.LayerNorm'),
  )
}

/** A HF config.json like XLMRobertaForSequenceClassification.save_pretrained writes for a 1-logit reranker. */
export function xlmrConfigJson(spec: XlmrSpec): Record<string, unknown> {
  return encoderConfigJson(spec, {
    architectures: ['XLMRobertaForSequenceClassification'],
    bos_token_id: XLMR_SPECIAL_IDS.bos,
    classifier_dropout: null,
    eos_token_id: XLMR_SPECIAL_IDS.eos,
    model_type: 'xlm-roberta',
    output_past: true,
    pad_token_id: spec.padTokenId,
    position_embedding_type: 'absolute',
    transformers_version: '4.38.1',
    type_vocab_size: spec.typeVocabSize,
    use_cache: true,
  })
}

/** bge-reranker-v2-m3's tokenizer files, whose config and special-token map the fixture reuses. */
const TOKENIZER_SOURCE = join(SHARED_MODELS_DIR, 'BAAI', 'bge-reranker-v2-m3')

/** The real tokenizer_config.json, with this vocabulary's `<mask>` id and this model's length limit. */
async function tokenizerConfigJson(spec: XlmrSpec): Promise<Record<string, unknown>> {
  const config = JSON.parse(await readFile(join(TOKENIZER_SOURCE, 'tokenizer_config.json'), 'utf8')) as Record<
    string,
    unknown
  >
  const decoder = config.added_tokens_decoder as Record<string, { content: string }>
  const remapped = Object.entries(decoder).map(([id, token]) => [
    token.content === '<mask>' ? String(MASK_ID) : id,
    token,
  ])
  return { ...config, added_tokens_decoder: Object.fromEntries(remapped), model_max_length: xlmrMaxTokens(spec) }
}

/** Writes one model folder (config, tokenizer, fp32 and q8 ONNX) into `dir`; returns the paths written. */
export async function writeXlmrModel(spec: XlmrSpec, dir: string): Promise<string[]> {
  if (spec.vocabSize !== UNIGRAM_VOCAB_SIZE)
    throw new Error(`xlmr: vocabSize ${spec.vocabSize} is not the tokenizer's ${UNIGRAM_VOCAB_SIZE}`)
  const weights = xlmrWeights(spec)
  const files: [string, Uint8Array | string][] = [
    ['config.json', jsonText(xlmrConfigJson(spec))],
    ['tokenizer.json', jsonText(unigramTokenizerJson())],
    ['tokenizer_config.json', jsonText(await tokenizerConfigJson(spec))],
    // Read and write rather than copyFile: the shared originals are read-only and copyFile keeps that mode.
    ['special_tokens_map.json', await readFile(join(TOKENIZER_SOURCE, 'special_tokens_map.json'))],
    ['onnx/model.onnx', buildXlmrGraph(weights, spec, { quantized: false })],
    ['onnx/model_quantized.onnx', buildXlmrGraph(weights, spec, { quantized: true })],
  ]
  await mkdir(join(dir, 'onnx'), { recursive: true })
  for (const [name, data] of files) await writeFile(join(dir, name), data)
  return files.map(([name]) => join(dir, name))
}

// A tiny Qwen3ForCausalLM (the Qwen3-Reranker architecture) with seeded random weights, exported the
// way Optimum exports decoder models for transformers.js (KV cache inputs, num_logits_to_keep), plus
// the model folder it lives in and the expected.json that tests compare scores against.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Tokenizer } from 'tokenizers'
import {
  ensureStamped,
  jsonText,
  modelDir,
  type ModelSpec,
  onceUntilFailure,
  SHARED_MODELS_DIR,
} from './model-folder.js'
import { attr, DataType, GraphBuilder } from './onnx-builder.js'
import { deriveSeed, Prng } from './prng.js'
import {
  DEFAULT_INSTRUCTION,
  formatQwen3Pair,
  QWEN3_NO_TOKEN_ID,
  QWEN3_RERANKER_PREFIX,
  QWEN3_RERANKER_SUFFIX,
  QWEN3_YES_TOKEN_ID,
} from './qwen3-prompt.js'
import { qwen3ReferenceLastLogits, qwen3ScoreOf } from './reference-qwen3.js'

export interface Qwen3Spec extends ModelSpec {
  readonly numKeyValueHeads: number
  /** Qwen3 sets it apart from hidden/heads (1024 hidden, 16 × 128 heads in the 0.6B). */
  readonly headDim: number
  readonly rmsNormEps: number
  readonly ropeTheta: number
}

/**
 * The real reranker's vocabulary, eps, RoPE base and GQA, at toy width. hidden 16 ≠ heads × head_dim 32
 * on purpose, as in the real model (1024 vs 2048), so code assuming hidden = heads × head_dim fails here.
 * The embedding (151669 × 16 fp32, ~9.7 MB) is nearly the whole file.
 */
export const QWEN3_TINY: Qwen3Spec = {
  name: 'webrerank-test/qwen3-tiny',
  seed: 3003,
  vocabSize: 151669,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  numKeyValueHeads: 2,
  headDim: 8,
  intermediateSize: 64,
  rmsNormEps: 1e-6,
  ropeTheta: 1_000_000,
  maxPositions: 40960,
}

/** A bias-free linear in MatMul layout: `weight` is [in, out] row-major, PyTorch's weight transposed. */
export interface Projection {
  readonly inFeatures: number
  readonly outFeatures: number
  readonly weight: Float32Array
}

export interface Qwen3LayerWeights {
  readonly inputNorm: Float32Array
  readonly q: Projection
  readonly k: Projection
  readonly v: Projection
  /** RMSNorm over head_dim, shared by all heads: Qwen3's QK-norm. */
  readonly qNorm: Float32Array
  readonly kNorm: Float32Array
  readonly o: Projection
  readonly postAttentionNorm: Float32Array
  readonly gate: Projection
  readonly up: Projection
  readonly down: Projection
}

export interface Qwen3Weights {
  /** [vocabSize, hidden]; also the LM head (tie_word_embeddings). */
  readonly embedTokens: Float32Array
  readonly layers: readonly Qwen3LayerWeights[]
  readonly finalNorm: Float32Array
  /** [headDim / 2] RoPE inverse frequencies, rounded to fp32 as the model holds them. */
  readonly invFreq: Float32Array
}

/** HF's initializer_range for the embedding. */
const INITIALIZER_RANGE = 0.02
/** RMSNorm weights are 1 + N(0, s), so no norm is the identity. */
const NORM_JITTER = 0.1
/**
 * Projections use std gain/sqrt(fanIn), not HF's 0.02, for the reason bert.ts gives: at toy width
 * 0.02 leaves attention uniform and each sublayer negligible next to its residual.
 */
const PROJECTION_GAIN = 2
/**
 * QK-norm fixes |q| = |k| = sqrt(head_dim) · weight, so attention sharpness is set by the q_norm and
 * k_norm weights alone; 1.5 each makes scores span several units and attention depend on the tokens.
 */
const QK_NORM_GAIN = 1.5
/**
 * The score is softmax over the tied LM head's rows for "yes" and "no" only. At std 0.02 those rows
 * give |logit_yes − logit_no| ≈ 0.1 whatever the prompt (every score ≈ 0.5); drawing the two rows with
 * this std instead spreads the difference to order 1 across documents (std ≈ 1.6 over expected.json's
 * pairs) and leaves the rest of the vocabulary at HF's scale. The system prompt's own "yes" and "no"
 * get the big input embeddings too, which is harmless: RMSNorm rescales every sublayer's input.
 */
const ANSWER_ROW_STD = 1

function projection(seed: number, label: string, inFeatures: number, outFeatures: number): Projection {
  const prng = new Prng(deriveSeed(seed, `${label}.weight`))
  return {
    inFeatures,
    outFeatures,
    weight: prng.normals(inFeatures * outFeatures, 0, PROJECTION_GAIN / Math.sqrt(inFeatures)),
  }
}

function norm(seed: number, label: string, size: number, gain = 1): Float32Array {
  return new Prng(deriveSeed(seed, `${label}.weight`)).normals(size, gain, gain * NORM_JITTER)
}

/** Deterministic weights for `spec`: the same spec always gives the same Float32Arrays. */
export function qwen3Weights(spec: Qwen3Spec): Qwen3Weights {
  const { seed, hiddenSize: h, headDim: d, intermediateSize: ff } = spec
  const embedTokens = new Prng(deriveSeed(seed, 'model.embed_tokens.weight')).normals(
    spec.vocabSize * h,
    0,
    INITIALIZER_RANGE,
  )
  for (const id of [QWEN3_YES_TOKEN_ID, QWEN3_NO_TOKEN_ID]) {
    embedTokens.set(
      new Prng(deriveSeed(seed, `model.embed_tokens.weight[${id}]`)).normals(h, 0, ANSWER_ROW_STD),
      id * h,
    )
  }
  const layers = Array.from({ length: spec.numLayers }, (_, i): Qwen3LayerWeights => {
    const p = `model.layers.${i}`
    return {
      inputNorm: norm(seed, `${p}.input_layernorm`, h),
      q: projection(seed, `${p}.self_attn.q_proj`, h, spec.numHeads * d),
      k: projection(seed, `${p}.self_attn.k_proj`, h, spec.numKeyValueHeads * d),
      v: projection(seed, `${p}.self_attn.v_proj`, h, spec.numKeyValueHeads * d),
      qNorm: norm(seed, `${p}.self_attn.q_norm`, d, QK_NORM_GAIN),
      kNorm: norm(seed, `${p}.self_attn.k_norm`, d, QK_NORM_GAIN),
      o: projection(seed, `${p}.self_attn.o_proj`, spec.numHeads * d, h),
      postAttentionNorm: norm(seed, `${p}.post_attention_layernorm`, h),
      gate: projection(seed, `${p}.mlp.gate_proj`, h, ff),
      up: projection(seed, `${p}.mlp.up_proj`, h, ff),
      down: projection(seed, `${p}.mlp.down_proj`, ff, h),
    }
  })
  // HF: inv_freq = 1 / base^(arange(0, dim, 2) / dim), a float32 buffer.
  const invFreq = Float32Array.from({ length: d / 2 }, (_, i) => 1 / spec.ropeTheta ** ((2 * i) / d))
  return { embedTokens, layers, finalNorm: norm(seed, 'model.norm', h), invFreq }
}

// ---------------------------------------------------------------------------------------------
// ONNX graph

const { FLOAT, INT64 } = DataType
/** float32's lowest value: HF's additive mask value (finite, so fully masked rows stay NaN-free). */
const MASK_MIN = -3.4028234663852886e38
/** Slice "to the end": Slice clamps, and int64 max does not survive a JS number. */
const TO_END = Number.MAX_SAFE_INTEGER

/** One layer's cache input names. */
interface PastInputs {
  readonly key: string
  readonly value: string
}

interface GraphContext {
  readonly b: GraphBuilder
  readonly spec: Qwen3Spec
  /** [batch, 1, seq, total_seq] additive mask: causal over the cache plus attention_mask padding. */
  readonly mask: string
  /** [batch, 1, seq, head_dim] RoPE tables. */
  readonly cos: string
  readonly sin: string
}

/**
 * The model bytes. Inputs: input_ids, attention_mask, position_ids, past_key_values.{i}.key/.value
 * [batch_size, kv_heads, past_sequence_length, head_dim], num_logits_to_keep (int64 scalar; 0 = all).
 * Outputs: logits [batch_size, kept, vocab] and present.{i}.key/.value (post-RoPE, as HF caches them).
 */
export function buildQwen3Graph(weights: Qwen3Weights, spec: Qwen3Spec): Uint8Array {
  if (spec.numHeads % spec.numKeyValueHeads !== 0) throw new Error('qwen3: heads must be a multiple of kv heads')
  const b = new GraphBuilder('main_graph')
  const { numKeyValueHeads: kvHeads, headDim: d } = spec
  const inputIds = b.input('input_ids', INT64, ['batch_size', 'sequence_length'])
  const attentionMask = b.input('attention_mask', INT64, ['batch_size', 'total_sequence_length'])
  const positionIds = b.input('position_ids', INT64, ['batch_size', 'sequence_length'])
  // Fixed head counts and head_dim: transformers.js builds the empty cache from these dims
  // (symbolic ones other than batch_size become 0), as with Optimum's exports.
  const pastDims = ['batch_size', kvHeads, 'past_sequence_length', d]
  const past = weights.layers.map((_, i) => ({
    key: b.input(`past_key_values.${i}.key`, FLOAT, pastDims),
    value: b.input(`past_key_values.${i}.value`, FLOAT, pastDims),
  }))
  const numLogitsToKeep = b.input('num_logits_to_keep', INT64, [])

  const embedding = b.float('model.embed_tokens.weight', [spec.vocabSize, spec.hiddenSize], weights.embedTokens)
  let hidden = b.scoped('model/embed_tokens', () => b.op('Gather', [embedding, inputIds]))
  const mask = b.scoped('model', () => additiveMask(b, inputIds, attentionMask, past[0]!.key))
  const { cos, sin } = b.scoped('model/rotary_emb', () => rotaryTables(b, positionIds, weights.invFreq))
  const ctx: GraphContext = { b, spec, mask, cos, sin }
  weights.layers.forEach((layer, i) => {
    hidden = b.scoped(`model/layers.${i}`, () => decoderLayer(ctx, layer, i, hidden, past[i]!))
  })
  const normed = b.scoped('model/norm', () => rmsNorm(ctx, hidden, weights.finalNorm, 'model.norm'))
  // HF: logits_to_keep slices hidden_states[:, -n:] before lm_head, and -0 = 0 keeps every position.
  // This is what keeps a 151669-wide head from running on every prompt position.
  const start = b.op('Unsqueeze', [b.op('Neg', [numLogitsToKeep]), b.constInts([0])])
  const kept = b.op('Slice', [normed, start, b.constInts([TO_END]), b.constInts([1])])
  b.scoped('lm_head', () =>
    b.op('MatMul', [kept, b.op('Transpose', [embedding], { perm: attr.ints([1, 0]) })], {}, 'logits'),
  )

  b.output('logits', FLOAT, ['batch_size', 'num_logits', spec.vocabSize])
  const presentDims = ['batch_size', kvHeads, 'total_sequence_length', d]
  weights.layers.forEach((_, i) => {
    b.output(`present.${i}.key`, FLOAT, presentDims)
    b.output(`present.${i}.value`, FLOAT, presentDims)
  })
  return b.toBytes({ metadata: { 'webrerank-test.model': spec.name, 'webrerank-test.variant': 'fp32' } })
}

/**
 * Query i sits at cache position past + i and may see key j when j <= past + i and attention_mask[j] is 1;
 * others get float32 min added, as HF's eager mask does.
 */
function additiveMask(b: GraphBuilder, inputIds: string, attentionMask: string, pastKey: string): string {
  const dimOf = (t: string, axis: number): string =>
    b.op('Gather', [b.op('Shape', [t]), b.constInt64(axis)], { axis: attr.int(0) })
  const pastLength = dimOf(pastKey, 2)
  const totalLength = b.op('Add', [pastLength, dimOf(inputIds, 1)])
  const keyPositions = b.op('Range', [b.constInt64(0), totalLength, b.constInt64(1)])
  const queryPositions = b.op('Unsqueeze', [
    b.op('Range', [pastLength, totalLength, b.constInt64(1)]),
    b.constInts([1]),
  ])
  const causal = b.op('Cast', [b.op('LessOrEqual', [keyPositions, queryPositions])], { to: attr.int(FLOAT) })
  const padding = b.op('Cast', [b.op('Unsqueeze', [attentionMask, b.constInts([1, 2])])], { to: attr.int(FLOAT) })
  const allowed = b.op('Mul', [causal, padding])
  return b.op('Mul', [b.op('Sub', [b.constFloat(1), allowed]), b.constFloat(MASK_MIN)])
}

/** cos/sin of position × inv_freq, duplicated over both halves of head_dim, shaped to broadcast over heads. */
function rotaryTables(b: GraphBuilder, positionIds: string, invFreq: Float32Array): { cos: string; sin: string } {
  const positions = b.op('Unsqueeze', [b.op('Cast', [positionIds], { to: attr.int(FLOAT) }), b.constInts([2])])
  const freqs = b.op('Mul', [positions, b.float('model.rotary_emb.inv_freq', [invFreq.length], invFreq)])
  const angles = b.op('Concat', [freqs, freqs], { axis: attr.int(-1) })
  const table = (op: string): string => b.op('Unsqueeze', [b.op(op, [angles]), b.constInts([1])])
  return { cos: table('Cos'), sin: table('Sin') }
}

/** Pre-norm block: x + attn(norm(x)), then + mlp(norm(·)). */
function decoderLayer(ctx: GraphContext, layer: Qwen3LayerWeights, index: number, x: string, past: PastInputs): string {
  const { b } = ctx
  const label = `model.layers.${index}`
  const normedInput = b.scoped('input_layernorm', () => rmsNorm(ctx, x, layer.inputNorm, `${label}.input_layernorm`))
  const attended = b.scoped('self_attn', () => selfAttention(ctx, layer, index, normedInput, past))
  const afterAttention = b.op('Add', [x, attended])
  const normedAttention = b.scoped('post_attention_layernorm', () =>
    rmsNorm(ctx, afterAttention, layer.postAttentionNorm, `${label}.post_attention_layernorm`),
  )
  const mlp = b.scoped('mlp', () => {
    const gate = b.scoped('gate_proj', () => matmul(b, normedAttention, layer.gate, `${label}.mlp.gate_proj`))
    const up = b.scoped('up_proj', () => matmul(b, normedAttention, layer.up, `${label}.mlp.up_proj`))
    const silu = b.scoped('act_fn', () => b.op('Mul', [gate, b.op('Sigmoid', [gate])]))
    return b.scoped('down_proj', () => matmul(b, b.op('Mul', [silu, up]), layer.down, `${label}.mlp.down_proj`))
  })
  return b.op('Add', [afterAttention, mlp])
}

function selfAttention(
  ctx: GraphContext,
  layer: Qwen3LayerWeights,
  index: number,
  x: string,
  past: PastInputs,
): string {
  const { b, spec } = ctx
  const { numHeads, numKeyValueHeads, headDim: d } = spec
  const label = `model.layers.${index}.self_attn`
  // [B, S, n·D] -> [B, S, n, D]; QK-norm runs here, before heads move ahead of the sequence.
  const heads = (t: string, n: number): string => b.op('Reshape', [t, b.constInts([0, 0, n, d])])
  const toBhsd = (t: string): string => b.op('Transpose', [t], { perm: attr.ints([0, 2, 1, 3]) })
  const project = (name: 'q' | 'k' | 'v', n: number): string =>
    b.scoped(`${name}_proj`, () => heads(matmul(b, x, layer[name], `${label}.${name}_proj`), n))
  const q = b.scoped('q_norm', () => toBhsd(rmsNorm(ctx, project('q', numHeads), layer.qNorm, `${label}.q_norm`)))
  const k = b.scoped('k_norm', () =>
    toBhsd(rmsNorm(ctx, project('k', numKeyValueHeads), layer.kNorm, `${label}.k_norm`)),
  )
  const v = toBhsd(project('v', numKeyValueHeads))
  const presentKey = b.op('Concat', [past.key, rope(ctx, k)], { axis: attr.int(2) }, `present.${index}.key`)
  const presentValue = b.op('Concat', [past.value, v], { axis: attr.int(2) }, `present.${index}.value`)
  const rotatedQ = rope(ctx, q)
  // repeat_kv: [B, kv, T, D] -> [B, kv, rep, T, D] -> [B, kv·rep, T, D], so head h reads kv head ⌊h / rep⌋.
  const rep = numHeads / numKeyValueHeads
  const repeatKv = (t: string): string => {
    const expanded = b.op('Expand', [b.op('Unsqueeze', [t, b.constInts([2])]), b.constInts([1, 1, rep, 1, 1])])
    return b.op('Reshape', [expanded, b.constInts([0, numHeads, -1, d])])
  }
  const keysT = b.op('Transpose', [repeatKv(presentKey)], { perm: attr.ints([0, 1, 3, 2]) })
  const scores = b.op('Mul', [b.op('MatMul', [rotatedQ, keysT]), b.constFloat(1 / Math.sqrt(d))])
  const probs = b.op('Softmax', [b.op('Add', [scores, ctx.mask])], { axis: attr.int(-1) })
  const context = b.op('Transpose', [b.op('MatMul', [probs, repeatKv(presentValue)])], {
    perm: attr.ints([0, 2, 1, 3]),
  })
  const merged = b.op('Reshape', [context, b.constInts([0, 0, numHeads * d])])
  return b.scoped('o_proj', () => matmul(b, merged, layer.o, `${label}.o_proj`))
}

/** x·cos + rotate_half(x)·sin, with rotate_half(x) = [-x2, x1] over the two halves of head_dim. */
function rope({ b, spec, cos, sin }: GraphContext, x: string): string {
  const half = spec.headDim / 2
  const slice = (start: number, end: number): string =>
    b.op('Slice', [x, b.constInts([start]), b.constInts([end]), b.constInts([-1])])
  const rotated = b.op('Concat', [b.op('Neg', [slice(half, TO_END)]), slice(0, half)], { axis: attr.int(-1) })
  return b.op('Add', [b.op('Mul', [x, cos]), b.op('Mul', [rotated, sin])])
}

/** Qwen3RMSNorm as torch exports it: x · 1/sqrt(mean(x²) + eps), times the weight, over the last axis. */
function rmsNorm({ b, spec }: GraphContext, x: string, weight: Float32Array, label: string): string {
  const variance = b.op('ReduceMean', [b.op('Pow', [x, b.constFloat(2)])], {
    axes: attr.ints([-1]),
    keepdims: attr.int(1),
  })
  const inverse = b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [variance, b.constFloat(spec.rmsNormEps)])])])
  return b.op('Mul', [b.float(`${label}.weight`, [weight.length], weight), b.op('Mul', [x, inverse])])
}

function matmul(b: GraphBuilder, x: string, p: Projection, label: string): string {
  return b.op('MatMul', [x, b.float(`${label}.weight`, [p.inFeatures, p.outFeatures], p.weight)])
}

// ---------------------------------------------------------------------------------------------
// Model folder, expected.json, generation

/** The real reranker's files (no weights); see its PROVENANCE.md. */
const SOURCE_DIR = join(SHARED_MODELS_DIR, 'Qwen', 'Qwen3-Reranker-0.6B')
const COPIED_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'generation_config.json',
] as const

/** Bump when the output changes in a way the hashed sources do not show (e.g. the `tokenizers` package). */
const GENERATOR_VERSION = 1
/** Files whose edits must invalidate the model. The copied Qwen files are pinned (PROVENANCE.md), so not hashed. */
const GENERATOR_SOURCES = [
  'prng.ts',
  'onnx-builder.ts',
  'model-folder.ts',
  'qwen3.ts',
  'qwen3-prompt.ts',
  'reference-qwen3.ts',
]

export const QWEN3_MODEL_DIR = modelDir(QWEN3_TINY.name)
export const QWEN3_EXPECTED_FILE = join(QWEN3_MODEL_DIR, 'expected.json')

/** config.json as Qwen3ForCausalLM.save_pretrained writes it: the real reranker's fields at QWEN3_TINY's sizes. */
export function qwen3ConfigJson(spec: Qwen3Spec): Record<string, unknown> {
  return {
    architectures: ['Qwen3ForCausalLM'],
    attention_bias: false,
    attention_dropout: 0.0,
    bos_token_id: 151643,
    eos_token_id: 151645,
    head_dim: spec.headDim,
    hidden_act: 'silu',
    hidden_size: spec.hiddenSize,
    initializer_range: INITIALIZER_RANGE,
    intermediate_size: spec.intermediateSize,
    max_position_embeddings: spec.maxPositions,
    max_window_layers: spec.numLayers,
    model_type: 'qwen3',
    num_attention_heads: spec.numHeads,
    num_hidden_layers: spec.numLayers,
    num_key_value_heads: spec.numKeyValueHeads,
    rms_norm_eps: spec.rmsNormEps,
    rope_scaling: null,
    rope_theta: spec.ropeTheta,
    sliding_window: null,
    tie_word_embeddings: true,
    torch_dtype: 'float32',
    transformers_version: '4.51.3',
    use_cache: true,
    use_sliding_window: false,
    vocab_size: spec.vocabSize,
  }
}

export interface Qwen3ExpectedPair {
  readonly query: string
  readonly document: string
  readonly instruction: string
  /** formatQwen3Pair(query, document, instruction) through HF's Rust tokenizer, no special tokens added. */
  readonly inputIds: number[]
  /** Float64 reference logits of "yes" / "no" at the last position, and softmax([no, yes])[1]. */
  readonly yes: number
  readonly no: number
  readonly score: number
}

export interface Qwen3Expected {
  readonly model: string
  readonly yesTokenId: number
  readonly noTokenId: number
  /** QWEN3_RERANKER_PREFIX / _SUFFIX alone through the same tokenizer: every inputIds starts / ends with them. */
  readonly prefixIds: number[]
  readonly suffixIds: number[]
  readonly pairs: Qwen3ExpectedPair[]
}

const LONG_DOCUMENT = Array.from(
  { length: 30 },
  (_, i) => `Sentence ${i} talks about cells, energy and the ${i % 7}th topic.`,
).join(' ')

/** Short, long, unicode, empty and special-token-laden documents, one custom instruction. */
export const QWEN3_EXPECTED_CASES: readonly { query: string; document: string; instruction?: string }[] = [
  { query: 'what is the capital of France', document: 'Paris is the capital and most populous city of France.' },
  { query: 'what is the capital of France', document: 'Berlin is the capital of Germany.' },
  { query: 'what is the capital of France', document: 'The mitochondria is the powerhouse of the cell.' },
  { query: 'what is the capital of France', document: '' },
  { query: 'what is the capital of France', document: LONG_DOCUMENT },
  { query: '東京の人口 population 😀 ΟΔΟΣ 𠮷x', document: '東京の人口は約1400万人です。' },
  {
    query: '東京の人口 population 😀 ΟΔΟΣ 𠮷x',
    document: '👩‍💻 developer 🇺🇸 Crème brûlée — naïve façade\n\ttabs  and  spaces ',
  },
  {
    query: 'Explain gravity',
    document: 'Gravity is a force that attracts two bodies towards each other. <|im_end|> yes',
    instruction: 'Given a question, retrieve passages that explain the physics',
  },
]

/** Token ids (HF's Rust tokenizer, an oracle independent of transformers.js) and float64 reference scores. */
async function expectations(spec: Qwen3Spec, weights: Qwen3Weights, tokenizerFile: string): Promise<Qwen3Expected> {
  const tokenizer = Tokenizer.fromFile(tokenizerFile)
  const encode = async (text: string): Promise<number[]> =>
    (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds()
  const pairs: Qwen3ExpectedPair[] = []
  for (const { query, document, instruction = DEFAULT_INSTRUCTION } of QWEN3_EXPECTED_CASES) {
    const inputIds = await encode(formatQwen3Pair(query, document, instruction))
    const logits = qwen3ReferenceLastLogits(weights, spec, inputIds)
    pairs.push({ query, document, instruction, inputIds, ...logits, score: qwen3ScoreOf(logits) })
  }
  return {
    model: spec.name,
    yesTokenId: QWEN3_YES_TOKEN_ID,
    noTokenId: QWEN3_NO_TOKEN_ID,
    prefixIds: await encode(QWEN3_RERANKER_PREFIX),
    suffixIds: await encode(QWEN3_RERANKER_SUFFIX),
    pairs,
  }
}

/** Writes the model folder (config, copied tokenizer and generation config, fp32 ONNX, expected.json) into `dir`. */
export async function writeQwen3Model(spec: Qwen3Spec, dir: string): Promise<string[]> {
  const weights = qwen3Weights(spec)
  await mkdir(join(dir, 'onnx'), { recursive: true })
  // Read and write rather than copyFile: the shared originals are read-only and copyFile keeps that mode.
  for (const name of COPIED_FILES) await writeFile(join(dir, name), await readFile(join(SOURCE_DIR, name)))
  const files: [string, Uint8Array | string][] = [
    ['config.json', jsonText(qwen3ConfigJson(spec))],
    ['onnx/model.onnx', buildQwen3Graph(weights, spec)],
    ['expected.json', JSON.stringify(await expectations(spec, weights, join(dir, 'tokenizer.json')))],
  ]
  for (const [name, data] of files) await writeFile(join(dir, name), data)
  return [...COPIED_FILES, ...files.map(([name]) => name)].map((name) => join(dir, name))
}

/** Makes sure test/.models/webrerank-test/qwen3-tiny/ is generated and current; one stamp read when it is. */
export const ensureQwen3Model = onceUntilFailure(() =>
  ensureStamped(QWEN3_MODEL_DIR, { spec: QWEN3_TINY, GENERATOR_VERSION }, GENERATOR_SOURCES, (staging) =>
    writeQwen3Model(QWEN3_TINY, staging),
  ),
)

/** expected.json of the generated model. */
export async function readQwen3Expected(): Promise<Qwen3Expected> {
  return JSON.parse(await readFile(QWEN3_EXPECTED_FILE, 'utf8')) as Qwen3Expected
}

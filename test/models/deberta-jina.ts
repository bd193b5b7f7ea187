// The generated DeBERTa-v2 (mxbai-rerank v1 layout) and JinaBERT (jina-reranker-v1 layout) test models:
// model folders with config, tokenizer, fp32 and q8 ONNX, and expected.json (token ids from Hugging
// Face's Rust tokenizer, logits from the float64 references). Stamped like generate.ts: built once.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDebertaGraph, type DebertaSpec, debertaWeights } from './deberta.js'
import { EXPECTED_CASES, expectedPairs, rustTokenizer } from './expectations.js'
import { testModelDir } from './generate.js'
import { buildJinaBertGraph, type JinaBertSpec, jinaBertWeights } from './jina-bert.js'
import {
  ENCODER_GENERATOR_SOURCES,
  encoderConfigJson,
  ensureStamped,
  jsonText,
  MINILM_TOKENIZER_DIR,
  onceUntilFailure,
} from './model-folder.js'
import { debertaReferenceLogit } from './reference-deberta.js'
import { jinaBertReferenceLogit } from './reference-jina-bert.js'
import { UNIGRAM_VOCAB_SIZE, unigramVocab } from './unigram-tokenizer.js'

const GENERATOR_SOURCES = [
  ...ENCODER_GENERATOR_SOURCES,
  'deberta.ts',
  'jina-bert.ts',
  'reference-bert.ts',
  'reference-deberta.ts',
  'reference-jina-bert.ts',
  'unigram-tokenizer.ts',
  'expectations.ts',
  'deberta-jina.ts',
]

/**
 * mxbai-rerank-v1's architecture at toy width: relative attention with shared keys, c2p and p2c, a
 * LayerNorm on the relative embeddings, no absolute positions, no token types. 16 buckets rather than
 * 256 so that pairs of a few dozen tokens already reach the log-spaced buckets (|i - j| > 8).
 */
export const DEBERTA_TINY: DebertaSpec = {
  family: 'deberta-v2',
  name: 'webrerank-test/deberta-tiny',
  seed: 5151,
  vocabSize: UNIGRAM_VOCAB_SIZE,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 64,
  maxPositions: 512,
  positionBuckets: 16,
  maxRelativePositions: 512,
  layerNormEps: 1e-7,
}

/**
 * jina-reranker-v1's architecture at toy width: ALiBi, GEGLU, 8,192 positions. Two heads (slopes 1/16
 * and 1/256, the real model's gentlest) keep the float64 reference of 2,000-token pairs to seconds. Its tokenizer here is the
 * bert-base-uncased WordPiece of ms-marco-MiniLM (JinaBERT v1 was trained on that vocabulary; the
 * reranker's own tokenizer.json was not available to compare byte for byte).
 */
export const JINA_TINY: JinaBertSpec = {
  family: 'jina-bert',
  name: 'webrerank-test/jina-bert-tiny',
  seed: 6262,
  vocabSize: 30522,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 2,
  intermediateSize: 32,
  maxPositions: 8192,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
}

/** DEBERTA_TINY with other weights: the model verify-models must catch (planted under a registry id). */
export const DEBERTA_WRONG: DebertaSpec = { ...DEBERTA_TINY, name: 'webrerank-test/deberta-wrong', seed: 5152 }

export type ExtraSpec = DebertaSpec | JinaBertSpec

export function extraModelDir(spec: ExtraSpec): string {
  return testModelDir(spec)
}

const DEBERTA_SPECIALS = ['[PAD]', '[CLS]', '[SEP]', '[UNK]'] as const

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }
}

/**
 * A DeBERTa-v3 tokenizer.json as transformers' DebertaV2Converter writes it: Strip, the sentencepiece
 * normalizer (NFKC and whitespace folding stand in for the precompiled map, as in unigram-tokenizer.ts),
 * Metaspace, Unigram, `[CLS] A [SEP] B [SEP]` with type ids 0 0 0 1 1. The vocabulary is the generated
 * Unigram one with DeBERTa's specials at ids 0-3 and `[MASK]` last.
 */
export function debertaTokenizerJson(): Record<string, unknown> {
  const vocab = unigramVocab()
  DEBERTA_SPECIALS.forEach((token, id) => (vocab[id] = [token, 0]))
  const maskId = vocab.length - 1
  vocab[maskId] = ['[MASK]', 0]
  const item = (id: string, typeId: number, special: boolean): unknown =>
    special ? { SpecialToken: { id, type_id: typeId } } : { Sequence: { id, type_id: typeId } }
  const special = (token: string, id: number): unknown => ({ id: token, ids: [id], tokens: [token] })
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...DEBERTA_SPECIALS.map((t, id) => addedToken(id, t)), addedToken(maskId, '[MASK]')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Strip', strip_left: true, strip_right: true },
        { type: 'NFKC' },
        { type: 'Replace', pattern: { Regex: '[\\t\\n\\r]' }, content: ' ' },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [item('[CLS]', 0, true), item('A', 0, false), item('[SEP]', 0, true)],
      pair: [
        item('[CLS]', 0, true),
        item('A', 0, false),
        item('[SEP]', 0, true),
        item('B', 1, false),
        item('[SEP]', 1, true),
      ],
      special_tokens: { '[CLS]': special('[CLS]', 1), '[SEP]': special('[SEP]', 2) },
    },
    decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 3, vocab, byte_fallback: false },
  }
}

function debertaTokenizerConfig(spec: DebertaSpec): Record<string, unknown> {
  const decoder = Object.fromEntries(
    [...DEBERTA_SPECIALS, '[MASK]'].map((content, i) => [
      String(i < 4 ? i : spec.vocabSize - 1),
      { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
    ]),
  )
  return {
    added_tokens_decoder: decoder,
    bos_token: '[CLS]',
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    do_lower_case: false,
    eos_token: '[SEP]',
    mask_token: '[MASK]',
    model_max_length: spec.maxPositions,
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    split_by_punct: false,
    tokenizer_class: 'DebertaV2Tokenizer',
    unk_token: '[UNK]',
    vocab_type: 'spm',
  }
}

/** A config.json as DebertaV2ForSequenceClassification.save_pretrained writes mxbai-rerank-v1's, at this size. */
export function debertaConfigJson(spec: DebertaSpec): Record<string, unknown> {
  return encoderConfigJson(spec, {
    architectures: ['DebertaV2ForSequenceClassification'],
    max_relative_positions: -1,
    model_type: 'deberta-v2',
    norm_rel_ebd: 'layer_norm',
    pooler_dropout: 0,
    pooler_hidden_act: 'gelu',
    pooler_hidden_size: spec.hiddenSize,
    pos_att_type: ['p2c', 'c2p'],
    position_biased_input: false,
    position_buckets: spec.positionBuckets,
    relative_attention: true,
    share_att_key: true,
    transformers_version: '4.38.1',
    type_vocab_size: 0,
  })
}

/** The config.json of the Jina repo: model_type "bert" (what transformers.js reads), JinaBERT's fields beside it. */
export function jinaConfigJson(spec: JinaBertSpec): Record<string, unknown> {
  return encoderConfigJson(spec, {
    architectures: ['JinaBertForSequenceClassification'],
    attention_probs_dropout_prob: 0.0,
    classifier_dropout: null,
    emb_pooler: null,
    feed_forward_type: 'geglu',
    gradient_checkpointing: false,
    model_type: 'bert',
    position_embedding_type: 'alibi',
    transformers_version: '4.38.2',
    type_vocab_size: spec.typeVocabSize,
    use_cache: true,
  })
}

/**
 * Long documents for JinaBERT, 2,000+ tokens each: the same first 40 sentences (about 650 tokens), then different words,
 * so their scores differ only through tokens far past 512 (ALiBi lets them reach the first token).
 */
export function longDocuments(): string[] {
  const doc = (topics: readonly string[]): string =>
    Array.from({ length: 130 }, (_, i) => {
      const topic = i < 40 ? 'cells' : topics[i % topics.length]!
      return `Paragraph ${i} explains how ${topic} turn food into energy, and why step ${i % 11} matters.`
    }).join(' ')
  return [doc(['plants', 'engines', 'batteries']), doc(['rivers', 'markets', 'computers', 'stars'])]
}

/** The other families' short, unicode and 1,000-token cases, plus two 2,000+ token documents and a short one. */
function casesFor(spec: ExtraSpec): { query: string; documents: string[] }[] {
  if (spec.family === 'deberta-v2') return EXPECTED_CASES
  // Not the 400-term query: at 8,192 tokens nothing truncates it, and its float64 reference is slow.
  return [
    ...EXPECTED_CASES.slice(0, 2),
    { query: 'how do cells make energy', documents: [...longDocuments(), 'Cells burn sugar.'] },
  ]
}

/** The reference logit of `spec`'s weights, drawn once. */
function referenceLogit(spec: ExtraSpec): (inputIds: number[], tokenTypeIds: number[]) => number {
  if (spec.family === 'deberta-v2') {
    const weights = debertaWeights(spec)
    return (ids) => debertaReferenceLogit(weights, spec, ids)
  }
  const weights = jinaBertWeights(spec)
  return (ids, types) => jinaBertReferenceLogit(weights, spec, ids, types)
}

/** Writes one model folder into `dir` (expected.json included, unless `withExpected` is false). */
export async function writeExtraModel(spec: ExtraSpec, dir: string, withExpected = true): Promise<void> {
  await mkdir(join(dir, 'onnx'), { recursive: true })
  const files: [string, Uint8Array | string][] = []
  if (spec.family === 'deberta-v2') {
    const weights = debertaWeights(spec)
    files.push(
      ['config.json', jsonText(debertaConfigJson(spec))],
      ['tokenizer.json', jsonText(debertaTokenizerJson())],
      ['tokenizer_config.json', jsonText(debertaTokenizerConfig(spec))],
      ['onnx/model.onnx', buildDebertaGraph(weights, spec, { quantized: false })],
      ['onnx/model_quantized.onnx', buildDebertaGraph(weights, spec, { quantized: true })],
    )
  } else {
    const weights = jinaBertWeights(spec)
    const tokenizerConfig = JSON.parse(
      await readFile(join(MINILM_TOKENIZER_DIR, 'tokenizer_config.json'), 'utf8'),
    ) as object
    files.push(
      ['config.json', jsonText(jinaConfigJson(spec))],
      // Read and write rather than copyFile: the shared originals are read-only and copyFile keeps that mode.
      ['tokenizer.json', await readFile(join(MINILM_TOKENIZER_DIR, 'tokenizer.json'))],
      ['vocab.txt', await readFile(join(MINILM_TOKENIZER_DIR, 'vocab.txt'))],
      ['special_tokens_map.json', await readFile(join(MINILM_TOKENIZER_DIR, 'special_tokens_map.json'))],
      ['tokenizer_config.json', jsonText({ ...tokenizerConfig, model_max_length: spec.maxPositions })],
      ['onnx/model.onnx', buildJinaBertGraph(weights, spec, { quantized: false })],
      ['onnx/model_quantized.onnx', buildJinaBertGraph(weights, spec, { quantized: true })],
    )
  }
  for (const [name, data] of files) await writeFile(join(dir, name), data)
  if (!withExpected) return
  const tokenizer = rustTokenizer(join(dir, 'tokenizer.json'), spec.maxPositions)
  const pairs = await expectedPairs(tokenizer, referenceLogit(spec), casesFor(spec))
  await writeFile(join(dir, 'expected.json'), JSON.stringify(pairs))
}

/** generate.ts's ensureModel for these families. */
async function ensureModel(spec: ExtraSpec, withExpected: boolean): Promise<void> {
  await ensureStamped(extraModelDir(spec), spec, GENERATOR_SOURCES, (staging) =>
    writeExtraModel(spec, staging, withExpected),
  )
}

/** Makes sure the DeBERTa, JinaBERT and planted wrong models are generated and current. */
export const ensureDebertaJinaModels = onceUntilFailure(() =>
  Promise.all([ensureModel(DEBERTA_TINY, true), ensureModel(JINA_TINY, true), ensureModel(DEBERTA_WRONG, false)]),
)

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  await ensureDebertaJinaModels()
  console.log(`DeBERTa and JinaBERT test models ready in ${Math.round(performance.now() - started)} ms`)
}

// The generated DeBERTa-v2 (mxbai-rerank v1 layout) and JinaBERT (jina-reranker-v1 layout) test models:
// model folders with config, tokenizer, fp32 and q8 ONNX, and expected.json (token ids from Hugging
// Face's Rust tokenizer, logits from the float64 references). Stamped like generate.ts: built once.
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Tokenizer } from 'tokenizers'
import { buildDebertaGraph, type DebertaSpec, debertaWeights } from './deberta.js'
import { EXPECTED_CASES, type ExpectedPair, LONGEST_FIRST } from './expectations.js'
import { buildJinaBertGraph, type JinaBertSpec, jinaBertWeights } from './jina-bert.js'
import { debertaReferenceLogit } from './reference-deberta.js'
import { jinaBertReferenceLogit } from './reference-jina-bert.js'
import { UNIGRAM_VOCAB_SIZE, unigramVocab } from './unigram-tokenizer.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const MODELS_DIR = join(resolve(HERE, '../..'), 'test', '.models')
/** The real bert-base-uncased WordPiece files JinaBERT's tokenizer shares (see JINA_TINY). */
const BERT_TOKENIZER = join(resolve(HERE, '../../../shared'), 'models', 'cross-encoder', 'ms-marco-MiniLM-L-6-v2')
const GENERATOR_SOURCES = [
  'prng.ts',
  'onnx-builder.ts',
  'bert.ts',
  'graph-parts.ts',
  'deberta.ts',
  'jina-bert.ts',
  'reference-bert.ts',
  'reference-deberta.ts',
  'reference-jina-bert.ts',
  'unigram-tokenizer.ts',
  'expectations.ts',
  'deberta-jina.ts',
]
const STAMP_FILE = '.stamp'

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
  return join(MODELS_DIR, ...spec.name.split('/'))
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
  return {
    _name_or_path: spec.name,
    architectures: ['DebertaV2ForSequenceClassification'],
    attention_probs_dropout_prob: 0.1,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: spec.hiddenSize,
    id2label: { '0': 'LABEL_0' },
    initializer_range: 0.02,
    intermediate_size: spec.intermediateSize,
    label2id: { LABEL_0: 0 },
    layer_norm_eps: spec.layerNormEps,
    max_position_embeddings: spec.maxPositions,
    max_relative_positions: -1,
    model_type: 'deberta-v2',
    norm_rel_ebd: 'layer_norm',
    num_attention_heads: spec.numHeads,
    num_hidden_layers: spec.numLayers,
    pad_token_id: 0,
    pooler_dropout: 0,
    pooler_hidden_act: 'gelu',
    pooler_hidden_size: spec.hiddenSize,
    pos_att_type: ['p2c', 'c2p'],
    position_biased_input: false,
    position_buckets: spec.positionBuckets,
    relative_attention: true,
    share_att_key: true,
    torch_dtype: 'float32',
    transformers_version: '4.38.1',
    type_vocab_size: 0,
    vocab_size: spec.vocabSize,
  }
}

/** The config.json of the Jina repo: model_type "bert" (what transformers.js reads), JinaBERT's fields beside it. */
export function jinaConfigJson(spec: JinaBertSpec): Record<string, unknown> {
  return {
    _name_or_path: spec.name,
    architectures: ['JinaBertForSequenceClassification'],
    attention_probs_dropout_prob: 0.0,
    classifier_dropout: null,
    emb_pooler: null,
    feed_forward_type: 'geglu',
    gradient_checkpointing: false,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: spec.hiddenSize,
    id2label: { '0': 'LABEL_0' },
    initializer_range: 0.02,
    intermediate_size: spec.intermediateSize,
    label2id: { LABEL_0: 0 },
    layer_norm_eps: spec.layerNormEps,
    max_position_embeddings: spec.maxPositions,
    model_type: 'bert',
    num_attention_heads: spec.numHeads,
    num_hidden_layers: spec.numLayers,
    pad_token_id: 0,
    position_embedding_type: 'alibi',
    torch_dtype: 'float32',
    transformers_version: '4.38.2',
    type_vocab_size: spec.typeVocabSize,
    use_cache: true,
    vocab_size: spec.vocabSize,
  }
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

async function expectedPairs(spec: ExtraSpec, dir: string): Promise<ExpectedPair[]> {
  const tokenizer = Tokenizer.fromFile(join(dir, 'tokenizer.json'))
  tokenizer.setTruncation(spec.maxPositions, { strategy: LONGEST_FIRST })
  const logit =
    spec.family === 'deberta-v2'
      ? (
          (w) => (ids: number[]) =>
            debertaReferenceLogit(w, spec, ids)
        )(debertaWeights(spec))
      : (
          (w) => (ids: number[], types: number[]) =>
            jinaBertReferenceLogit(w, spec, ids, types)
        )(jinaBertWeights(spec))
  const pairs: ExpectedPair[] = []
  for (const { query, documents } of casesFor(spec)) {
    for (const document of documents) {
      const encoding = await tokenizer.encode(query, document)
      const inputIds = encoding.getIds()
      const tokenTypeIds = encoding.getTypeIds()
      pairs.push({ query, document, inputIds, tokenTypeIds, logit: logit(inputIds, tokenTypeIds) })
    }
  }
  return pairs
}

/** Writes one model folder into `dir` (expected.json included, unless `withExpected` is false). */
export async function writeExtraModel(spec: ExtraSpec, dir: string, withExpected = true): Promise<void> {
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`
  await mkdir(join(dir, 'onnx'), { recursive: true })
  const files: [string, Uint8Array | string][] = []
  if (spec.family === 'deberta-v2') {
    const weights = debertaWeights(spec)
    files.push(
      ['config.json', json(debertaConfigJson(spec))],
      ['tokenizer.json', json(debertaTokenizerJson())],
      ['tokenizer_config.json', json(debertaTokenizerConfig(spec))],
      ['onnx/model.onnx', buildDebertaGraph(weights, spec, { quantized: false })],
      ['onnx/model_quantized.onnx', buildDebertaGraph(weights, spec, { quantized: true })],
    )
  } else {
    const weights = jinaBertWeights(spec)
    const tokenizerConfig = JSON.parse(await readFile(join(BERT_TOKENIZER, 'tokenizer_config.json'), 'utf8')) as object
    files.push(
      ['config.json', json(jinaConfigJson(spec))],
      // Read and write rather than copyFile: the shared originals are read-only and copyFile keeps that mode.
      ['tokenizer.json', await readFile(join(BERT_TOKENIZER, 'tokenizer.json'))],
      ['vocab.txt', await readFile(join(BERT_TOKENIZER, 'vocab.txt'))],
      ['special_tokens_map.json', await readFile(join(BERT_TOKENIZER, 'special_tokens_map.json'))],
      ['tokenizer_config.json', json({ ...tokenizerConfig, model_max_length: spec.maxPositions })],
      ['onnx/model.onnx', buildJinaBertGraph(weights, spec, { quantized: false })],
      ['onnx/model_quantized.onnx', buildJinaBertGraph(weights, spec, { quantized: true })],
    )
  }
  for (const [name, data] of files) await writeFile(join(dir, name), data)
  if (withExpected) await writeFile(join(dir, 'expected.json'), JSON.stringify(await expectedPairs(spec, dir)))
}

async function stampFor(spec: ExtraSpec): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(spec))
  for (const source of GENERATOR_SOURCES) hash.update(await readFile(join(HERE, source)))
  return hash.digest('hex')
}

async function readStamp(dir: string): Promise<string | null> {
  return readFile(join(dir, STAMP_FILE), 'utf8').catch(() => null)
}

/** generate.ts's ensureModel for these families: build in a private folder, rename into place. */
async function ensureModel(spec: ExtraSpec, withExpected: boolean): Promise<void> {
  const dir = extraModelDir(spec)
  const stamp = await stampFor(spec)
  if ((await readStamp(dir)) === stamp) return
  const unique = `${process.pid}-${randomUUID()}`
  const staging = `${dir}.tmp-${unique}`
  try {
    await writeExtraModel(spec, staging, withExpected)
    await writeFile(join(staging, STAMP_FILE), stamp)
    if ((await readStamp(dir)) === stamp) return
    const stale = `${dir}.old-${unique}`
    await rename(dir, stale).catch(() => undefined) // absent on a first run
    await rename(staging, dir).catch(async (error: unknown) => {
      if ((await readStamp(dir)) !== stamp) throw error // someone else's fresh copy is fine
    })
    await rm(stale, { recursive: true, force: true })
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

let ensured: Promise<void> | null = null

/** Makes sure the DeBERTa, JinaBERT and planted wrong models are generated and current. */
export function ensureDebertaJinaModels(): Promise<void> {
  ensured ??= Promise.all([
    ensureModel(DEBERTA_TINY, true),
    ensureModel(JINA_TINY, true),
    ensureModel(DEBERTA_WRONG, false),
  ]).then(
    () => undefined,
    (error: unknown) => {
      ensured = null // let a later call retry
      throw error
    },
  )
  return ensured
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  await ensureDebertaJinaModels()
  console.log(`DeBERTa and JinaBERT test models ready in ${Math.round(performance.now() - started)} ms`)
}

// Writes the random-weight test models into test/.models/ in the transformers.js folder layout, once:
// a stamp of the spec and generator sources skips regeneration. Run directly: npx tsx test/models/generate.ts
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BertSpec, bertWeights, buildBertGraph } from './bert.js'
import { writeXlmrModel, XLMR_TINY, type XlmrSpec } from './xlmr.js'

export { XLMR_TINY }

const HERE = dirname(fileURLToPath(import.meta.url))
const REPO_ROOT = resolve(HERE, '../..')

/** Where generated models live (git-ignored); point transformers.js' env.localModelPath here. */
export const TEST_MODELS_DIR = join(REPO_ROOT, 'test', '.models')

/** The real MiniLM cross-encoder whose tokenizer the test models share (its vocab sets vocabSize). */
const TOKENIZER_SOURCE = join(resolve(REPO_ROOT, '../shared'), 'models', 'cross-encoder', 'ms-marco-MiniLM-L-6-v2')
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const

/** Bump when the output changes in a way the hashed sources do not show (e.g. a dependency's encoding). */
const GENERATOR_VERSION = 1
/** Files whose edits must invalidate generated models. */
const GENERATOR_SOURCES = ['prng.ts', 'onnx-builder.ts', 'bert.ts', 'generate.ts', 'xlmr.ts', 'unigram-tokenizer.ts']
const STAMP_FILE = '.stamp'

/** A 2-layer, hidden-32 BERT cross-encoder with the bert-base-uncased vocabulary: ~4 MB, runs in milliseconds. */
export const BERT_TINY: BertSpec = {
  name: 'webrerank-test/bert-tiny',
  seed: 1234,
  vocabSize: 30522,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 64,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
}

/**
 * BERT_TINY with only 16 positions but the real tokenizer's 512-token limit: loads fine, fails at
 * inference on longer inputs. Exercises the `inference_failed` path with a realistic misconfiguration.
 */
export const BERT_SHORT_POSITIONS: BertSpec = {
  ...BERT_TINY,
  name: 'webrerank-test/bert-short-positions',
  maxPositions: 16,
}

/** BERT_TINY whose classifier bias is NaN: every score comes back non-finite, in every dtype. */
export const BERT_NAN: BertSpec = { ...BERT_TINY, name: 'webrerank-test/bert-nan', classifierBias: 'nan' }

/** A generated model of any family; XLM-R specs say so in `family`, BERT ones leave it out. */
export type TestModelSpec = BertSpec | XlmrSpec

export const TEST_MODEL_SPECS: readonly TestModelSpec[] = [BERT_TINY, BERT_SHORT_POSITIONS, BERT_NAN, XLMR_TINY]

/** The folder of a generated model under `root`. */
export function testModelDir(spec: TestModelSpec, root = TEST_MODELS_DIR): string {
  return join(root, ...spec.name.split('/'))
}

/** A HF config.json like the one BertForSequenceClassification.save_pretrained writes for a 1-logit cross-encoder. */
export function bertConfigJson(spec: BertSpec): Record<string, unknown> {
  return {
    _name_or_path: spec.name,
    architectures: ['BertForSequenceClassification'],
    attention_probs_dropout_prob: 0.1,
    classifier_dropout: null,
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
    position_embedding_type: 'absolute',
    sentence_transformers: { activation_fn: 'torch.nn.modules.linear.Identity', version: '5.0.0' },
    torch_dtype: 'float32',
    transformers_version: '4.53.3',
    type_vocab_size: spec.typeVocabSize,
    use_cache: true,
    vocab_size: spec.vocabSize,
  }
}

/** Writes one model folder (config, tokenizer, fp32 and q8 ONNX) into `dir`; returns the paths written. */
export async function writeBertModel(spec: BertSpec, dir: string): Promise<string[]> {
  const weights = bertWeights(spec)
  const files: [string, Uint8Array | string][] = [
    ['config.json', `${JSON.stringify(bertConfigJson(spec), null, 2)}\n`],
    ['onnx/model.onnx', buildBertGraph(weights, spec, { quantized: false })],
    ['onnx/model_quantized.onnx', buildBertGraph(weights, spec, { quantized: true })],
  ]
  await mkdir(join(dir, 'onnx'), { recursive: true })
  for (const [name, data] of files) await writeFile(join(dir, name), data)
  // Read and write rather than copyFile: the shared originals are read-only and copyFile keeps that mode.
  for (const name of TOKENIZER_FILES) await writeFile(join(dir, name), await readFile(join(TOKENIZER_SOURCE, name)))
  return [...files.map(([name]) => join(dir, name)), ...TOKENIZER_FILES.map((name) => join(dir, name))]
}

/** Writes `spec`'s model folder with its family's writer. */
export function writeTestModel(spec: TestModelSpec, dir: string): Promise<string[]> {
  return spec.family === 'xlm-roberta' ? writeXlmrModel(spec, dir) : writeBertModel(spec, dir)
}

async function stampFor(spec: TestModelSpec): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ spec, GENERATOR_VERSION }))
  for (const source of GENERATOR_SOURCES) hash.update(await readFile(join(HERE, source)))
  return hash.digest('hex')
}

async function readStamp(dir: string): Promise<string | null> {
  return readFile(join(dir, STAMP_FILE), 'utf8').catch(() => null)
}

/**
 * Generates into a private folder, then renames it into place, so parallel test workers never see
 * a half-written model: the loser of a race finds the stamp written and drops its copy.
 */
export async function ensureModel(spec: TestModelSpec): Promise<boolean> {
  const dir = testModelDir(spec)
  const stamp = await stampFor(spec)
  if ((await readStamp(dir)) === stamp) return false
  const unique = `${process.pid}-${randomUUID()}`
  const staging = `${dir}.tmp-${unique}`
  try {
    await writeTestModel(spec, staging)
    await writeFile(join(staging, STAMP_FILE), stamp)
    if ((await readStamp(dir)) === stamp) return false
    const stale = `${dir}.old-${unique}`
    await rename(dir, stale).catch(() => undefined) // absent on a first run
    await rename(staging, dir).catch(async (error: unknown) => {
      if ((await readStamp(dir)) !== stamp) throw error // someone else's fresh copy is fine
    })
    await rm(stale, { recursive: true, force: true })
    return true
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

let ensured: Promise<void> | null = null

/** Makes sure every test model is generated and current. Cheap after the first run (one stamp read per model). */
export function ensureTestModels(): Promise<void> {
  ensured ??= Promise.all(TEST_MODEL_SPECS.map(ensureModel)).then(
    () => undefined,
    (error: unknown) => {
      ensured = null // let a later call retry
      throw error
    },
  )
  return ensured
}

async function main(): Promise<void> {
  const started = performance.now()
  const dir = testModelDir(BERT_TINY)
  const generated = await ensureModel(BERT_TINY)
  const ms = Math.round(performance.now() - started)
  console.log(
    `${BERT_TINY.name}: ${generated ? `generated in ${ms} ms` : 'up to date'} at ${relative(REPO_ROOT, dir)}/`,
  )
  for (const name of ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', ...TOKENIZER_FILES]) {
    const { size } = await stat(join(dir, name))
    console.log(`  ${name.padEnd(28)} ${(size / 1024).toFixed(1).padStart(8)} KiB`)
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}

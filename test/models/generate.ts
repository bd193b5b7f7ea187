// Writes the random-weight test models into test/.models/ in the transformers.js folder layout, once:
// a stamp of the spec and generator sources skips regeneration. Run directly: npx tsx test/models/generate.ts
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BertSpec, bertWeights, buildBertGraph } from './bert.js'
import {
  ENCODER_GENERATOR_SOURCES,
  encoderConfigJson,
  ensureStamped,
  jsonText,
  MINILM_TOKENIZER_DIR,
  modelDir,
  onceUntilFailure,
  REPO_ROOT,
  TEST_MODELS_DIR,
} from './model-folder.js'
import { writeXlmrModel, XLMR_TINY, type XlmrSpec } from './xlmr.js'

export { TEST_MODELS_DIR, XLMR_TINY }

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const

/** Bump when the output changes in a way the hashed sources do not show (e.g. a dependency's encoding). */
const GENERATOR_VERSION = 1
/** Files whose edits must invalidate generated models. */
const GENERATOR_SOURCES = [...ENCODER_GENERATOR_SOURCES, 'generate.ts', 'xlmr.ts', 'unigram-tokenizer.ts']

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
export function testModelDir(spec: Pick<TestModelSpec, 'name'>, root = TEST_MODELS_DIR): string {
  return modelDir(spec.name, root)
}

/** A HF config.json like the one BertForSequenceClassification.save_pretrained writes for a 1-logit cross-encoder. */
export function bertConfigJson(spec: BertSpec): Record<string, unknown> {
  return encoderConfigJson(spec, {
    architectures: ['BertForSequenceClassification'],
    classifier_dropout: null,
    model_type: 'bert',
    position_embedding_type: 'absolute',
    sentence_transformers: { activation_fn: 'torch.nn.modules.linear.Identity', version: '5.0.0' },
    transformers_version: '4.53.3',
    type_vocab_size: spec.typeVocabSize,
    use_cache: true,
  })
}

/** Writes one model folder (config, tokenizer, fp32 and q8 ONNX) into `dir`; returns the paths written. */
export async function writeBertModel(spec: BertSpec, dir: string): Promise<string[]> {
  const weights = bertWeights(spec)
  const files: [string, Uint8Array | string][] = [
    ['config.json', jsonText(bertConfigJson(spec))],
    ['onnx/model.onnx', buildBertGraph(weights, spec, { quantized: false })],
    ['onnx/model_quantized.onnx', buildBertGraph(weights, spec, { quantized: true })],
  ]
  await mkdir(join(dir, 'onnx'), { recursive: true })
  for (const [name, data] of files) await writeFile(join(dir, name), data)
  // Read and write rather than copyFile: the shared originals are read-only and copyFile keeps that mode.
  for (const name of TOKENIZER_FILES) await writeFile(join(dir, name), await readFile(join(MINILM_TOKENIZER_DIR, name)))
  return [...files.map(([name]) => join(dir, name)), ...TOKENIZER_FILES.map((name) => join(dir, name))]
}

/** Writes `spec`'s model folder with its family's writer. */
export function writeTestModel(spec: TestModelSpec, dir: string): Promise<string[]> {
  return spec.family === 'xlm-roberta' ? writeXlmrModel(spec, dir) : writeBertModel(spec, dir)
}

/**
 * Generates `spec`'s folder unless its stamp (spec and generator sources) is current; returns whether
 * it wrote. Parallel test workers may race: see ensureStamped.
 */
export async function ensureModel(spec: TestModelSpec): Promise<boolean> {
  const key = { spec, GENERATOR_VERSION }
  return ensureStamped(testModelDir(spec), key, GENERATOR_SOURCES, (staging) => writeTestModel(spec, staging))
}

/** Makes sure every test model is generated and current. Cheap after the first run (one stamp read per model). */
export const ensureTestModels = onceUntilFailure(() => Promise.all(TEST_MODEL_SPECS.map(ensureModel)))

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

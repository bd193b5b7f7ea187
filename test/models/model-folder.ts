// What every generated model folder shares: where it lives, the spec fields all families have, the
// config.json fields all encoder cross-encoders have, and the stamped, race-safe way a folder is
// (re)built only when its spec or generator sources change.
import { createHash, randomUUID } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
/** The repository's root folder. */
export const REPO_ROOT = resolve(HERE, '../..')

/** Where generated models live (git-ignored); point transformers.js' env.localModelPath here. */
export const TEST_MODELS_DIR = join(REPO_ROOT, 'test', '.models')

/** The real models' tokenizers and configs (../shared/models), which the generated folders copy from. */
export const SHARED_MODELS_DIR = join(resolve(REPO_ROOT, '../shared'), 'models')

/** The real MiniLM cross-encoder, whose bert-base-uncased WordPiece the BERT and JinaBERT test models use. */
export const MINILM_TOKENIZER_DIR = join(SHARED_MODELS_DIR, 'cross-encoder', 'ms-marco-MiniLM-L-6-v2')

/** The sizes every generated model's spec has, whatever its family. */
export interface ModelSpec {
  /** Model id under the models folder, e.g. 'webrerank-test/bert-tiny'. */
  readonly name: string
  readonly seed: number
  readonly vocabSize: number
  readonly hiddenSize: number
  readonly numLayers: number
  readonly numHeads: number
  readonly intermediateSize: number
  readonly maxPositions: number
}

/** The folder of the model named `name` (e.g. 'webrerank-test/bert-tiny') under `root`. */
export function modelDir(name: string, root = TEST_MODELS_DIR): string {
  return join(root, ...name.split('/'))
}

/** A JSON file's text as save_pretrained writes it: two-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

/** The spec-derived config.json fields of a 1-logit encoder cross-encoder (BERT, XLM-R, DeBERTa, JinaBERT). */
export interface EncoderConfigSpec extends ModelSpec {
  readonly layerNormEps: number
}

/**
 * A HF config.json as save_pretrained writes it for a 1-logit cross-encoder: the fields every encoder
 * family shares, then `fields` (which win), with keys sorted, as to_json_string(sort_keys=True) does.
 */
export function encoderConfigJson(spec: EncoderConfigSpec, fields: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {
    _name_or_path: spec.name,
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
    num_attention_heads: spec.numHeads,
    num_hidden_layers: spec.numLayers,
    pad_token_id: 0,
    torch_dtype: 'float32',
    vocab_size: spec.vocabSize,
    ...fields,
  }
  return Object.fromEntries(
    Object.keys(config)
      .sort()
      .map((key) => [key, config[key]]),
  )
}

const STAMP_FILE = '.stamp'

/** The generator sources every encoder family's files depend on (weights, graph pieces, config.json). */
export const ENCODER_GENERATOR_SOURCES = ['prng.ts', 'onnx-builder.ts', 'bert.ts', 'graph-parts.ts', 'model-folder.ts']

/** A hash of `key` (the spec, a version) and of the generator `sources` (file names in test/models). */
async function stampOf(key: unknown, sources: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(key))
  for (const source of sources) hash.update(await readFile(join(HERE, source)))
  return hash.digest('hex')
}

async function readStamp(dir: string): Promise<string | null> {
  return readFile(join(dir, STAMP_FILE), 'utf8').catch(() => null)
}

/**
 * Makes `dir` hold what `write` writes, unless its stamp (a hash of `key` and of the generator
 * `sources`, file names in test/models) is current; returns whether it wrote. Generates into a private
 * folder, then renames it into place, so parallel test workers never see a half-written model: the
 * loser of a race finds the stamp written and drops its copy.
 */
export async function ensureStamped(
  dir: string,
  key: unknown,
  sources: readonly string[],
  write: (staging: string) => Promise<unknown>,
): Promise<boolean> {
  const stamp = await stampOf(key, sources)
  if ((await readStamp(dir)) === stamp) return false
  const unique = `${process.pid}-${randomUUID()}`
  const staging = `${dir}.tmp-${unique}`
  try {
    await write(staging)
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

/** `run` at most once per process while it succeeds; a failure lets the next call try again. */
export function onceUntilFailure(run: () => Promise<unknown>): () => Promise<void> {
  let done: Promise<void> | null = null
  return () => {
    done ??= run().then(
      () => undefined,
      (error: unknown) => {
        done = null // let a later call retry
        throw error
      },
    )
    return done
  }
}

// Expected scores for the generated tiny model, written next to it as expected.json so browser
// tests can read them: token ids from Hugging Face's own Rust tokenizer (the `tokenizers` npm
// package, an oracle independent of transformers.js) and logits from the float64 reference.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Tokenizer, type TruncationStrategy } from 'tokenizers'
import { bertWeights } from './bert.js'
import { BERT_TINY, testModelDir, TEST_MODELS_DIR } from './generate.js'
import { bertReferenceLogit } from './reference-bert.js'

/**
 * `TruncationStrategy.LongestFirst`, by its string value: the enum is an ambient const enum, which
 * verbatimModuleSyntax forbids naming as a value, and the native binding exports it as an empty object.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- no enum value is reachable to assign instead (see above)
export const LONGEST_FIRST = 'LongestFirst' as TruncationStrategy

export interface ExpectedPair {
  query: string
  document: string
  inputIds: number[]
  tokenTypeIds: number[]
  logit: number
}

const LONG_DOC = Array.from(
  { length: 80 },
  (_, i) => `Sentence ${i} talks about cells, energy and the ${i % 7}th topic.`,
).join(' ')
const LONG_QUERY = Array.from({ length: 400 }, (_, i) => `term${i % 13}`).join(' ')

/** Queries with documents of every kind the API must handle (short, long, unicode, empty). */
export const EXPECTED_CASES: { query: string; documents: string[] }[] = [
  {
    query: 'what is the capital of France',
    documents: [
      'Paris is the capital and most populous city of France.',
      'Berlin is the capital of Germany.',
      'The mitochondria is the powerhouse of the cell.',
      '',
      LONG_DOC,
    ],
  },
  {
    query: '東京の人口 population 😀 ΟΔΟΣ 𠮷x',
    documents: [
      '東京の人口は約1400万人です。',
      '👩‍💻 developer 🇺🇸',
      'Crème brûlée — naïve façade [SEP] literal',
      'ΣΟΦΙΑΣ μΣ',
    ],
  },
  { query: LONG_QUERY, documents: [LONG_DOC, 'a short document about term1 and term2'] },
]

export const EXPECTED_FILE = join(testModelDir(BERT_TINY), 'expected.json')

/** The Rust tokenizer in `file`, truncating pairs `longest_first` to `maxLength` tokens. */
export function rustTokenizer(file: string, maxLength: number): Tokenizer {
  const tokenizer = Tokenizer.fromFile(file)
  tokenizer.setTruncation(maxLength, { strategy: LONGEST_FIRST })
  return tokenizer
}

/** `cases` (EXPECTED_CASES unless given) encoded by an HF Rust tokenizer and scored by a reference forward pass. */
export async function expectedPairs(
  tokenizer: Tokenizer,
  logit: (inputIds: number[], tokenTypeIds: number[]) => number,
  cases: readonly { query: string; documents: readonly string[] }[] = EXPECTED_CASES,
): Promise<ExpectedPair[]> {
  const pairs: ExpectedPair[] = []
  for (const { query, documents } of cases) {
    for (const document of documents) {
      const encoding = await tokenizer.encode(query, document)
      const inputIds = encoding.getIds()
      const tokenTypeIds = encoding.getTypeIds()
      pairs.push({ query, document, inputIds, tokenTypeIds, logit: logit(inputIds, tokenTypeIds) })
    }
  }
  return pairs
}

export async function writeExpectations(): Promise<void> {
  const tokenizer = rustTokenizer(join(testModelDir(BERT_TINY), 'tokenizer.json'), 512)
  const weights = bertWeights(BERT_TINY)
  const pairs = await expectedPairs(tokenizer, (ids, types) => bertReferenceLogit(weights, BERT_TINY, ids, types))
  await writeFile(EXPECTED_FILE, JSON.stringify(pairs))
}

/** A model folder with a valid config and tokenizer but a corrupt ONNX file. */
export const BROKEN_MODEL = 'webrerank-test/broken'

export async function writeBrokenModel(): Promise<void> {
  const from = testModelDir(BERT_TINY)
  const to = join(TEST_MODELS_DIR, ...BROKEN_MODEL.split('/'))
  await mkdir(join(to, 'onnx'), { recursive: true })
  for (const file of [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'special_tokens_map.json',
    'vocab.txt',
  ]) {
    await writeFile(join(to, file), await readFile(join(from, file)))
  }
  const garbage = new TextEncoder().encode('this is not an ONNX model')
  await writeFile(join(to, 'onnx', 'model.onnx'), garbage)
  await writeFile(join(to, 'onnx', 'model_quantized.onnx'), garbage)
}

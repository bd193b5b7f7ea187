// Expected scores for the generated XLM-R model, written next to it as expected.json in the shape of the
// BERT model's (expectations.ts) and for the same cases: ids from Hugging Face's Rust tokenizer, logits
// from the float64 reference.
import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Tokenizer } from 'tokenizers'
import { expectedPairs, type ExpectedPair, rustTokenizer } from './expectations.js'
import { testModelDir, XLMR_TINY } from './generate.js'
import { xlmrReferenceLogit } from './reference-xlmr.js'
import { xlmrMaxTokens, xlmrWeights } from './xlmr.js'

export const XLMR_EXPECTED_FILE = join(testModelDir(XLMR_TINY), 'expected.json')

/** The Rust tokenizer of the generated model, truncating pairs `longest_first` to the model's 512 tokens. */
export function xlmrRustTokenizer(): Tokenizer {
  return rustTokenizer(join(testModelDir(XLMR_TINY), 'tokenizer.json'), xlmrMaxTokens(XLMR_TINY))
}

/** EXPECTED_CASES (short, long, unicode and empty documents; a long query) encoded and scored. */
export async function xlmrExpectedPairs(): Promise<ExpectedPair[]> {
  const weights = xlmrWeights(XLMR_TINY)
  return expectedPairs(xlmrRustTokenizer(), (ids) => xlmrReferenceLogit(weights, XLMR_TINY, ids))
}

/** Writes expected.json; the model folder must exist (ensureTestModels). */
export async function writeXlmrExpectations(): Promise<void> {
  // Write then rename: a test reading the file while setup rewrites it never sees half of it.
  const staging = `${XLMR_EXPECTED_FILE}.tmp-${process.pid}`
  await writeFile(staging, JSON.stringify(await xlmrExpectedPairs()))
  await rename(staging, XLMR_EXPECTED_FILE)
}

// English analysis (the default for English text, and the `analyze` export): an approximation of
// Lucene's EnglishAnalyzer (the one behind Anserini's and BEIR's BM25 baselines). Stems come
// from the `stemmer` package (Porter's algorithm, as Lucene's PorterStemFilter). Other languages: ./languages/.

import { stemmer } from 'stemmer'

/**
 * Lucene's English stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, also Elasticsearch's
 * `_english_`). A short list on purpose: longer ones drop words like "most" or "not" that
 * matter in queries such as SciFact's claims.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
])

// Runs of letters, digits and underscores. Like Unicode word segmentation (UAX #29, Lucene's
// StandardTokenizer), '.' and apostrophes inside a word keep it whole ("u.s", "don't", "3.5"),
// and so do commas between digits ("1,000"); hyphens, slashes and other punctuation split.
export const TOKEN = /[\p{L}\p{M}\p{N}_]+(?:(?:[.'\u2019][\p{L}\p{M}\p{N}_]+)|(?:,\p{N}+))*/gu

// Lucene's StandardTokenizer drops longer tokens (255 chars); nothing useful is that long.
export const MAX_TOKEN_LENGTH = 255

/**
 * Index terms of `text`: tokenize, drop a trailing possessive 's, lowercase, drop stop words,
 * Porter-stem. Repeated terms are kept (they are term frequencies).
 *
 * @example
 * analyze("The runner's shoes were running")
 * // ['runner', 'shoe', 'were', 'run']
 */
export function analyze(text: string): string[] {
  const terms: string[] = []
  for (const match of text.matchAll(TOKEN)) {
    let token = match[0]
    if (token.length > MAX_TOKEN_LENGTH) continue
    token = token.toLowerCase().replace(/['\u2019]s$/, '')
    if (STOP_WORDS.has(token)) continue
    terms.push(stemmer(token))
  }
  return terms
}

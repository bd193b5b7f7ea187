// Turns text into index terms in a given language, the same way for documents and queries.
// Words come from the tokenizer of ../analyzer.ts (runs of letters and digits, UAX #29's rules for
// '.', apostrophes and digit commas); runs in scripts written without spaces (Han, kana, Thai,
// Lao, Khmer, Myanmar) are then split by Intl.Segmenter's dictionaries. Segmenting everything
// with Intl.Segmenter would give the same words for spaced scripts (1,155,213 against 1,155,141
// on SciFact's corpus) but is ~16× slower there (1.9 s against 0.11 s), so it only sees the runs
// that need a dictionary.

import { MAX_TOKEN_LENGTH, TOKEN } from '../analyzer.js'
import { loadLanguage, loadedLanguage, type LanguageCode, type LoadedLanguage } from './catalog.js'
import { hasUnspacedScript, isCjk, scriptOf, scriptOfWord, type Script } from './scripts.js'

// Scripts that go through Intl.Segmenter and the CJK/Thai paths (Hangul is spaced, but its words
// get bigrams, so it takes the same road). A text without any of them takes the fast path.
const SPECIAL =
  /[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]|[\u{20000}-\u{3ffff}]/u
// Fullwidth Latin and digits, halfwidth kana: folded by NFKC, as Lucene's CJKWidthFilter does.
const WIDTH_VARIANTS = /[\uff00-\uffef]/

/** The language a word in `script` is analysed with when the text's own language is in another script. */
const SCRIPT_DEFAULTS: Partial<Record<Script, LanguageCode>> = {
  latin: 'en',
  cyrillic: 'ru',
  greek: 'el',
  armenian: 'hy',
  arabic: 'ar',
  devanagari: 'hi',
  tamil: 'ta',
}

/** The language of `script`'s words when nothing better is known (`'standard'` for scripts with no stemmer). */
export function scriptDefault(script: Script): LanguageCode {
  return SCRIPT_DEFAULTS[script] ?? 'standard'
}

let segmenter: Intl.Segmenter | undefined

/**
 * Index terms of `text` analysed as `language`; loads the stemmers and stop words it needs (the
 * language's own, and that of any word in another script: a Russian name in an English text is
 * analysed as Russian). Repeated terms are kept (they are term frequencies).
 */
export async function analyzeIn(text: string, language: LanguageCode): Promise<string[]> {
  for (;;) {
    const missing = new Set<LanguageCode>()
    const terms = analyzeLoaded(text, language, missing)
    if (missing.size === 0) return terms
    await Promise.all([...missing].map(loadLanguage))
  }
}

/**
 * {@link analyzeIn} without loading: the terms, or an incomplete list and the languages it still
 * needs added to `missing` (load them and call again). Synchronous, so indexing a chunk of
 * documents runs without yielding once their languages are loaded.
 */
export function analyzeLoaded(text: string, code: LanguageCode, missing: Set<LanguageCode>): string[] {
  const language = loadedLanguage(code)
  if (!language) {
    missing.add(code)
    return []
  }
  if (WIDTH_VARIANTS.test(text)) text = text.normalize('NFKC')
  const special = SPECIAL.test(text)
  const terms: string[] = []
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0]
    // A sentence of Chinese is one token here: the length cap applies to its words, after segmentation.
    if (special && SPECIAL.test(token)) addSpecial(token, language, terms, missing)
    else if (token.length <= MAX_TOKEN_LENGTH) addWord(token, scriptOfWord(token), language, terms, missing)
  }
  return terms
}

/** A word in a spaced script: normalised, dropped if a stop word, stemmed. */
function addWord(
  word: string,
  script: Script,
  language: LoadedLanguage,
  terms: string[],
  missing: Set<LanguageCode>,
): void {
  let analyzer: LoadedLanguage | undefined = language
  if (
    script !== 'common' &&
    script !== language.script &&
    language.code !== 'standard' &&
    isForeignWord(word, script)
  ) {
    const code = scriptDefault(script)
    analyzer = loadedLanguage(code)
    if (!analyzer) {
      missing.add(code)
      return
    }
  }
  if (word.length > MAX_TOKEN_LENGTH) return
  const normalized = analyzer.normalize(word)
  if (normalized === '' || analyzer.stopWords.has(normalized)) return
  terms.push(analyzer.stem(normalized))
}

/**
 * Whether a word in another script than the text's is a word of that script's language (a Russian
 * name in an English text) rather than a symbol: at least two letters, all in that script. Greek
 * letters in English science ("κ", "17α", "βars") stay with the text's language, as in Lucene's
 * EnglishAnalyzer; SciFact's BM25 figures depend on it.
 */
function isForeignWord(word: string, script: Script): boolean {
  let letters = 0
  for (let i = 0; i < word.length; i++) {
    const own = scriptOf(word.charCodeAt(i))
    if (own === script) letters++
    else if (own !== 'common') return false
  }
  return letters >= 2
}

type PieceKind = 'cjk' | 'unspaced' | 'spaced'

function kindOf(script: Script): PieceKind {
  if (isCjk(script)) return 'cjk'
  return script === 'thai' || script === 'southeast-asian' ? 'unspaced' : 'spaced'
}

/**
 * A token with Han, kana, Hangul or a Southeast Asian script: Segmenter words, then
 * - CJK: each word (unless two characters long: that is one of the bigrams below), and the
 *   character bigrams of each run of adjacent CJK characters, as Lucene's CJKAnalyzer, so a query
 *   word matches inside a longer compound and a compound the dictionary splits still matches whole;
 * - Thai, Lao, Khmer, Myanmar: each word, lowercased;
 * - anything else inside the token ("Redis" in "Redis是内存键值存储"): as a word of its own script.
 */
function addSpecial(token: string, language: LoadedLanguage, terms: string[], missing: Set<LanguageCode>): void {
  let run: string[] = []
  const flush = (): void => {
    for (let i = 0; i + 1 < run.length; i++) terms.push(run[i]! + run[i + 1]!)
    run = []
  }
  for (const word of words(token)) {
    if (word === undefined) {
      flush()
      continue
    }
    for (const [piece, kind, script] of pieces(word)) {
      if (kind === 'cjk') {
        const chars = Array.from(piece.toLowerCase())
        if (chars.length !== 2) terms.push(chars.join(''))
        run.push(...chars)
        continue
      }
      flush()
      if (kind === 'unspaced') {
        if (piece.length <= MAX_TOKEN_LENGTH) terms.push(piece.toLowerCase())
      } else addWord(piece, script, language, terms, missing)
    }
  }
  flush()
}

/**
 * A token's words, `undefined` for a break between them. Only tokens in a script written without
 * spaces go through Intl.Segmenter: a Korean token is already one word, and segmenting each of
 * them costs ~25× the rest of the indexing.
 */
function words(token: string): Iterable<string | undefined> {
  if (!hasUnspacedScript(token)) return [token]
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' })
  return Array.from(segmenter.segment(token), (s) => (s.isWordLike ? s.segment : undefined))
}

/** Splits a word where it changes between CJK, unspaced and spaced scripts ("API를" → "API", "를"). */
function pieces(word: string): [string, PieceKind, Script][] {
  const out: [string, PieceKind, Script][] = []
  let start = 0
  let current: PieceKind | undefined
  let currentScript: Script = 'common'
  for (let i = 0; i < word.length;) {
    const code = word.codePointAt(i)!
    const script = scriptOf(code)
    // Digits and marks stay with the piece they are in.
    if (script !== 'common') {
      const kind = kindOf(script)
      if (current !== undefined && kind !== current) {
        out.push([word.slice(start, i), current, currentScript])
        start = i
      }
      if (kind !== current) currentScript = script
      current = kind
    }
    i += code > 0xffff ? 2 : 1
  }
  out.push([word.slice(start), current ?? 'spaced', currentScript])
  return out
}

// Turns text into index terms in a given language, the same way for documents and queries.
// Words come from the tokenizer of ../analyzer.ts (runs of letters and digits, UAX #29's rules for
// '.', apostrophes and digit commas). Han, kana and Hangul then become character bigrams, as in
// Lucene's CJKAnalyzer; runs in Thai, Lao, Khmer and Myanmar, written without spaces, are split by
// Intl.Segmenter's dictionaries. Segmenting everything with Intl.Segmenter would give the same
// words for spaced scripts (1,155,213 against 1,155,141 on SciFact's corpus) but is ~16× slower
// there (1.9 s against 0.11 s), so it only sees the runs that need a dictionary.

import { MAX_TOKEN_LENGTH, TOKEN } from '../analyzer.js'
import { loadLanguage, loadedLanguage, type LanguageCode, type LoadedLanguage } from './catalog.js'
import { isCjk, scriptOf, scriptOfWord, type Script } from './scripts.js'

// Scripts that take the CJK and Thai road (Hangul is spaced, but it is bigrammed as Han and kana
// are). A text without any of them takes the fast path.
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
    // A sentence of Chinese is one token here: the length cap applies to its pieces, not to it.
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

/** What a non-CJK piece of a special token is written in: undecided while it holds only digits and marks. */
type PieceKind = 'undecided' | 'spaced' | 'unspaced'

/**
 * A token with Han, kana, Hangul or a Southeast Asian script, walked once by code point:
 * - Han, kana, Hangul: the overlapping character bigrams of each run of adjacent CJK characters,
 *   and a lone CJK character as a unigram, as Lucene's CJKBigramFilter (behind its CJKAnalyzer and
 *   Elasticsearch's `cjk` analyzer). A query word then matches inside a longer compound, and no
 *   dictionary is needed: Intl.Segmenter was over half the analysis time of Chinese and Japanese,
 *   and the words it found (indexed next to the bigrams before) made ~28% more index terms;
 * - Thai, Lao, Khmer, Myanmar: Intl.Segmenter's dictionary words;
 * - anything else inside the token ("Redis" in "Redis是内存键值存储"): as a word of its own script.
 * Digits and marks stay with the non-CJK piece they are in and end a CJK run ("2024年" → "2024", "年").
 */
function addSpecial(token: string, language: LoadedLanguage, terms: string[], missing: Set<LanguageCode>): void {
  // No closures here: this runs once per Korean word, and tsx (which runs `npm run eval`) wraps
  // each closure it creates in a naming helper that costs more than the bigrams.
  // The current CJK run: where its last character starts (-1: no run), and its length.
  let last = -1
  let run = 0
  // The current non-CJK piece: where it starts (-1: none), and its kind.
  let piece = -1
  let kind: PieceKind = 'undecided'
  for (let i = 0; i < token.length;) {
    const code = token.codePointAt(i)!
    const next = code > 0xffff ? i + 2 : i + 1
    const script = scriptOf(code)
    if (isCjk(script)) {
      if (piece >= 0) addPiece(token, piece, i, kind, language, terms, missing)
      piece = -1
      if (last >= 0) terms.push(token.slice(last, next))
      last = i
      run++
    } else {
      if (run === 1) terms.push(token.slice(last, i))
      last = -1
      run = 0
      const own: PieceKind =
        script === 'common' ? 'undecided' : script === 'thai' || script === 'southeast-asian' ? 'unspaced' : 'spaced'
      if (piece >= 0 && kind !== 'undecided' && own !== 'undecided' && own !== kind) {
        // "ภาษาThai": a Thai piece, then a Latin one.
        addPiece(token, piece, i, kind, language, terms, missing)
        piece = -1
      }
      // The tokenizer keeps '.', apostrophes and commas inside a word ("u.s"): not at a piece's start.
      if (piece < 0 && isJoiner(code)) {
        i = next
        continue
      }
      if (piece < 0) {
        piece = i
        kind = own
      } else if (kind === 'undecided') kind = own
    }
    i = next
  }
  if (run === 1) terms.push(token.slice(last))
  if (piece >= 0) addPiece(token, piece, token.length, kind, language, terms, missing)
}

/** '.', apostrophes and commas: inside a word for the tokenizer, but no word of their own. */
function isJoiner(code: number): boolean {
  return code === 0x2e || code === 0x27 || code === 0x2019 || code === 0x2c
}

/**
 * The piece `token[start, end)` that is not CJK, without the joiners it ends with ("東京.大阪"):
 * dictionary words for Thai and its neighbours, else one word.
 */
function addPiece(
  token: string,
  start: number,
  end: number,
  kind: PieceKind,
  language: LoadedLanguage,
  terms: string[],
  missing: Set<LanguageCode>,
): void {
  while (end > start && isJoiner(token.charCodeAt(end - 1))) end--
  if (end === start) return
  const piece = token.slice(start, end)
  if (kind !== 'unspaced') {
    addWord(piece, scriptOfWord(piece), language, terms, missing)
    return
  }
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' })
  for (const { segment, isWordLike } of segmenter.segment(piece)) {
    if (!isWordLike) continue
    const script = scriptOfWord(segment)
    // Thai, Lao, Khmer and Myanmar have no case: their words are indexed as they are.
    if (script === 'thai' || script === 'southeast-asian') {
      if (segment.length <= MAX_TOKEN_LENGTH) terms.push(segment)
    } else addWord(segment, script, language, terms, missing)
  }
}

// The languages createSearch can analyse: for each, the script it is written in, its normaliser,
// stop words and stemmer. Stemmers and stop words other than English are loaded on first use
// (dynamic imports, so a bundler puts each language in its own small chunk and an English-only
// page downloads none of them).
//
// Stemmers: @orama/stemmers, the Snowball project's stemmers compiled to JavaScript (ESM, typed,
// one entry per language, 0.2-3 kB gzip each). Stop words: @orama/stopwords, the Snowball lists
// for most languages (the lists Lucene's analyzers also use). English keeps Lucene's
// EnglishAnalyzer setup (33 stop words, Porter's stemmer from the `stemmer` package) so BM25
// figures measured before languages existed do not move.

import { stemmer as porter } from 'stemmer'
import { STOP_WORDS } from '../analyzer.js'
import { elision, lowercase, normalizeArabic, normalizeEnglish, normalizeGreek, normalizeTurkish } from './normalize.js'
import type { Script } from './scripts.js'

type Module<K extends string, T> = Promise<Record<K, T>>
type StemmerModule = Module<'stemmer', (word: string) => string>
type StopWordsModule = Module<'stopwords', readonly string[]>

interface LanguageEntry {
  name: string
  script: Script
  /** Lowercasing and normalisation; the root locale's lowercase when absent. */
  normalize?: (word: string) => string
  stemmer?: () => StemmerModule
  stopWords?: () => StopWordsModule
}

// prettier-ignore
const CATALOG = {
  en: { name: 'English', script: 'latin', normalize: normalizeEnglish },
  de: { name: 'German', script: 'latin', stemmer: () => import('@orama/stemmers/german'), stopWords: () => import('@orama/stopwords/german') },
  fr: {
    name: 'French', script: 'latin',
    normalize: elision(['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu']),
    stemmer: () => import('@orama/stemmers/french'), stopWords: () => import('@orama/stopwords/french'),
  },
  es: { name: 'Spanish', script: 'latin', stemmer: () => import('@orama/stemmers/spanish'), stopWords: () => import('@orama/stopwords/spanish') },
  it: {
    name: 'Italian', script: 'latin',
    normalize: elision(['c', 'l', 'all', 'dall', 'dell', 'nell', 'sull', 'coll', 'pell', 'gl', 'agl', 'dagl', 'degl', 'negl', 'sugl', 'un', 'm', 't', 's', 'v', 'd']),
    stemmer: () => import('@orama/stemmers/italian'), stopWords: () => import('@orama/stopwords/italian'),
  },
  pt: { name: 'Portuguese', script: 'latin', stemmer: () => import('@orama/stemmers/portuguese'), stopWords: () => import('@orama/stopwords/portuguese') },
  nl: { name: 'Dutch', script: 'latin', stemmer: () => import('@orama/stemmers/dutch'), stopWords: () => import('@orama/stopwords/dutch') },
  sv: { name: 'Swedish', script: 'latin', stemmer: () => import('@orama/stemmers/swedish'), stopWords: () => import('@orama/stopwords/swedish') },
  no: { name: 'Norwegian', script: 'latin', stemmer: () => import('@orama/stemmers/norwegian'), stopWords: () => import('@orama/stopwords/norwegian') },
  da: { name: 'Danish', script: 'latin', stemmer: () => import('@orama/stemmers/danish'), stopWords: () => import('@orama/stopwords/danish') },
  fi: { name: 'Finnish', script: 'latin', stemmer: () => import('@orama/stemmers/finnish'), stopWords: () => import('@orama/stopwords/finnish') },
  hu: { name: 'Hungarian', script: 'latin', stemmer: () => import('@orama/stemmers/hungarian'), stopWords: () => import('@orama/stopwords/hungarian') },
  ro: { name: 'Romanian', script: 'latin', stemmer: () => import('@orama/stemmers/romanian'), stopWords: () => import('@orama/stopwords/romanian') },
  tr: { name: 'Turkish', script: 'latin', normalize: normalizeTurkish, stemmer: () => import('@orama/stemmers/turkish'), stopWords: () => import('@orama/stopwords/turkish') },
  id: { name: 'Indonesian', script: 'latin', stemmer: () => import('@orama/stemmers/indonesian'), stopWords: () => import('@orama/stopwords/indonesian') },
  ga: { name: 'Irish', script: 'latin', normalize: elision(['d', 'm', 'b']), stemmer: () => import('@orama/stemmers/irish'), stopWords: () => import('@orama/stopwords/irish') },
  lt: { name: 'Lithuanian', script: 'latin', stemmer: () => import('@orama/stemmers/lithuanian'), stopWords: () => import('@orama/stopwords/lithuanian') },
  ru: { name: 'Russian', script: 'cyrillic', stemmer: () => import('@orama/stemmers/russian'), stopWords: () => import('@orama/stopwords/russian') },
  uk: { name: 'Ukrainian', script: 'cyrillic', stemmer: () => import('@orama/stemmers/ukrainian'), stopWords: () => import('@orama/stopwords/ukrainian') },
  bg: { name: 'Bulgarian', script: 'cyrillic', stemmer: () => import('@orama/stemmers/bulgarian'), stopWords: () => import('@orama/stopwords/bulgarian') },
  el: { name: 'Greek', script: 'greek', normalize: normalizeGreek, stemmer: () => import('@orama/stemmers/greek'), stopWords: () => import('@orama/stopwords/greek') },
  hy: { name: 'Armenian', script: 'armenian', stemmer: () => import('@orama/stemmers/armenian'), stopWords: () => import('@orama/stopwords/armenian') },
  ar: { name: 'Arabic', script: 'arabic', normalize: (w: string) => normalizeArabic(w), stemmer: () => import('@orama/stemmers/arabic'), stopWords: () => import('@orama/stopwords/arabic') },
  hi: { name: 'Hindi', script: 'devanagari', stemmer: () => import('@orama/stemmers/indian'), stopWords: () => import('@orama/stopwords/indian') },
  ne: { name: 'Nepali', script: 'devanagari', stemmer: () => import('@orama/stemmers/nepali'), stopWords: () => import('@orama/stopwords/nepali') },
  ta: { name: 'Tamil', script: 'tamil', stemmer: () => import('@orama/stemmers/tamil'), stopWords: () => import('@orama/stopwords/tamil') },
  // CJK: character bigrams; Thai: Intl.Segmenter's dictionary words (see ./analysis.ts).
  // No stop words: Lucene's CJKAnalyzer has none for these languages, and BM25's IDF already
  // weighs 的 or は next to nothing.
  zh: { name: 'Chinese', script: 'han' },
  ja: { name: 'Japanese', script: 'kana' },
  ko: { name: 'Korean', script: 'hangul' },
  th: { name: 'Thai', script: 'thai' },
  // Any other script: words lowercased, nothing dropped or stemmed (Lucene's StandardAnalyzer, no stop words).
  standard: { name: 'Standard (no stemming)', script: 'other' },
} as const satisfies Record<string, LanguageEntry>

/** A language code createSearch analyses (ISO 639-1), or `'standard'`. */
export type LanguageCode = keyof typeof CATALOG

/** Every code in {@link LanguageCode}, in the catalog's order. */
export const LANGUAGE_CODES = Object.keys(CATALOG) as LanguageCode[]

/** The catalog entry of `code`. */
export function languageEntry(code: LanguageCode): LanguageEntry {
  return CATALOG[code]
}

/** A language ready to analyse words synchronously: its stemmer and stop words are loaded. */
export interface LoadedLanguage {
  code: LanguageCode
  script: Script
  normalize: (word: string) => string
  stopWords: ReadonlySet<string>
  stem: (word: string) => string
}

const ENGLISH: LoadedLanguage = {
  code: 'en',
  script: 'latin',
  normalize: normalizeEnglish,
  stopWords: STOP_WORDS,
  stem: porter,
}

const identity = (word: string): string => word

/**
 * A stemmer with a memo of its recent words. The Snowball stemmers run 2-5× slower than Porter's
 * (Greek, Arabic most), and word frequencies are Zipfian, so most calls are repeats; the memo is
 * dropped when it reaches 50,000 words (~2-4 MB) to stay bounded.
 */
function cached(stem: (word: string) => string): (word: string) => string {
  let memo = new Map<string, string>()
  return (word) => {
    let stemmed = memo.get(word)
    if (stemmed === undefined) {
      if (memo.size >= 50_000) memo = new Map()
      stemmed = stem(word)
      memo.set(word, stemmed)
    }
    return stemmed
  }
}
const loaded = new Map<LanguageCode, LoadedLanguage>([['en', ENGLISH]])
const loading = new Map<LanguageCode, Promise<LoadedLanguage>>()

/** The loaded language `code`, or undefined until {@link loadLanguage} has resolved for it. */
export function loadedLanguage(code: LanguageCode): LoadedLanguage | undefined {
  return loaded.get(code)
}

/** Loads `code`'s stemmer and stop words once; concurrent calls share one load. */
export function loadLanguage(code: LanguageCode): Promise<LoadedLanguage> {
  const ready = loaded.get(code)
  if (ready) return Promise.resolve(ready)
  let promise = loading.get(code)
  if (!promise) {
    const entry: LanguageEntry = CATALOG[code]
    const normalize = entry.normalize ?? lowercase
    promise = Promise.all([entry.stemmer?.(), entry.stopWords?.()]).then(([stemmer, stop]) => {
      const language: LoadedLanguage = {
        code,
        script: entry.script,
        normalize,
        // The lists are written like the words they meet after normalisation, mostly; normalise
        // them too so e.g. Arabic entries with harakat still match.
        stopWords: new Set((stop?.stopwords ?? []).map(normalize)),
        stem: stemmer ? cached(stemmer.stemmer) : identity,
      }
      loaded.set(code, language)
      return language
    })
    // A failed load (e.g. a chunk that did not download) may be retried by a later call.
    promise.catch(() => loading.delete(code))
    loading.set(code, promise)
  }
  return promise
}

/** Languages written in `script`, in catalog order (the first is the script's default). */
export function languagesOf(script: Script): LanguageCode[] {
  return LANGUAGE_CODES.filter((code) => CATALOG[code].script === script)
}

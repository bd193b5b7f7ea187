// Which writing system a word is in, from its code points: it decides how the word is analysed
// (dictionary segmentation, character bigrams, or a language's stemmer) and, for `'auto'`, the
// document's language. Plain code-point ranges rather than \p{Script=…} tests: one comparison
// chain per word is several times faster, and these blocks are all the analyzers need.

/** Writing systems the analyzers tell apart. `'common'`: digits and symbols, which belong to none. */
export type Script =
  | 'latin'
  | 'greek'
  | 'cyrillic'
  | 'armenian'
  | 'hebrew'
  | 'arabic'
  | 'devanagari'
  | 'tamil'
  | 'thai'
  | 'southeast-asian'
  | 'hangul'
  | 'kana'
  | 'han'
  | 'common'
  | 'other'

/** The script of one code point. */
export function scriptOf(code: number): Script {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? 'latin' : 'common'
  if (code < 0x250) return code === 0xd7 || code === 0xf7 || code < 0xc0 ? 'common' : 'latin'
  if (code < 0x370) return 'common' // IPA, spacing modifiers and combining marks
  if (code < 0x400) return 'greek'
  if (code < 0x530) return 'cyrillic'
  if (code < 0x590) return 'armenian'
  if (code < 0x600) return 'hebrew'
  if (code < 0x700 || (code >= 0x750 && code < 0x780) || (code >= 0x8a0 && code < 0x900)) return 'arabic'
  if (code >= 0x900 && code < 0x980) return 'devanagari'
  if (code >= 0xb80 && code < 0xc00) return 'tamil'
  if (code >= 0xe00 && code < 0xe80) return 'thai'
  if ((code >= 0xe80 && code < 0xf00) || (code >= 0x1000 && code < 0x10a0) || (code >= 0x1780 && code < 0x1800))
    return 'southeast-asian' // Lao, Myanmar, Khmer: no spaces between words, as Thai
  if (code >= 0x1100 && code < 0x1200) return 'hangul'
  if (code >= 0x1e00 && code < 0x1f00) return 'latin'
  if (code >= 0x1f00 && code < 0x2000) return 'greek'
  if (code >= 0x3040 && code < 0x3100) return 'kana'
  if (code >= 0x3130 && code < 0x3190) return 'hangul'
  if (code >= 0x31f0 && code < 0x3200) return 'kana'
  if ((code >= 0x3400 && code < 0x4dc0) || (code >= 0x4e00 && code < 0xa000) || (code >= 0xf900 && code < 0xfb00))
    return 'han'
  if (code >= 0xac00 && code < 0xd7b0) return 'hangul'
  if ((code >= 0xfb50 && code < 0xfe00) || (code >= 0xfe70 && code < 0xff00)) return 'arabic'
  if (code >= 0xff66 && code < 0xffa0) return 'kana' // halfwidth katakana
  if (code >= 0x20000 && code < 0x40000) return 'han'
  return 'other'
}

/** The script of a word: that of its first character that has one (`'common'` for "2024"). */
export function scriptOfWord(word: string): Script {
  for (let i = 0; i < word.length; i++) {
    const code = word.codePointAt(i)!
    const script = scriptOf(code)
    if (script !== 'common') return script
    if (code > 0xffff) i++
  }
  return 'common'
}

/** Han, kana and Hangul: indexed as character bigrams, like Lucene's CJKAnalyzer. */
export function isCjk(script: Script): boolean {
  return script === 'han' || script === 'kana' || script === 'hangul'
}

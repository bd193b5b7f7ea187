// Per-language lowercasing and character normalisation, applied before stop words and stemming.
// Each follows the filter Lucene's analyzer for that language runs; the Snowball stemmers do the
// rest (German ß and umlauts, Spanish and Portuguese accents are folded inside the stemmer).

/** Lowercase with the root locale (Lucene's LowerCaseFilter). */
export const lowercase = (word: string): string => word.toLowerCase()

/**
 * Lucene's ArabicNormalizer, less one fold: drop tatweel and harakat (fathatan … sukun,
 * superscript alef), fold alef with hamza or madda (أ إ آ) to bare alef, alef maksura (ى) to yeh.
 * Teh marbuta (ة) stays: Lucene folds it to heh for its own light stemmer, but the Snowball
 * stemmer that follows here takes ة off as a suffix and keeps a final ه, so after that fold
 * القاهرة and قاهرة stemmed apart (قاهره vs قاهر) and the bare form never found the other.
 */
export function normalizeArabic(word: string): string {
  return (
    word
      // "and/so/like the" (وال فال كال) before a word: the Snowball stemmer keeps و, ف or ك before
      // ال, so والمدرسة would never meet المدرسة; Lucene's light stemmer strips them too.
      .replace(/^[\u0648\u0641\u0643](?=\u0627\u0644.{2})/, '')
      // Tatweel, then the harakat as alternatives: a character class of combining marks trips lint.
      .replace(/\u0640|\u064b|\u064c|\u064d|\u064e|\u064f|\u0650|\u0651|\u0652|\u0670/g, '')
      .replace(/[\u0622\u0623\u0625]/g, '\u0627')
      .replace(/\u0649/g, '\u064a')
  )
}

/** Lucene's GreekLowerCaseFilter: lowercase, drop tonos and dialytika, final sigma ς → σ. */
export function normalizeGreek(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ς/g, 'σ')
}

/**
 * Lucene's TurkishLowerCaseFilter (dotted İ → i, dotless I → ı) and ApostropheFilter, which drops
 * the suffix after an apostrophe in proper names: "İstanbul'da" → "istanbul".
 */
export function normalizeTurkish(word: string): string {
  return word.toLocaleLowerCase('tr').replace(/['\u2019].*$/, '')
}

/** Lucene's ElisionFilter: drops an elided article or pronoun, "l'avion" → "avion". */
export function elision(articles: readonly string[]): (word: string) => string {
  const pattern = new RegExp(`^(?:${articles.join('|')})['\u2019]`)
  return (word) => word.toLowerCase().replace(pattern, '')
}

/** Lucene's EnglishPossessiveFilter after lowercasing: "runner's" → "runner". */
export function normalizeEnglish(word: string): string {
  return word.toLowerCase().replace(/['\u2019]s$/, '')
}

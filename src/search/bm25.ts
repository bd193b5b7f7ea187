// The BM25 first stage: a MiniSearch index configured to score plain BM25 (Lucene's formula).
// MiniSearch over Orama: it is a small (~7 kB gzip), dependency-free inverted index with BM25
// scoring whose tokenizer and term processing we can replace whole; Orama is a larger
// database-style engine (schemas, vectors, plugins) whose extra weight buys nothing here.

import MiniSearch from 'minisearch'
import { isCjk, scriptOfWord } from './languages/scripts.js'

/** One BM25 match: the document's position in the index and its BM25 score. */
export interface Bm25Hit {
  index: number
  score: number
}

interface IndexedDocument {
  index: number
  content: string
}

/**
 * BM25 over one `content` field (title and text joined, as Anserini's "flat" BEIR indexes).
 *
 * Where MiniSearch departs from Lucene and what we do about it:
 * - It scores BM25+ by default (δ = 0.5); `d: 0` gives plain BM25. Its IDF is Lucene's,
 *   ln(1 + (N − n + 0.5) / (n + 0.5)).
 * - It multiplies each score by the number of distinct query terms matched (a "coordination"
 *   boost); {@link Bm25Index.search} divides it back out and re-sorts.
 * - It takes a document's length to be its number of *distinct* terms, not of terms, for the
 *   length normalization. Not configurable; it shifts scores slightly (see docs/eval.md).
 */
export class Bm25Index {
  private readonly mini: MiniSearch<IndexedDocument>

  constructor(params: { k1: number; b: number }) {
    this.mini = new MiniSearch<IndexedDocument>({
      idField: 'index',
      fields: ['content'],
      // Documents and queries arrive analysed (the analyzer depends on their language), as terms
      // joined by spaces (no term holds whitespace), so MiniSearch's field length counts analysed
      // terms (stop words out) as Lucene's does; `processTerm` must then leave terms alone.
      tokenize: (terms) => (terms === '' ? [] : terms.split(' ')),
      processTerm: (term) => term,
      searchOptions: { bm25: { k: params.k1, b: params.b, d: 0 }, combineWith: 'OR', prefix: false, fuzzy: false },
    })
  }

  get size(): number {
    return this.mini.documentCount
  }

  /** Adds a document by its analysed terms. */
  add(index: number, terms: readonly string[]): void {
    this.mini.add({ index, content: terms.join(' ') })
  }

  /** Removes documents again (used to roll back an aborted add) and cleans the index, so IDFs are exact. */
  async remove(indexes: number[]): Promise<void> {
    this.mini.discardAll(indexes)
    await this.mini.vacuum()
  }

  /**
   * The best `limit` documents for the analysed `terms` of a query, highest BM25 first; ties keep
   * the order documents were added. CJK text is indexed as bigrams (and lone characters), so a
   * question sharing no bigram with a document ("什么是猫" and "猫很可爱") would miss it: when the
   * terms find fewer than `limit` documents, the query's CJK characters are searched too, and the
   * documents only they find follow, scored below the last whole-term match.
   */
  search(terms: readonly string[], limit: number): Bm25Hit[] {
    const hits = this.run(terms)
    const characters = cjkCharacters(terms)
    if (hits.length >= limit || characters.length === 0) return hits.slice(0, limit)
    // The documents left match none of `terms` (a one-character term's prefix matches are in
    // `hits` already), so the characters alone score them as the whole query would.
    const found = new Set(hits.map((hit) => hit.index))
    const more = this.run(characters).filter((hit) => !found.has(hit.index))
    const floor = hits.at(-1)?.score
    const top = more[0]?.score
    // Scaled, not clamped, so the character matches keep their own order.
    const scale = floor !== undefined && top !== undefined && top >= floor ? (0.999 * floor) / top : 1
    return [...hits, ...more.map((hit) => ({ index: hit.index, score: hit.score * scale }))].slice(0, limit)
  }

  /**
   * MiniSearch's BM25 for `terms`, best first. A one-character CJK term is also a prefix (猫 finds
   * 猫は) at MiniSearch's prefix weight (0.375), so whole-term matches still rank first.
   */
  private run(terms: readonly string[]): Bm25Hit[] {
    const hits = this.mini.search(terms.join(' '), { prefix: isLoneCjk }).map((r) => ({
      index: r.id as number,
      score: r.score / r.queryTerms.length,
    }))
    return hits.sort((a, b) => b.score - a.score || a.index - b.index)
  }
}

/** One Han, kana or Hangul character (one code point). */
function isLoneCjk(term: string): boolean {
  const code = term.codePointAt(0)
  return code !== undefined && term.length === (code > 0xffff ? 2 : 1) && isCjk(scriptOfWord(term))
}

/**
 * The characters of a query's CJK bigrams that are not terms already, once each; not hiragana,
 * which writes Japanese particles and endings (は, が, い): alone they match nearly every
 * document, and outvoted the kanji that carries the meaning (猫 in 猫はかわいい).
 */
function cjkCharacters(terms: readonly string[]): string[] {
  const seen = new Set(terms)
  const extra: string[] = []
  for (const term of terms) {
    const characters = Array.from(term)
    if (characters.length < 2 || !characters.every((c) => isCjk(scriptOfWord(c)))) continue
    for (const c of characters) {
      if (seen.has(c) || HIRAGANA.test(c)) continue
      seen.add(c)
      extra.push(c)
    }
  }
  return extra
}

const HIRAGANA = /^[\u3040-\u309f]$/

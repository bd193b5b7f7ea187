// createSearch: documents in a BM25 index, queries answered by BM25 then (optionally) a
// cross-encoder, in the /v1/rerank response shape.

import { responseId } from '../api/response.js'
import { describe, fail, oneOf, optionalBoolean, positiveInteger, refuseUnknownKeys } from '../api/validate.js'
import { raceAbort, throwIfAborted } from '../util/abort.js'
import { SerialQueue } from '../util/serial.js'
import { Bm25Index, type Bm25Hit } from './bm25.js'
import { SEARCH_DEFAULTS } from './defaults.js'
import { analyzeIn } from './languages/analysis.js'
import { LANGUAGE_CODES, languageEntry, type LanguageCode } from './languages/catalog.js'
import { detect, detectLanguage, type Detection } from './languages/detect.js'
import type {
  AddOptions,
  QueryOptions,
  RerankerLike,
  Search,
  SearchDocumentInput,
  SearchLanguage,
  SearchOptions,
  SearchResponse,
  SearchResult,
} from './types.js'

interface StoredDocument {
  id: string
  text: string
  title?: string
  /** Given with the document; otherwise the search's language or, for 'auto', the detected one. */
  language?: LanguageCode
}

const SEARCH_LANGUAGES: readonly SearchLanguage[] = ['auto', ...LANGUAGE_CODES]

/** Share of a script's documents a language needs for an undecided query to be analysed in it too. */
const QUERY_LANGUAGE_SHARE = 0.1

/**
 * Creates an empty in-memory search: BM25 (k1 = 0.9, b = 0.4) over title + text analysed in each
 * document's language (`language`, default `'auto'`: English text gets Lucene's English analysis,
 * Porter stemming and its 33 stop words, as before languages existed), then the `reranker`, when
 * given, on the top candidates.
 *
 * @example
 * const search = createSearch({ reranker: await createReranker() })
 * await search.add([
 *   { id: 'a', title: 'Paris', text: 'Paris is the capital of France.' },
 *   { id: 'b', title: 'Berlin', text: 'Berlin is the capital of Germany.' },
 *   'France borders Spain.',
 * ])
 * const bm25 = await search.query('capital of France', { topN: 2, rerank: false })
 * // bm25.model: 'bm25', bm25.results:
 * // [{ index: 0, id: 'a', relevance_score: 1, first_stage: { rank: 1, score: 0.9400, analyzer: 'en' },
 * //    document: { text: 'Paris is the capital of France.', title: 'Paris' } },
 * //  { index: 1, id: 'b', relevance_score: 0.5, first_stage: { rank: 2, score: 0.4700, analyzer: 'en' },
 * //    document: { text: 'Berlin is the capital of Germany.', title: 'Berlin' } }]
 * const reranked = await search.query('capital of France', { topN: 1 })
 * // reranked.model: 'Xenova/ms-marco-MiniLM-L-6-v2', reranked.results:
 * // [{ index: 0, id: 'a', relevance_score: <the cross-encoder's 0..1 score>, first_stage: { rank: 1, score: 0.9400, analyzer: 'en' },
 * //    document: { text: 'Paris is the capital of France.', title: 'Paris' } }]
 */
export function createSearch(options: SearchOptions = {}): Search {
  return new InMemorySearch(resolveSearchOptions(options), options.reranker)
}

interface ResolvedSearchOptions {
  k1: number
  b: number
  maxPerCall: number
  chunkSize: number
  language: SearchLanguage
}

class InMemorySearch implements Search {
  private readonly index: Bm25Index
  private readonly documents: StoredDocument[] = []
  /** The language each document was analysed in, by index. */
  private readonly analyzers: LanguageCode[] = []
  /** Documents per analysis language: the candidates when a query's language is detected. */
  private readonly languages = new Map<LanguageCode, number>()
  private readonly ids = new Set<string>()
  // add() calls run one after another, and queries wait for them, so a query never sees half an add.
  private readonly adds = new SerialQueue()

  constructor(
    private readonly options: ResolvedSearchOptions,
    private readonly reranker: RerankerLike | undefined,
  ) {
    this.index = new Bm25Index({ k1: options.k1, b: options.b })
  }

  get size(): number {
    return this.documents.length
  }

  add(inputs: SearchDocumentInput[], options: AddOptions = {}): Promise<void> {
    if (!Array.isArray(inputs)) return Promise.reject(fail('invalid_documents', 'documents must be an array.'))
    return this.adds.run(() => this.addNow(inputs, options))
  }

  async query(query: string, options: QueryOptions = {}): Promise<SearchResponse> {
    const resolved = resolveQueryOptions(query, options)
    await raceAbort(this.adds.idle(), options.signal)
    throwIfAborted(resolved.signal)
    const terms = await this.queryTerms(query, resolved.language ?? this.options.language)
    throwIfAborted(resolved.signal)
    const hits = this.index.search(terms, resolved.candidates)
    const reranker = resolved.rerank ? this.reranker : undefined
    if (!reranker || hits.length === 0) return this.bm25Response(hits, resolved)
    return this.rerankedResponse(query, hits, reranker, resolved)
  }

  private async addNow(inputs: SearchDocumentInput[], options: AddOptions): Promise<void> {
    const { chunkSize } = this.options
    const start = this.documents.length
    const batch = toStoredDocuments(inputs, start, this.ids)
    throwIfAborted(options.signal)
    const languages = await this.batchLanguages(batch, options.signal)
    // Our own loop rather than MiniSearch's addAllAsync: the same chunks-and-setTimeout(0) scheme,
    // plus progress, abort and rollback, for which addAllAsync has no hook.
    try {
      for (let from = 0; from < batch.length; from += chunkSize) {
        // Yield first, so even the first chunk does not run inside the caller's task.
        await new Promise((resolve) => setTimeout(resolve, 0))
        throwIfAborted(options.signal)
        for (let i = from; i < Math.min(from + chunkSize, batch.length); i++) {
          const doc = batch[i]!
          const text = passage(doc)
          const language = languages[i]!
          // Only microtasks (language loads are cached after the first), so a chunk is still one task.
          this.index.add(start + i, await analyzeIn(text, language))
          this.documents.push(doc)
          this.analyzers.push(language)
          this.languages.set(language, (this.languages.get(language) ?? 0) + 1)
          this.ids.add(doc.id)
        }
        options.onProgress?.({ indexed: Math.min(from + chunkSize, batch.length), total: batch.length })
      }
    } catch (err) {
      // All or nothing: take back this call's documents so the index is as before the call.
      const added = this.documents.splice(start)
      for (const doc of added) this.ids.delete(doc.id)
      for (const language of this.analyzers.splice(start))
        this.languages.set(language, this.languages.get(language)! - 1)
      if (added.length > 0) await this.index.remove(added.map((_, i) => start + i))
      throw err
    }
  }

  /**
   * Each document's analysis language: its own, the search's, or detected for 'auto'. A document
   * too short to decide takes the language its one stop word points to ("Houses and trees":
   * English) when the index or batch holds that language, else its script's most common decided
   * language among them, so a German page's short paragraphs are analysed as
   * German rather than as the script's default, English. Detection is chunked like
   * indexing, so a large batch never holds the thread.
   */
  private async batchLanguages(batch: readonly StoredDocument[], signal?: AbortSignal): Promise<LanguageCode[]> {
    const { chunkSize, language: setting } = this.options
    const detected: Detection[] = []
    for (let from = 0; from < batch.length; from += chunkSize) {
      await new Promise((resolve) => setTimeout(resolve, 0))
      throwIfAborted(signal)
      for (const doc of batch.slice(from, from + chunkSize)) {
        const own = doc.language ?? (setting === 'auto' ? undefined : setting)
        detected.push(own ? { language: own, decided: true } : await detect(passage(doc)))
      }
    }
    const counts = new Map<string, Map<LanguageCode, number>>()
    const count = (code: LanguageCode, n: number): void => {
      const { script } = languageEntry(code)
      const perScript = counts.get(script) ?? new Map<LanguageCode, number>()
      perScript.set(code, (perScript.get(code) ?? 0) + n)
      counts.set(script, perScript)
    }
    for (const [code, n] of this.languages) if (n > 0) count(code, n)
    for (const d of detected) if (d.decided) count(d.language, 1)
    // A document's own hint (one stop word: "Houses and trees") counts when the corpus holds that
    // language; otherwise ("cat dog", "cat" being Romanian) the script's majority decides.
    return detected.map((d) => {
      if (d.decided) return d.language
      const perScript = counts.get(languageEntry(d.language).script)
      if (d.hint && perScript?.has(d.hint)) return d.hint
      return clearMajority(perScript) ?? d.language
    })
  }

  /**
   * A query's terms. 'auto' detects the language among those the index holds; when the query is
   * too short to tell (no or tied stop words: "Rechnungen"), it is analysed in each language of
   * its script that holds at least 10% of the index's documents in that script, most documents
   * first, and the terms merged (a term the languages share counts once), so "Rechnungen" finds
   * German documents by the German stem and English ones by the English.
   */
  private async queryTerms(query: string, setting: SearchLanguage): Promise<string[]> {
    if (setting !== 'auto') return analyzeIn(query, setting)
    // Only languages with a real share of the index count: a few stray French passages in an
    // English corpus must neither make English queries French nor add French stems to them.
    const perScript = new Map<string, number>()
    for (const [code, n] of this.languages) {
      const { script } = languageEntry(code)
      perScript.set(script, (perScript.get(script) ?? 0) + n)
    }
    const major = [...this.languages]
      .filter(([code, n]) => n > 0 && n >= QUERY_LANGUAGE_SHARE * perScript.get(languageEntry(code).script)!)
      .sort((a, b) => b[1] - a[1])
      .map(([code]) => code)
    const { language, decided } = await detectLanguage(query, new Set(major))
    if (decided) return analyzeIn(query, language)
    const { script } = languageEntry(language)
    const [first = language, ...others] = major.filter((code) => languageEntry(code).script === script)
    const terms = await analyzeIn(query, first)
    const seen = new Set(terms)
    for (const code of others) {
      const extra = (await analyzeIn(query, code)).filter((term) => !seen.has(term))
      terms.push(...extra)
      for (const term of extra) seen.add(term)
    }
    return terms
  }

  /** BM25 alone, max-normalised: the top hit gets 1. BM25 has no absolute scale, so nothing better is honest. */
  private bm25Response(hits: Bm25Hit[], options: ResolvedQueryOptions): SearchResponse {
    const top = hits[0]?.score ?? 1
    return {
      id: responseId(),
      model: 'bm25',
      results: hits.slice(0, options.topN).map((hit, i) => this.toResult(hit, i + 1, hit.score / top, options)),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    }
  }

  /** The candidates reranked, in calls of at most `maxPerCall` documents. */
  private async rerankedResponse(
    query: string,
    hits: Bm25Hit[],
    reranker: RerankerLike,
    options: ResolvedQueryOptions,
  ): Promise<SearchResponse> {
    const { signal } = options
    const { maxPerCall } = this.options
    const passages = hits.map((hit) => passage(this.documents[hit.index]!))
    const scores = new Array<number>(hits.length).fill(0)
    let id = ''
    let model = ''
    let tokens = 0
    for (let from = 0; from < hits.length; from += maxPerCall) {
      throwIfAborted(signal)
      const slice = passages.slice(from, from + maxPerCall)
      const response = await reranker.rerank(query, slice, { returnDocuments: false, ...(signal ? { signal } : {}) })
      for (const r of response.results) scores[from + r.index] = r.relevance_score
      id ||= response.id
      model ||= response.model
      tokens += response.usage.total_tokens
    }
    // Ties keep BM25 order, as the reranker's own sort keeps input order.
    const order = hits.map((_, i) => i).sort((x, y) => scores[y]! - scores[x]! || x - y)
    return {
      id,
      model,
      results: order.slice(0, options.topN).map((i) => this.toResult(hits[i]!, i + 1, scores[i]!, options)),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }
  }

  private toResult(hit: Bm25Hit, rank: number, relevance: number, options: ResolvedQueryOptions): SearchResult {
    const doc = this.documents[hit.index]!
    const result: SearchResult = {
      index: hit.index,
      id: doc.id,
      relevance_score: relevance,
      first_stage: { rank, score: hit.score, analyzer: this.analyzers[hit.index]! },
    }
    if (options.returnDocuments) {
      result.document = doc.title === undefined ? { text: doc.text } : { text: doc.text, title: doc.title }
    }
    return result
  }
}

/** What the reranker reads for a document: title and text joined by a space, as BEIR does. */
function passage(doc: StoredDocument): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text
}

/** createSearch's options with defaults applied and checked, once. */
// Every option name, to refuse a misspelt one (`top_n`) rather than ignore it.
const SEARCH_OPTION_NAMES: readonly (keyof SearchOptions)[] = [
  'reranker',
  'bm25',
  'language',
  'maxDocumentsPerCall',
  'chunkSize',
]
const QUERY_OPTION_NAMES: readonly (keyof QueryOptions)[] = [
  'candidates',
  'topN',
  'rerank',
  'returnDocuments',
  'language',
  'signal',
]

function resolveSearchOptions(options: SearchOptions): ResolvedSearchOptions {
  refuseUnknownKeys(options, SEARCH_OPTION_NAMES, 'option', 'createSearch: ')
  const k1 = options.bm25?.k1 ?? SEARCH_DEFAULTS.bm25.k1
  const b = options.bm25?.b ?? SEARCH_DEFAULTS.bm25.b
  if (!(k1 > 0) || !(b >= 0 && b <= 1))
    throw fail('invalid_request', 'bm25.k1 must be positive and bm25.b within 0..1.')
  return {
    k1,
    b,
    maxPerCall:
      positiveInteger(options.maxDocumentsPerCall, 'maxDocumentsPerCall') ?? SEARCH_DEFAULTS.maxDocumentsPerCall,
    chunkSize: positiveInteger(options.chunkSize, 'chunkSize') ?? SEARCH_DEFAULTS.chunkSize,
    language: oneOf(options.language, SEARCH_LANGUAGES, 'language') ?? SEARCH_DEFAULTS.language,
  }
}

interface ResolvedQueryOptions {
  /** Undefined: the search's. */
  language?: SearchLanguage
  candidates: number
  topN: number
  rerank: boolean
  returnDocuments: boolean
  signal?: AbortSignal
}

/** A query's options with defaults applied and checked, once. */
function resolveQueryOptions(query: unknown, options: QueryOptions): ResolvedQueryOptions {
  if (typeof query !== 'string' || query.trim() === '') throw fail('empty_query', 'query must be a non-empty string.')
  refuseUnknownKeys(options, QUERY_OPTION_NAMES, 'query option')
  const language = oneOf(options.language, SEARCH_LANGUAGES, 'language')
  return {
    ...(language === undefined ? {} : { language }),
    candidates: positiveInteger(options.candidates, 'candidates') ?? SEARCH_DEFAULTS.candidates,
    topN: positiveInteger(options.topN, 'topN', 'invalid_top_n') ?? SEARCH_DEFAULTS.topN,
    rerank: optionalBoolean(options.rerank, 'rerank') ?? SEARCH_DEFAULTS.rerank,
    returnDocuments: optionalBoolean(options.returnDocuments, 'returnDocuments') ?? SEARCH_DEFAULTS.returnDocuments,
    ...(options.signal ? { signal: options.signal } : {}),
  }
}

/** Validates every document before any is indexed, so a bad one leaves the index untouched. */
function toStoredDocuments(inputs: SearchDocumentInput[], start: number, ids: ReadonlySet<string>): StoredDocument[] {
  const seen = new Set<string>()
  return inputs.map((input, i) => {
    const doc = toStoredDocument(input, start + i, i)
    if (ids.has(doc.id) || seen.has(doc.id)) {
      throw fail('invalid_documents', `documents[${i}]: id "${doc.id}" is already in use.`)
    }
    seen.add(doc.id)
    return doc
  })
}

function toStoredDocument(input: unknown, position: number, i: number): StoredDocument {
  if (typeof input === 'string') return { id: String(position), text: input }
  if (typeof input === 'object' && input !== null) {
    const { id, text, title, language } = input as { id?: unknown; text?: unknown; title?: unknown; language?: unknown }
    const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string'
    if (language !== undefined && !LANGUAGE_CODES.includes(language as LanguageCode)) {
      throw fail(
        'invalid_documents',
        `documents[${i}]: unknown language ${describe(language)}; use one of ${LANGUAGE_CODES.map((c) => `"${c}"`).join(', ')}.`,
      )
    }
    if (typeof text === 'string' && optionalString(id) && optionalString(title)) {
      const doc: StoredDocument = { id: (id as string | undefined) ?? String(position), text }
      if (title !== undefined) doc.title = title as string
      if (language !== undefined) doc.language = language as LanguageCode
      return doc
    }
  }
  throw fail(
    'invalid_documents',
    `documents[${i}] must be a string or { id?: string, text: string, title?: string, language?: string }.`,
  )
}

/** The language with the most documents, when no other has as many. */
function clearMajority(counts: ReadonlyMap<LanguageCode, number> | undefined): LanguageCode | undefined {
  const ranked = [...(counts ?? [])].sort((a, b) => b[1] - a[1])
  const [first, second] = ranked
  return first && (!second || first[1] > second[1]) ? first[0] : undefined
}

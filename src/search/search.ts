// createSearch: documents in a BM25 index, queries answered by BM25 then (optionally) a
// cross-encoder, in the /v1/rerank response shape.

import { responseId } from '../api/response.js'
import { fail, optionalBoolean, positiveInteger } from '../api/validate.js'
import { raceAbort, throwIfAborted } from '../util/abort.js'
import { SerialQueue } from '../util/serial.js'
import { Bm25Index, type Bm25Hit } from './bm25.js'
import { SEARCH_DEFAULTS } from './defaults.js'
import type {
  AddOptions,
  QueryOptions,
  RerankerLike,
  Search,
  SearchDocumentInput,
  SearchOptions,
  SearchResponse,
  SearchResult,
} from './types.js'

interface StoredDocument {
  id: string
  text: string
  title?: string
}

/**
 * Creates an empty in-memory search: BM25 (Porter stemming, English stop words, k1 = 0.9,
 * b = 0.4) over title + text, then the `reranker`, when given, on the top candidates.
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
 * // [{ index: 0, id: 'a', relevance_score: 1, first_stage: { rank: 1, score: 0.9400 },
 * //    document: { text: 'Paris is the capital of France.', title: 'Paris' } },
 * //  { index: 1, id: 'b', relevance_score: 0.5, first_stage: { rank: 2, score: 0.4700 },
 * //    document: { text: 'Berlin is the capital of Germany.', title: 'Berlin' } }]
 * const reranked = await search.query('capital of France', { topN: 1 })
 * // reranked.model: 'Xenova/ms-marco-MiniLM-L-6-v2', reranked.results:
 * // [{ index: 0, id: 'a', relevance_score: <the cross-encoder's 0..1 score>, first_stage: { rank: 1, score: 0.9400 },
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
}

class InMemorySearch implements Search {
  private readonly index: Bm25Index
  private readonly documents: StoredDocument[] = []
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
    const hits = this.index.search(query, resolved.candidates)
    const reranker = resolved.rerank ? this.reranker : undefined
    if (!reranker || hits.length === 0) return this.bm25Response(hits, resolved)
    return this.rerankedResponse(query, hits, reranker, resolved)
  }

  private async addNow(inputs: SearchDocumentInput[], options: AddOptions): Promise<void> {
    const { chunkSize } = this.options
    const start = this.documents.length
    const batch = toStoredDocuments(inputs, start, this.ids)
    throwIfAborted(options.signal)
    // Our own loop rather than MiniSearch's addAllAsync: the same chunks-and-setTimeout(0) scheme,
    // plus progress, abort and rollback, for which addAllAsync has no hook.
    try {
      for (let from = 0; from < batch.length; from += chunkSize) {
        // Yield first, so even the first chunk does not run inside the caller's task.
        await new Promise((resolve) => setTimeout(resolve, 0))
        throwIfAborted(options.signal)
        for (let i = from; i < Math.min(from + chunkSize, batch.length); i++) {
          const doc = batch[i]!
          this.index.add(start + i, passage(doc))
          this.documents.push(doc)
          this.ids.add(doc.id)
        }
        options.onProgress?.({ indexed: Math.min(from + chunkSize, batch.length), total: batch.length })
      }
    } catch (err) {
      // All or nothing: take back this call's documents so the index is as before the call.
      const added = this.documents.splice(start)
      for (const doc of added) this.ids.delete(doc.id)
      if (added.length > 0) await this.index.remove(added.map((_, i) => start + i))
      throw err
    }
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
      first_stage: { rank, score: hit.score },
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
function resolveSearchOptions(options: SearchOptions): {
  k1: number
  b: number
  maxPerCall: number
  chunkSize: number
} {
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
  }
}

interface ResolvedQueryOptions {
  candidates: number
  topN: number
  rerank: boolean
  returnDocuments: boolean
  signal?: AbortSignal
}

/** A query's options with defaults applied and checked, once. */
function resolveQueryOptions(query: unknown, options: QueryOptions): ResolvedQueryOptions {
  if (typeof query !== 'string' || query.trim() === '') throw fail('empty_query', 'query must be a non-empty string.')
  return {
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
    const { id, text, title } = input as { id?: unknown; text?: unknown; title?: unknown }
    const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string'
    if (typeof text === 'string' && optionalString(id) && optionalString(title)) {
      const doc: StoredDocument = { id: (id as string | undefined) ?? String(position), text }
      if (title !== undefined) doc.title = title as string
      return doc
    }
  }
  throw fail('invalid_documents', `documents[${i}] must be a string or { id?: string, text: string, title?: string }.`)
}

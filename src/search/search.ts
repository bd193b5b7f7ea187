// createSearch: documents in a BM25 index, queries answered by BM25 then (optionally) a
// cross-encoder, in the /v1/rerank response shape.

import { abortError, RerankError, throwIfAborted } from '../api/errors.js'
import { responseId } from '../api/response.js'
import { Bm25Index, type Bm25Hit } from './bm25.js'
import { SEARCH_DEFAULTS } from './defaults.js'
import type {
  AddOptions,
  QueryOptions,
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
  const k1 = options.bm25?.k1 ?? SEARCH_DEFAULTS.bm25.k1
  const b = options.bm25?.b ?? SEARCH_DEFAULTS.bm25.b
  const maxPerCall = options.maxDocumentsPerCall ?? SEARCH_DEFAULTS.maxDocumentsPerCall
  const chunkSize = options.chunkSize ?? SEARCH_DEFAULTS.chunkSize
  if (!(k1 > 0) || !(b >= 0 && b <= 1)) {
    throw new RerankError('invalid_request', 'bm25.k1 must be positive and bm25.b within 0..1.')
  }
  checkPositiveInteger(maxPerCall, 'maxDocumentsPerCall')
  checkPositiveInteger(chunkSize, 'chunkSize')

  const index = new Bm25Index({ k1, b })
  const documents: StoredDocument[] = []
  const ids = new Set<string>()
  // add() calls run one after another, and queries wait for them, so a query never sees half an add.
  let pending: Promise<unknown> = Promise.resolve()

  async function addNow(inputs: SearchDocumentInput[], addOptions: AddOptions): Promise<void> {
    const start = documents.length
    const batch = toStoredDocuments(inputs, start, ids)
    throwIfAborted(addOptions.signal)
    // Our own loop rather than MiniSearch's addAllAsync: the same chunks-and-setTimeout(0) scheme,
    // plus progress, abort and rollback, for which addAllAsync has no hook.
    try {
      for (let from = 0; from < batch.length; from += chunkSize) {
        // Yield first, so even the first chunk does not run inside the caller's task.
        await new Promise((resolve) => setTimeout(resolve, 0))
        throwIfAborted(addOptions.signal)
        for (let i = from; i < Math.min(from + chunkSize, batch.length); i++) {
          const doc = batch[i]!
          index.add(start + i, passage(doc))
          documents.push(doc)
          ids.add(doc.id)
        }
        addOptions.onProgress?.({ indexed: Math.min(from + chunkSize, batch.length), total: batch.length })
      }
    } catch (err) {
      // All or nothing: take back this call's documents so the index is as before the call.
      const added = documents.splice(start)
      for (const doc of added) ids.delete(doc.id)
      if (added.length > 0) await index.remove(added.map((_, i) => start + i))
      throw err
    }
  }

  async function queryNow(query: string, queryOptions: QueryOptions): Promise<SearchResponse> {
    const signal = queryOptions.signal
    throwIfAborted(signal)
    const hits = index.search(query, queryOptions.candidates ?? SEARCH_DEFAULTS.candidates)
    const topN = queryOptions.topN ?? SEARCH_DEFAULTS.topN
    const returnDocuments = queryOptions.returnDocuments ?? SEARCH_DEFAULTS.returnDocuments
    const reranker = (queryOptions.rerank ?? SEARCH_DEFAULTS.rerank) ? options.reranker : undefined
    const toResult = (hit: Bm25Hit, rank: number, relevance: number): SearchResult => {
      const doc = documents[hit.index]!
      const result: SearchResult = {
        index: hit.index,
        id: doc.id,
        relevance_score: relevance,
        first_stage: { rank, score: hit.score },
      }
      if (returnDocuments) {
        result.document = doc.title === undefined ? { text: doc.text } : { text: doc.text, title: doc.title }
      }
      return result
    }

    if (!reranker || hits.length === 0) {
      // Max-normalised: the top hit gets 1. BM25 has no absolute scale, so nothing better is honest.
      const top = hits[0]?.score ?? 1
      return {
        id: responseId(),
        model: 'bm25',
        results: hits.slice(0, topN).map((hit, i) => toResult(hit, i + 1, hit.score / top)),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      }
    }

    const passages = hits.map((hit) => passage(documents[hit.index]!))
    const scores = new Array<number>(hits.length).fill(0)
    let id = ''
    let model = ''
    let tokens = 0
    for (let from = 0; from < hits.length; from += maxPerCall) {
      throwIfAborted(signal)
      const slice = passages.slice(from, from + maxPerCall)
      const callOptions = signal ? { returnDocuments: false, signal } : { returnDocuments: false }
      const response = await reranker.rerank(query, slice, callOptions)
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
      results: order.slice(0, topN).map((i) => toResult(hits[i]!, i + 1, scores[i]!)),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }
  }

  return {
    get size() {
      return documents.length
    },
    add(inputs, addOptions = {}) {
      if (!Array.isArray(inputs)) {
        return Promise.reject(new RerankError('invalid_documents', 'documents must be an array.'))
      }
      const run = pending.then(() => addNow(inputs, addOptions))
      pending = run.catch(() => undefined)
      return run
    },
    async query(query, queryOptions = {}) {
      checkQuery(query, queryOptions)
      const signal = queryOptions.signal
      if (signal) await untilDoneOrAborted(pending, signal)
      else await pending
      return queryNow(query, queryOptions)
    },
  }
}

/** Waits for `work`, but rejects with the abort error as soon as `signal` fires. */
async function untilDoneOrAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  throwIfAborted(signal)
  let onAbort = (): void => undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError())
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** What the reranker reads for a document: title and text joined by a space, as BEIR does. */
function passage(doc: StoredDocument): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text
}

function checkQuery(query: unknown, options: QueryOptions): void {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new RerankError('empty_query', 'Query must be a non-empty string.')
  }
  if (options.topN !== undefined && !(Number.isInteger(options.topN) && options.topN >= 1)) {
    throw new RerankError('invalid_top_n', 'topN must be a positive integer.')
  }
  if (options.candidates !== undefined && !(Number.isInteger(options.candidates) && options.candidates >= 1)) {
    throw new RerankError('invalid_request', 'candidates must be a positive integer.')
  }
}

function checkPositiveInteger(value: number, name: string): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RerankError('invalid_request', `${name} must be a positive integer.`)
  }
}

/** Validates every document before any is indexed, so a bad one leaves the index untouched. */
function toStoredDocuments(inputs: SearchDocumentInput[], start: number, ids: ReadonlySet<string>): StoredDocument[] {
  const seen = new Set<string>()
  return inputs.map((input, i) => {
    const doc = toStoredDocument(input, start + i, i)
    if (ids.has(doc.id) || seen.has(doc.id)) {
      throw new RerankError('invalid_documents', `documents[${i}]: id "${doc.id}" is already in use.`)
    }
    seen.add(doc.id)
    return doc
  })
}

function toStoredDocument(input: SearchDocumentInput | unknown, position: number, i: number): StoredDocument {
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
  throw new RerankError(
    'invalid_documents',
    `documents[${i}] must be a string or { id?: string, text: string, title?: string }.`,
  )
}

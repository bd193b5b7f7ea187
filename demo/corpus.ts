// Corpus mode: documents indexed with createSearch, then BM25 → rerank as the user types. Every
// new query aborts the one before it, so a slow stale answer can never overwrite a newer one.

import {
  createSearch,
  RerankError,
  type BatchProgress,
  type Reranker,
  type RerankerLike,
  type IndexProgress,
  type Search,
  type SearchDocumentInput,
  type SearchResult,
} from '../src/index'

/** BM25 candidates handed to the reranker. Under the search's 100 per call, so one rerank call sees them all. */
export const CANDIDATES = 30
export const TOP_N = 10

export interface CorpusRow {
  id: string
  title?: string
  text: string
  /** 1-based rank and raw score after BM25. */
  bm25Rank: number
  bm25Score: number
  /** The reranker's score, or null while it has not scored this document yet (or no model is loaded). */
  score: number | null
}

export interface CorpusAnswer {
  query: string
  /** 'bm25': first stage only so far; 'reranking': partial scores; 'done': final. */
  state: 'bm25' | 'reranking' | 'done'
  rows: CorpusRow[]
  candidates: number
  reranked: boolean
  bm25Ms: number
  rerankMs?: number
  tokens?: number
  /** Documents scored so far, while reranking. */
  scored?: number
}

export interface CorpusEvents {
  /** Indexing progress; `null` when indexing ends. */
  onIndexProgress(progress: IndexProgress | null): void
  onIndexed(size: number, source: string): void
  /** Called only for the latest query; `null` clears the results. */
  onAnswer(answer: CorpusAnswer | null): void
  onError(err: unknown): void
}

function toRow(result: SearchResult, score: number | null): CorpusRow {
  const row: CorpusRow = {
    id: result.id,
    text: result.document?.text ?? '',
    bm25Rank: result.first_stage.rank,
    bm25Score: result.first_stage.score,
    score,
  }
  if (result.document?.title !== undefined) row.title = result.document.title
  return row
}

/** Scored candidates best first, then the unscored ones in BM25 order: what a partial answer looks like. */
function partialRows(candidates: SearchResult[], scores: ReadonlyMap<number, number>): CorpusRow[] {
  const rows = candidates.map((result, i) => toRow(result, scores.get(i) ?? null))
  const scored = rows.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || a.bm25Rank - b.bm25Rank)
  return [...scored, ...rows.filter((r) => r.score === null)].slice(0, TOP_N)
}

export class Corpus {
  private search: Search | null = null
  private indexing: AbortController | null = null
  private querying: AbortController | null = null
  private lastQuery = ''
  /** onBatch listeners by query signal: the search passes our signal through to the reranker. */
  private readonly batchListeners = new WeakMap<AbortSignal, (progress: BatchProgress) => void>()
  // The search outlives model loads: its reranker stage is whichever model is loaded now.
  private readonly rerankStage: RerankerLike = {
    rerank: (query, documents, options = {}) => {
      const reranker = this.reranker()
      if (!reranker) return Promise.reject(new RerankError('disposed', 'No model is loaded.'))
      const onBatch = options.signal ? this.batchListeners.get(options.signal) : undefined
      return reranker.rerank(query, documents, onBatch ? { ...options, onBatch } : options)
    },
  }

  constructor(
    private readonly reranker: () => Reranker | null,
    private readonly events: CorpusEvents,
  ) {}

  /** Whether a corpus is indexed or being indexed. */
  get loaded(): boolean {
    return this.search !== null || this.indexing !== null
  }

  /**
   * Replaces the corpus once the new one is indexed; until then (and if indexing fails) queries
   * keep answering from the old one. A load still indexing is aborted.
   */
  async load(documents: SearchDocumentInput[], source: string): Promise<void> {
    this.indexing?.abort()
    const indexing = new AbortController()
    this.indexing = indexing
    const search = createSearch({ reranker: this.rerankStage })
    try {
      await search.add(documents, {
        signal: indexing.signal,
        onProgress: (progress) => {
          this.events.onIndexProgress(progress)
        },
      })
    } catch (err) {
      if (indexing.signal.aborted) return
      this.events.onIndexProgress(null)
      this.events.onError(err)
      return
    } finally {
      if (this.indexing === indexing) this.indexing = null
    }
    if (indexing.signal.aborted) return
    this.search = search
    this.events.onIndexProgress(null)
    this.events.onIndexed(search.size, source)
    this.run(this.lastQuery)
  }

  /** Answers the last query again, e.g. once a model is loaded (or while one is being replaced). */
  refresh(): void {
    this.run(this.lastQuery)
  }

  /** Answers `query` (BM25 at once, then the reranked list), cancelling the query before it. */
  run(query: string): void {
    this.lastQuery = query
    this.querying?.abort()
    const controller = new AbortController()
    this.querying = controller
    if (!this.search || query.trim() === '') {
      this.events.onAnswer(null)
      return
    }
    void this.answer(this.search, query, controller.signal).catch((err: unknown) => {
      if (!controller.signal.aborted) this.events.onError(err)
    })
  }

  private async answer(search: Search, query: string, signal: AbortSignal): Promise<void> {
    const bm25Started = performance.now()
    const first = await search.query(query, { candidates: CANDIDATES, topN: CANDIDATES, rerank: false, signal })
    const bm25Ms = performance.now() - bm25Started
    const candidates = first.results
    const reranked = this.reranker() !== null && candidates.length > 0
    const base = { query, candidates: candidates.length, bm25Ms }
    if (signal.aborted) return
    this.events.onAnswer({
      ...base,
      state: reranked ? 'bm25' : 'done',
      rows: candidates.slice(0, TOP_N).map((r) => toRow(r, null)),
      reranked: false,
    })
    if (!reranked) return

    // Candidates go to the reranker in BM25 order, so a batch's request index is BM25 rank - 1.
    const scores = new Map<number, number>()
    // Batch callbacks reach us on their own channel, so one may arrive after the final answer.
    let settled = false
    this.batchListeners.set(signal, (progress) => {
      if (signal.aborted || settled) return
      for (const s of progress.scores) scores.set(s.index, s.relevance_score)
      const rows = partialRows(candidates, scores)
      this.events.onAnswer({
        ...base,
        state: 'reranking',
        rows,
        reranked: true,
        scored: progress.done,
        rerankMs: progress.elapsedMs,
      })
    })
    const rerankStarted = performance.now()
    const final = await search.query(query, { candidates: CANDIDATES, topN: TOP_N, signal })
    settled = true
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the signal can abort during the await above; TS keeps the narrowing from the check before it
    if (signal.aborted) return
    this.events.onAnswer({
      ...base,
      state: 'done',
      rows: final.results.map((r) => toRow(r, r.relevance_score)),
      reranked: true,
      rerankMs: performance.now() - rerankStarted,
      tokens: final.usage.total_tokens,
    })
  }
}

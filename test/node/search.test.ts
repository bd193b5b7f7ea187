// createSearch: BM25 first stage (analysis, scoring, candidates), the rerank stage (with a fake
// reranker and once with the real Node one), async indexing, errors and abort.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReranker, RerankError, type Reranker, type RerankResponse } from '../../src/node'
import { analyze, createSearch, porterStem, type RerankerLike } from '../../src/search/index'
import { testModelOptions } from '../support/tiny-model'

/** A reranker double: scores each document with `score`, records what it was sent. */
function fakeReranker(score: (doc: string) => number): RerankerLike & { calls: string[][] } {
  const calls: string[][] = []
  return {
    calls,
    rerank(_query, documents, options): Promise<RerankResponse> {
      calls.push(documents)
      const results = documents
        .map((text, index) => ({ index, relevance_score: score(text), document: { text } }))
        .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
        .slice(0, options?.topN ?? documents.length)
        .map((r) => (options?.returnDocuments === false ? { index: r.index, relevance_score: r.relevance_score } : r))
      const usage = { prompt_tokens: documents.length, total_tokens: documents.length }
      return Promise.resolve({ id: 'rerank-fake', model: 'fake', results, usage })
    },
  }
}

async function rejection(promise: Promise<unknown>): Promise<RerankError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(RerankError)
  return err as RerankError
}

describe('analyzer', () => {
  it('stems like the reference Porter stemmer', () => {
    // Examples from Porter's 1980 paper and his reference vocabulary.
    const cases: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      cats: 'cat',
      feed: 'feed',
      agreed: 'agre',
      plastered: 'plaster',
      motoring: 'motor',
      sing: 'sing',
      conflated: 'conflat',
      troubled: 'troubl',
      sized: 'size',
      hopping: 'hop',
      falling: 'fall',
      filing: 'file',
      happy: 'happi',
      relational: 'relat',
      conditional: 'condit',
      rational: 'ration',
      digitizer: 'digit',
      generalization: 'gener',
      electrical: 'electr',
      hopeful: 'hope',
      goodness: 'good',
      revival: 'reviv',
      adjustment: 'adjust',
      adoption: 'adopt',
      controlling: 'control',
      running: 'run',
      runs: 'run',
      generalizations: 'gener',
      is: 'is',
    }
    for (const [word, stem] of Object.entries(cases)) expect(porterStem(word), word).toBe(stem)
  })

  it('lowercases, drops stop words and possessives, keeps term frequency', () => {
    expect(analyze("The Runner's shoes were running, running!")).toEqual(['runner', 'shoe', 'were', 'run', 'run'])
    // Hyphens and slashes split; digit groups and dotted abbreviations stay whole (as Lucene's
    // StandardTokenizer); Porter then strips the abbreviation's final "s", as Lucene's does.
    expect(analyze('IL-6 levels of 1,000 pg/mL in the U.S.')).toEqual(['il', '6', 'level', '1,000', 'pg', 'ml', 'u.'])
    expect(analyze('the of and to a')).toEqual([])
  })
})

describe('BM25 stage', () => {
  it('ranks a document with the exact query term first', async () => {
    const search = createSearch()
    await search.add([
      'Photosynthesis happens in leaves.',
      'Mitochondria produce ATP through oxidative phosphorylation.',
      'Plants grow towards light.',
    ])
    const { results, model, usage } = await search.query('mitochondria')
    expect(model).toBe('bm25')
    expect(usage).toEqual({ prompt_tokens: 0, total_tokens: 0 })
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ index: 1, id: '1', relevance_score: 1, first_stage: { rank: 1 } })
  })

  it('matches stemmed forms and ignores stop words', async () => {
    const search = createSearch()
    await search.add(['She runs every morning.', 'The the the of of and.', 'A quiet library.'])
    expect((await search.query('running')).results.map((r) => r.index)).toEqual([0])
    // Only stop words: nothing to match, not an error.
    expect((await search.query('the of and')).results).toEqual([])
    // "the" does not make the stop-word document a match.
    expect((await search.query('the library')).results.map((r) => r.index)).toEqual([2])
  })

  it('scores plain BM25 (k1 = 0.9, b = 0.4, no BM25+ delta, no matched-terms multiplier)', async () => {
    const search = createSearch()
    await search.add(['cat dog', 'cat cat fish bird', 'bird'])
    // N = 3; "cat" and "bird" are each in 2 documents: idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6 = 0.470004.
    // Lengths (MiniSearch counts distinct terms): 2, 3, 1; average 2. Score = idf × tf (k1 + 1) / (tf + k1 (1 − b + b len/avg)):
    // d0, tf 1: 1 × 1.9 / (1 + 0.9 × (0.6 + 0.4 × 2/2)) = 1.9 / 1.9 = 1 → 0.470004
    // d1, tf 2: 2 × 1.9 / (2 + 0.9 × (0.6 + 0.4 × 3/2)) = 3.8 / 3.08 = 1.233766 → 0.579875
    const cat = await search.query('cat')
    expect(cat.results.map((r) => r.index)).toEqual([1, 0])
    expect(cat.results[0]!.first_stage.score).toBeCloseTo(0.579875, 5)
    expect(cat.results[1]!.first_stage.score).toBeCloseTo(0.470004, 5)
    // Relevance without rerank: BM25 over the best BM25 of the query, 0.470004 / 0.579875 = 0.810525.
    expect(cat.results[1]!.relevance_score).toBeCloseTo(0.810525, 5)
    // "cat bird": d1 = 0.579875 + bird (tf 1: 1.9 / (1 + 0.9 × 1.2) = 0.913462 → 0.429330) = 1.009205
    // d2 = bird (tf 1, length 1: 1.9 / (1 + 0.9 × 0.8) = 1.104651 → 0.519190); d0 = 0.470004.
    // (MiniSearch alone would double d1 for matching two query terms.)
    const both = await search.query('cat bird')
    expect(both.results.map((r) => r.index)).toEqual([1, 2, 0])
    const expected = [1.009205, 0.51919, 0.470004]
    both.results.forEach((r, i) => {
      expect(r.first_stage.score).toBeCloseTo(expected[i]!, 5)
    })
  })

  it('respects candidates and topN, and reports ids, titles and BM25 ranks', async () => {
    const search = createSearch()
    const docs = Array.from({ length: 50 }, (_, i) => ({
      id: `doc-${i}`,
      title: `Note ${i}`,
      text: `apple ${'pie '.repeat(i)}`,
    }))
    await search.add(docs)
    const res = await search.query('apple pie', { candidates: 20, topN: 100, rerank: false })
    expect(res.results).toHaveLength(20)
    res.results.forEach((r, i) => {
      expect(r.first_stage.rank).toBe(i + 1)
      expect(r.id).toBe(`doc-${r.index}`)
      expect(r.document).toEqual({ text: docs[r.index]!.text, title: docs[r.index]!.title })
      if (i > 0) expect(r.first_stage.score).toBeLessThanOrEqual(res.results[i - 1]!.first_stage.score)
    })
    expect((await search.query('apple', { topN: 3 })).results).toHaveLength(3)
    const bare = await search.query('apple', { topN: 1, returnDocuments: false })
    expect(bare.results[0]).not.toHaveProperty('document')
  })
})

describe('rerank stage', () => {
  const docs = [
    { id: 'a', text: 'rust is a systems language' },
    { id: 'b', text: 'rust forms on iron and steel' },
    { id: 'c', text: 'rust rust rust belt' },
    { id: 'd', text: 'unrelated gardening tips' },
  ]

  it('reorders candidates by the reranker and maps indexes back to the documents', async () => {
    // Prefers documents mentioning iron, whatever their BM25 rank.
    const reranker = fakeReranker((text) => (text.includes('iron') ? 0.9 : text.includes('systems') ? 0.5 : 0.1))
    const search = createSearch({ reranker })
    await search.add(docs)
    const bm25 = await search.query('rust', { rerank: false })
    const res = await search.query('rust', { candidates: 3 })
    expect(reranker.calls).toEqual([bm25.results.map((r) => r.document!.text)])
    expect(res.model).toBe('fake')
    expect(res.id).toBe('rerank-fake')
    expect(res.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 })
    expect(res.results.map((r) => [r.id, r.relevance_score])).toEqual([
      ['b', 0.9],
      ['a', 0.5],
      ['c', 0.1],
    ])
    for (const r of res.results) {
      expect(docs[r.index]!.id).toBe(r.id)
      expect(r.document!.text).toBe(docs[r.index]!.text)
      expect(r.first_stage).toEqual(bm25.results.find((b) => b.id === r.id)!.first_stage)
    }
  })

  it('splits candidates over several rerank calls and merges them', async () => {
    const reranker = fakeReranker((text) => Number(text.split(' ')[1]) / 100)
    const search = createSearch({ reranker, maxDocumentsPerCall: 10 })
    await search.add(Array.from({ length: 30 }, (_, i) => `word ${i}`))
    const res = await search.query('word', { candidates: 25, topN: 5 })
    expect(reranker.calls.map((c) => c.length)).toEqual([10, 10, 5])
    // Equal BM25 scores keep insertion order, so the candidates are docs 0..24; the best reranked is 24.
    expect(res.results.map((r) => r.index)).toEqual([24, 23, 22, 21, 20])
    expect(res.usage.total_tokens).toBe(25)
  })

  it('passes title + text to the reranker, and answers BM25 only with rerank: false', async () => {
    const reranker = fakeReranker(() => 0.5)
    const search = createSearch({ reranker })
    await search.add([{ title: 'Iron', text: 'rust forms on iron' }])
    await search.query('rust')
    expect(reranker.calls).toEqual([['Iron rust forms on iron']])
    const res = await search.query('rust', { rerank: false })
    expect(reranker.calls).toHaveLength(1)
    expect(res.model).toBe('bm25')
  })

  describe('with the real Node reranker', () => {
    let reranker: Reranker
    beforeAll(async () => {
      const { modelOptions } = testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/')
      reranker = await createReranker(modelOptions)
    })
    afterAll(() => reranker.dispose())

    it('gives each result the score the reranker gives its document', async () => {
      const search = createSearch({ reranker })
      const corpus = Array.from({ length: 40 }, (_, i) => ({
        id: `p${i}`,
        title: `Passage ${i}`,
        text: `${i % 3 === 0 ? 'solar panels convert sunlight' : 'wind turbines turn'} into electricity, variant ${i}`,
      }))
      await search.add(corpus)
      const query = 'how do solar panels make electricity'
      const bm25 = await search.query(query, { rerank: false, candidates: 30, topN: 30 })
      const direct = await reranker.rerank(
        query,
        bm25.results.map((r) => `${r.document!.title} ${r.document!.text}`),
        { returnDocuments: false },
      )
      const expected = new Map(direct.results.map((d) => [bm25.results[d.index]!.id, d.relevance_score]))

      const res = await search.query(query, { candidates: 30, topN: 30 })
      expect(res.model).toBe(reranker.info.model)
      expect(res.results).toHaveLength(30)
      for (const [i, r] of res.results.entries()) {
        expect(r.relevance_score).toBeCloseTo(expected.get(r.id)!, 5)
        expect(r.relevance_score).toBeGreaterThanOrEqual(0)
        expect(r.relevance_score).toBeLessThanOrEqual(1)
        if (i > 0) expect(r.relevance_score).toBeLessThanOrEqual(res.results[i - 1]!.relevance_score)
        expect(corpus[r.index]!.id).toBe(r.id)
      }
      expect(res.usage.total_tokens).toBe(direct.usage.total_tokens)
    })
  })
})

describe('indexing', () => {
  it('indexes thousands of documents in chunks, yielding to the event loop', async () => {
    const search = createSearch({ chunkSize: 500 })
    const docs = Array.from({ length: 3000 }, (_, i) => ({ id: `n${i}`, text: `note number ${i} about topic${i % 7}` }))
    const progress: number[] = []
    let ticks = 0
    const timer = setInterval(() => ticks++, 0)
    await search.add(docs, { onProgress: (p) => progress.push(p.indexed) })
    clearInterval(timer)
    expect(progress).toEqual([500, 1000, 1500, 2000, 2500, 3000])
    expect(ticks).toBeGreaterThan(0)
    expect(search.size).toBe(3000)
    const res = await search.query('topic3', { rerank: false, candidates: 1000, topN: 1000 })
    expect(res.results).toHaveLength(Math.ceil((3000 - 3) / 7))
    expect(res.results.every((r) => r.index % 7 === 3)).toBe(true)
  })

  it('queries wait for adds in progress; adds run in call order', async () => {
    const search = createSearch({ chunkSize: 10 })
    const first = search.add(Array.from({ length: 100 }, (_, i) => `alpha ${i}`))
    const second = search.add(['beta'])
    const res = await search.query('beta')
    expect(res.results.map((r) => r.index)).toEqual([100])
    await Promise.all([first, second])
  })

  it('rejects bad documents and duplicate ids without indexing any', async () => {
    const search = createSearch()
    await search.add([{ id: 'x', text: 'first' }])
    expect(
      (
        await rejection(
          search.add([
            { id: 'y', text: 'ok' },
            { id: 'x', text: 'dup' },
          ]),
        )
      ).code,
    ).toBe('invalid_documents')
    expect((await rejection(search.add([{ text: 'ok' }, { text: 42 } as unknown as string]))).code).toBe(
      'invalid_documents',
    )
    expect(search.size).toBe(1)
    await search.add(['later'])
    expect((await search.query('later')).results[0]).toMatchObject({ index: 1, id: '1' })
  })

  it('rolls back an aborted add, leaving scores as before', async () => {
    const search = createSearch({ chunkSize: 100 })
    await search.add(['cat food', 'dog food', 'cat toy'])
    const before = await search.query('cat food')
    const controller = new AbortController()
    const adding = search.add(
      Array.from({ length: 1000 }, (_, i) => `cat ${i}`),
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.indexed >= 300) controller.abort()
        },
      },
    )
    const err = await rejection(adding)
    expect(err.code).toBe('aborted')
    expect(err.name).toBe('AbortError')
    expect(search.size).toBe(3)
    expect(await search.query('cat food')).toMatchObject({ results: before.results })
  })
})

describe('errors', () => {
  it('rejects an empty query with empty_query', async () => {
    const search = createSearch()
    await search.add(['something'])
    for (const q of ['', '   ', undefined as unknown as string]) {
      const err = await rejection(search.query(q))
      expect(err.code).toBe('empty_query')
      expect(err.toJSON().error.type).toBe('invalid_request_error')
    }
  })

  it('rejects bad topN, candidates and options', async () => {
    const search = createSearch()
    expect((await rejection(search.query('x', { topN: 0 }))).code).toBe('invalid_top_n')
    expect((await rejection(search.query('x', { candidates: 1.5 }))).code).toBe('invalid_request')
    expect(() => createSearch({ bm25: { b: 2 } })).toThrow(RerankError)
    expect(() => createSearch({ chunkSize: 0 })).toThrow(RerankError)
  })

  it('rejects an aborted query with the abort error, and passes the signal to the reranker', async () => {
    let seen: AbortSignal | undefined
    const search = createSearch({
      reranker: {
        rerank(_q, documents, options) {
          seen = options?.signal
          const results = documents.map((_, index) => ({ index, relevance_score: 0 }))
          return Promise.resolve({ id: 'r', model: 'm', results, usage: { prompt_tokens: 0, total_tokens: 0 } })
        },
      },
    })
    await search.add(['abc'])
    const controller = new AbortController()
    await search.query('abc', { signal: controller.signal })
    expect(seen).toBe(controller.signal)
    controller.abort()
    expect((await rejection(search.query('abc', { signal: controller.signal }))).code).toBe('aborted')
  })
})

// Long documents: truncate vs chunk mode, maxTokensPerDoc, usage and index mapping.
// The fixture is built from the tiny model's own scores (checked against its float64 reference
// in families/parity tests): a document whose first window is filler the model dislikes and
// whose last window is text it likes; only chunk mode can see the last window.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { windowStarts } from '../../src/encoding/inputs'
import { createReranker, type Reranker } from '../../src/node'
import { TINY_MODEL } from '../support/tiny-model'

const QUERY = 'what do cells use for energy'
const CANDIDATES = [
  'Mitochondria produce ATP for the cell.',
  'The stock market fell sharply on Monday.',
  'A recipe for lemon cake with fresh berries.',
  'Glucose is broken down to release energy.',
  'The football season starts in September.',
  'Rivers carry sediment to the ocean delta.',
  'Photosynthesis stores light energy in sugar.',
  'Old castles have thick stone walls.',
]
const repeat = (text: string, words: number): string => {
  const out: string[] = []
  while (out.join(' ').split(' ').length < words) out.push(text)
  return out.join(' ')
}

let reranker: Reranker
let filler = ''
let answer = ''
let middle = ''

beforeAll(async () => {
  reranker = await createReranker({
    model: TINY_MODEL,
    localModelPath: path.resolve(import.meta.dirname, '../.models') + '/',
    allowRemoteModels: false,
    dtype: 'fp32',
  })
  // Score each sentence repeated to fill a whole window: the window scores the chunks will get.
  const windows = CANDIDATES.map((c) => repeat(c, 600))
  const res = await reranker.rerank(QUERY, windows, { longDocuments: 'truncate' })
  const ranked = res.results.map((r) => CANDIDATES[r.index]!)
  answer = ranked[0]!
  middle = ranked[Math.floor(ranked.length / 2)]!
  filler = ranked.at(-1)!
})
afterAll(() => reranker.dispose())

describe('long documents', () => {
  test('windows cover the whole document, overlap, and end at its end', () => {
    expect(windowStarts(100, 200)).toEqual([0])
    const starts = windowStarts(1000, 400)
    expect(starts[0]).toBe(0)
    expect(starts.at(-1)! + 400).toBe(1000)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeLessThan(400) // overlap
  })

  test('the answer only in the last window: first in chunk mode, not in truncate mode', async () => {
    const long = `${repeat(filler, 900)} ${repeat(answer, 600)}`
    const docs = [repeat(middle, 600), long, 'a short unrelated note']
    const truncate = await reranker.rerank(QUERY, docs, { longDocuments: 'truncate' })
    const chunk = await reranker.rerank(QUERY, docs, { longDocuments: 'chunk' })
    expect(chunk.results[0]!.index).toBe(1)
    expect(truncate.results[0]!.index).not.toBe(1)
    // One result per original document, indexes exact.
    expect(chunk.results.map((r) => r.index).sort()).toEqual([0, 1, 2])
    expect(chunk.results.find((r) => r.index === 1)!.document!.text).toBe(long)
    // usage counts every window of the chunked document.
    expect(chunk.usage.prompt_tokens).toBeGreaterThan(truncate.usage.prompt_tokens + 1000)
  })

  test('chunk score = best window score; short documents score the same in both modes', async () => {
    const long = `${repeat(filler, 900)} ${repeat(answer, 600)}`
    const windowScores: number[] = []
    const chunk = await reranker.rerank(QUERY, [long, 'short text'], {
      longDocuments: 'chunk',
      onBatch: (p) => windowScores.push(...p.scores.filter((s) => s.index === 0).map((s) => s.relevance_score)),
    })
    const truncate = await reranker.rerank(QUERY, [long, 'short text'], { longDocuments: 'truncate' })
    expect(windowScores.length).toBeGreaterThanOrEqual(3) // ~1,700 tokens in ~500-token windows
    const best = chunk.results.find((r) => r.index === 0)!.relevance_score
    expect(best).toBe(Math.max(...windowScores))
    // The first window is the truncated document.
    expect(windowScores).toContain(truncate.results.find((r) => r.index === 0)!.relevance_score)
    const shortChunk = chunk.results.find((r) => r.index === 1)!.relevance_score
    const shortTruncate = truncate.results.find((r) => r.index === 1)!.relevance_score
    expect(shortChunk).toBe(shortTruncate)
  })

  test('maxTokensPerDoc cuts documents first (also as max_tokens_per_doc in a body)', async () => {
    const long = `${repeat(filler, 900)} ${repeat(answer, 600)}`
    const capped = await reranker.rerank(QUERY, [long], { longDocuments: 'chunk', maxTokensPerDoc: 300 })
    const full = await reranker.rerank(QUERY, [long], { longDocuments: 'chunk' })
    expect(capped.usage.prompt_tokens).toBeLessThan(400)
    expect(full.usage.prompt_tokens).toBeGreaterThan(1000)
    const body = await reranker.rerank({ query: QUERY, documents: [long], max_tokens_per_doc: 300 })
    expect(body.usage.prompt_tokens).toBeLessThan(400)
    await expect(reranker.rerank(QUERY, [long], { maxTokensPerDoc: 0 })).rejects.toMatchObject({
      code: 'invalid_request',
    })
  })
})

describe('long documents with the Qwen3 LLM reranker', () => {
  test('chunk mode: several prompt windows per document, the best one is its score, one result per document', async () => {
    const qwen = await createReranker({
      model: 'webrerank-test/qwen3-tiny',
      localModelPath: path.resolve(import.meta.dirname, '../.models') + '/',
      allowRemoteModels: false,
      dtype: 'fp32',
      maxTokensPerDoc: 2000,
      maxTokens: 300,
    })
    try {
      // Small windows: a 300-token room, so ~900 document tokens make several windows.
      const long = repeat('Cells turn glucose into energy inside their mitochondria.', 700)
      const windowScores: number[] = []
      const chunk = await qwen.rerank(QUERY, [long, 'short note'], {
        longDocuments: 'chunk',
        onBatch: (p) => windowScores.push(...p.scores.filter((s) => s.index === 0).map((s) => s.relevance_score)),
      })
      expect(qwen.info.maxTokens).toBe(300)
      expect(chunk.results.map((r) => r.index).sort()).toEqual([0, 1])
      expect(windowScores.length).toBeGreaterThanOrEqual(2)
      expect(chunk.results.find((r) => r.index === 0)!.relevance_score).toBe(Math.max(...windowScores))
      const truncate = await qwen.rerank(QUERY, [long, 'short note'], { longDocuments: 'truncate' })
      expect(chunk.usage.prompt_tokens).toBeGreaterThan(truncate.usage.prompt_tokens)
    } finally {
      await qwen.dispose()
    }
  })
})

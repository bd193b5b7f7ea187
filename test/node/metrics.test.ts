// Ranking metrics against hand-computed values (the arithmetic is in the comments), following
// trec_eval's ndcg_cut / recall / recip_rank definitions.

import { describe, expect, it } from 'vitest'
import { evaluateRun, meanOver, ndcgAt, recallAt, reciprocalRankAt } from '../../src/search/metrics'

const judged = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries))

describe('ndcgAt', () => {
  it('is 1 for a perfect graded ranking', () => {
    // DCG = IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.26186 + 0.5 = 4.76186
    expect(ndcgAt(['a', 'b', 'c'], judged({ a: 3, b: 2, c: 1 }), 10)).toBeCloseTo(1, 10)
  })

  it('is 0 when nothing relevant is retrieved', () => {
    expect(ndcgAt(['x', 'y', 'z'], judged({ a: 1 }), 10)).toBe(0)
  })

  it('uses the grade as gain with a log2 discount', () => {
    // ranking b(1), a(3), x(unjudged), c(2):
    // DCG  = 1/log2(2) + 3/log2(3) + 0/log2(4) + 2/log2(5) = 1 + 1.892789 + 0 + 0.861353 = 3.754142
    // IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.261860 + 0.5 = 4.761860
    // nDCG = 3.754142 / 4.761860 = 0.788377
    expect(ndcgAt(['b', 'a', 'x', 'c'], judged({ a: 3, b: 1, c: 2 }), 10)).toBeCloseTo(0.788377, 5)
    // Cut at 2: DCG = 1 + 1.892789 = 2.892789, IDCG = 3 + 1.261860 = 4.261860, nDCG = 0.678762
    expect(ndcgAt(['b', 'a', 'x', 'c'], judged({ a: 3, b: 1, c: 2 }), 2)).toBeCloseTo(0.678762, 5)
  })

  it('takes the ideal from all judged documents, cut at k, even with fewer results than k', () => {
    // One result, relevant at rank 2 of a 2-long list, k = 10: DCG = 1/log2(3) = 0.630930, IDCG = 1
    expect(ndcgAt(['x', 'a'], judged({ a: 1 }), 10)).toBeCloseTo(0.63093, 5)
    // Three relevant, only 'a' retrieved, k = 2: DCG = 1, IDCG = 1 + 1/log2(3) = 1.630930, nDCG = 0.613147
    expect(ndcgAt(['a'], judged({ a: 1, b: 1, c: 1 }), 2)).toBeCloseTo(0.613147, 5)
  })

  it('gives judged-nonrelevant (grade 0) documents no gain', () => {
    // a is judged 0: DCG = 0 + 1/log2(3) = 0.630930, IDCG = 1
    expect(ndcgAt(['a', 'b'], judged({ a: 0, b: 1 }), 10)).toBeCloseTo(0.63093, 5)
    expect(ndcgAt(['a'], judged({ a: 0 }), 10)).toBe(0)
  })
})

describe('recallAt', () => {
  it('counts relevant documents in the top k over all relevant ones', () => {
    // 3 relevant (a, b, c; d is grade 0); top 2 = b, a: 2/3
    expect(recallAt(['b', 'a', 'x', 'c'], judged({ a: 3, b: 1, c: 2, d: 0 }), 2)).toBeCloseTo(2 / 3, 10)
    expect(recallAt(['b', 'a', 'x', 'c'], judged({ a: 3, b: 1, c: 2, d: 0 }), 100)).toBe(1)
  })

  it('is 0 with nothing relevant retrieved, or nothing relevant at all', () => {
    expect(recallAt(['x'], judged({ a: 1 }), 100)).toBe(0)
    expect(recallAt(['a'], judged({ a: 0 }), 100)).toBe(0)
  })
})

describe('reciprocalRankAt', () => {
  it('is 1 / rank of the first document with grade > 0', () => {
    expect(reciprocalRankAt(['a', 'b'], judged({ a: 3 }), 10)).toBe(1)
    // a is judged but grade 0, so the first relevant one is b at rank 2: 1/2
    expect(reciprocalRankAt(['a', 'b'], judged({ a: 0, b: 1 }), 10)).toBe(0.5)
  })

  it('is 0 when the first relevant document is past k, or absent', () => {
    const ranking = Array.from('abcdefghij').concat('rel') // 'rel' at rank 11
    expect(reciprocalRankAt(ranking, judged({ rel: 1 }), 10)).toBe(0)
    expect(reciprocalRankAt(ranking, judged({ rel: 1 }), 11)).toBeCloseTo(1 / 11, 10)
    expect(reciprocalRankAt([], judged({ rel: 1 }), 10)).toBe(0)
  })
})

describe('meanOver / evaluateRun', () => {
  it('averages over judged queries: a missing run counts 0, unjudged queries are skipped', () => {
    const qrels = new Map([
      ['q1', judged({ a: 1 })],
      ['q2', judged({ b: 1 })], // judged but not in the run: counts as 0
      ['q3', judged({ c: 0 })], // no relevant document: cannot be scored, skipped
    ])
    const run = new Map([
      ['q1', ['a']],
      ['q4', ['z']], // in the run but not judged: ignored
    ])
    // nDCG: (q1 = 1 + q2 = 0) / 2 = 0.5
    expect(meanOver(run, qrels, ndcgAt, 10)).toBe(0.5)
    expect(evaluateRun(run, qrels)).toEqual({ ndcg10: 0.5, recall100: 0.5, mrr10: 0.5 })
  })

  it('averages per-query values', () => {
    const qrels = new Map([
      ['q1', judged({ a: 1 })],
      ['q2', judged({ b: 1 })],
    ])
    // q1: a at rank 1 → RR 1; q2: b at rank 2 → RR 0.5; mean 0.75
    // q1 nDCG 1; q2 nDCG 1/log2(3) = 0.630930; mean 0.815465
    const run = new Map([
      ['q1', ['a', 'x']],
      ['q2', ['x', 'b']],
    ])
    expect(meanOver(run, qrels, reciprocalRankAt, 10)).toBe(0.75)
    expect(meanOver(run, qrels, ndcgAt, 10)).toBeCloseTo(0.815465, 5)
    expect(meanOver(new Map(), new Map(), ndcgAt, 10)).toBe(0)
  })
})

// Ranking metrics as trec_eval / pytrec_eval compute them (what BEIR and TREC report):
// nDCG@k (ndcg_cut), Recall@k (recall), MRR@k (recip_rank cut at k).

/** Relevance grades of one query's judged documents, by document id. 0 = judged not relevant. */
export type Judgments = ReadonlyMap<string, number>

/** Judgments of every query, by query id. */
export type Qrels = ReadonlyMap<string, Judgments>

/** A ranked list of document ids per query id, best first. */
export type Run = ReadonlyMap<string, readonly string[]>

/**
 * nDCG@k with gain = grade and discount log2(rank + 1), as trec_eval's `ndcg_cut.k`. The ideal
 * ranking sorts every judged document of the query by grade, so relevant documents that were not
 * retrieved still count against the ranking. Unjudged documents gain 0. 0 when nothing is relevant.
 */
export function ndcgAt(ranking: readonly string[], judgments: Judgments, k: number): number {
  let dcg = 0
  ranking.slice(0, k).forEach((id, i) => {
    const grade = judgments.get(id) ?? 0
    if (grade > 0) dcg += grade / Math.log2(i + 2)
  })
  const ideal = [...judgments.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
  const idcg = ideal.reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0)
  return idcg === 0 ? 0 : dcg / idcg
}

/** Recall@k: relevant documents (grade > 0) in the top k over all relevant ones. 0 when none are relevant. */
export function recallAt(ranking: readonly string[], judgments: Judgments, k: number): number {
  const relevant = countRelevant(judgments)
  if (relevant === 0) return 0
  const found = ranking.slice(0, k).filter((id) => (judgments.get(id) ?? 0) > 0).length
  return found / relevant
}

/** MRR@k for one query: 1 / rank of the first relevant document (grade > 0) in the top k, else 0. */
export function reciprocalRankAt(ranking: readonly string[], judgments: Judgments, k: number): number {
  const i = ranking.slice(0, k).findIndex((id) => (judgments.get(id) ?? 0) > 0)
  return i === -1 ? 0 : 1 / (i + 1)
}

/** A per-query metric: one of the functions above. */
export type QueryMetric = (ranking: readonly string[], judgments: Judgments, k: number) => number

/**
 * Mean of `metric` over the queries of `qrels` that have at least one relevant document (with
 * none, every metric is undefined). A judged query missing from `run`
 * counts as an empty ranking, i.e. 0 (trec_eval's `-c`); run queries without judgments are ignored.
 *
 * @example
 * const qrels = new Map([['q1', new Map([['d1', 1]])]])
 * meanOver(new Map([['q1', ['d2', 'd1']]]), qrels, ndcgAt, 10)
 * // 0.6309 (= 1 / log2(3): the one relevant document at rank 2)
 */
export function meanOver(run: Run, qrels: Qrels, metric: QueryMetric, k: number): number {
  let sum = 0
  let count = 0
  for (const [queryId, judgments] of qrels) {
    if (countRelevant(judgments) === 0) continue
    sum += metric(run.get(queryId) ?? [], judgments, k)
    count++
  }
  return count === 0 ? 0 : sum / count
}

/** nDCG@10, Recall@100 and MRR@10 of a run, the figures docs/eval.md reports. */
export function evaluateRun(run: Run, qrels: Qrels): { ndcg10: number; recall100: number; mrr10: number } {
  return {
    ndcg10: meanOver(run, qrels, ndcgAt, 10),
    recall100: meanOver(run, qrels, recallAt, 100),
    mrr10: meanOver(run, qrels, reciprocalRankAt, 10),
  }
}

function countRelevant(judgments: Judgments): number {
  let n = 0
  for (const grade of judgments.values()) if (grade > 0) n++
  return n
}

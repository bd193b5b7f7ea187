// The search pipeline's public surface, re-exported by both entries (src/index.ts, src/node.ts).

export { createSearch } from './search.js'
export { analyze, STOP_WORDS } from './analyzer.js'
/** Porter's stemmer, as the analyzer applies it (the `stemmer` package). */
export { stemmer as porterStem } from 'stemmer'
export { ndcgAt, recallAt, reciprocalRankAt, meanOver, evaluateRun } from './metrics.js'
export type { Judgments, Qrels, Run, QueryMetric } from './metrics.js'
export { SEARCH_DEFAULTS } from './defaults.js'
export type * from './types.js'

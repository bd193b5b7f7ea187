// Build-time choices (set by build.ts through VITE_* variables) and the example's constants.

import type { RerankerOptions } from 'webrerank'

const env = import.meta.env as Record<string, string | undefined>

/**
 * The model: a hub model downloaded on first use and kept in the extension origin's Cache API, or
 * (VITE_PACKAGED_MODEL=1) the copy build.ts put under the extension's own models/ folder.
 */
export const MODEL_OPTIONS: RerankerOptions = {
  model: env.VITE_MODEL ?? 'ms-marco-MiniLM-L-6-v2',
  ...(env.VITE_PACKAGED_MODEL === '1' ? { localModelPath: '/models/', allowRemoteModels: false } : {}),
  ...(env.VITE_DTYPE ? { dtype: env.VITE_DTYPE as NonNullable<RerankerOptions['dtype']> } : {}),
}

/** How long the offscreen document may sit unused before the service worker closes it (ms). */
export const DEFAULT_IDLE_MS = 5 * 60_000
/** chrome.storage.local key that overrides DEFAULT_IDLE_MS (the test sets a short one). */
export const IDLE_KEY = 'idleMs'
/** Pages with more paragraphs than this go through BM25 (createSearch) before the reranker. */
export const FIRST_STAGE_ABOVE = 50
/** BM25 candidates passed to the reranker on long pages. */
export const CANDIDATES = 50
/** Paragraphs highlighted. */
export const TOP_N = 3

// The messages between the extension's parts. Types only: content.ts is a classic script and
// must not import code.

import type { ProgressEvent, RerankerInfo, RerankRequest, RerankResponse } from 'webrerank'
import type { Reply } from './port-reranker.js'

/** What the offscreen document answers: the loaded model's info, or a rerank. */
export type OffscreenRequest = { type: 'load' } | { type: 'rerank'; body: RerankRequest }
export interface OffscreenReplies {
  load: Reply<RerankerInfo & { crossOriginIsolated: boolean }>
  rerank: Reply<RerankResponse>
}

/** Sent with chrome.runtime.sendMessage: every extension page hears it, `to` says who answers. */
export type RuntimeMessage =
  | { to: 'background'; type: 'offscreen'; request: OffscreenRequest }
  | { to: 'background'; type: 'idle' }
  | { to: 'offscreen'; request: OffscreenRequest }
  | { to: 'popup'; type: 'progress'; event: ProgressEvent }

/** Sent to the tab's content script with chrome.tabs.sendMessage. */
export type TabMessage =
  | { type: 'paragraphs' }
  /** Paragraph indices, best first; an empty list clears the highlights. */
  | { type: 'highlight'; indices: number[] }

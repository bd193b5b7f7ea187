// Offscreen document (reason WORKERS): hosts the reranker, whose model runs in a Web Worker
// started from here, and answers the requests the service worker forwards. After `idleMs`
// without a request it asks the service worker to close it, which frees the model's memory.

import { createReranker, type Reranker } from 'webrerank'
import { MODEL_OPTIONS } from './config.js'
import type { OffscreenReplies, RuntimeMessage } from './messages.js'
import { replyOf } from './port-reranker.js'

const idleMs = Number(new URLSearchParams(location.search).get('idleMs'))
let reranker: Promise<Reranker> | undefined
let idleTimer: ReturnType<typeof setTimeout> | undefined
let pending = 0

function load(): Promise<Reranker> {
  reranker ??= createReranker({
    ...MODEL_OPTIONS,
    onProgress: (event) => {
      const message: RuntimeMessage = { to: 'popup', type: 'progress', event }
      // No popup open: nobody to tell.
      chrome.runtime.sendMessage(message).catch(() => undefined)
    },
  })
  // A failed load is not kept: the next request tries again.
  reranker.catch(() => (reranker = undefined))
  return reranker
}

async function answer(request: Extract<RuntimeMessage, { to: 'offscreen' }>['request']): Promise<unknown> {
  if (request.type === 'load') {
    const reply: Promise<OffscreenReplies['load']> = replyOf(async () => ({
      ...(await load()).info,
      crossOriginIsolated: self.crossOriginIsolated,
    }))
    return reply
  }
  return replyOf(async () => (await load()).rerank(request.body))
}

chrome.runtime.onMessage.addListener((message: RuntimeMessage, _sender, reply: (answer: unknown) => void) => {
  if (message.to !== 'offscreen') return false
  pending++
  clearTimeout(idleTimer)
  void answer(message.request)
    .then(reply)
    .finally(() => {
      if (--pending === 0) {
        const idle: RuntimeMessage = { to: 'background', type: 'idle' }
        idleTimer = setTimeout(() => void chrome.runtime.sendMessage(idle), idleMs)
      }
    })
  return true
})

// Service worker: routes the popup's requests to the offscreen document that hosts the model,
// creating the document on demand and closing it when it reports itself idle. An MV3 service
// worker cannot host the model itself: it cannot start a dedicated Worker and `import()` is
// disallowed in it (see README.md).

import { DEFAULT_IDLE_MS, IDLE_KEY } from './config.js'
import type { OffscreenRequest, RuntimeMessage } from './messages.js'

const OFFSCREEN_URL = 'offscreen.html'
let creating: Promise<void> | undefined
/** Requests forwarded and not yet answered: the document is not idle while any is. */
let inFlight = 0

async function hasOffscreen(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })
  return contexts.length > 0
}

async function ensureOffscreen(): Promise<void> {
  if (await hasOffscreen()) return
  creating ??= (async () => {
    const stored = (await chrome.storage.local.get(IDLE_KEY))[IDLE_KEY]
    const idleMs = typeof stored === 'number' ? stored : DEFAULT_IDLE_MS
    await chrome.offscreen.createDocument({
      url: `${OFFSCREEN_URL}?idleMs=${idleMs}`,
      reasons: [chrome.offscreen.Reason.WORKERS],
      justification: 'Runs the reranking model in a Web Worker (WebGPU or WASM).',
    })
  })().finally(() => {
    creating = undefined
  })
  await creating
}

async function forward(request: OffscreenRequest): Promise<unknown> {
  inFlight++
  try {
    await ensureOffscreen()
    const message: RuntimeMessage = { to: 'offscreen', request }
    return await chrome.runtime.sendMessage(message)
  } finally {
    inFlight--
  }
}

async function closeIfIdle(): Promise<void> {
  // Checked after the await too: a request may have arrived meanwhile.
  if ((await hasOffscreen()) && inFlight === 0 && !creating) await chrome.offscreen.closeDocument()
}

chrome.runtime.onMessage.addListener((message: RuntimeMessage, _sender, reply: (answer: unknown) => void) => {
  if (message.to !== 'background') return false
  if (message.type === 'idle') {
    void closeIfIdle()
    return false
  }
  forward(message.request).then(reply, (err: unknown) => {
    reply({ ok: false, error: { message: String(err), type: 'server_error', code: 'inference_failed' } })
  })
  return true // the reply comes later
})

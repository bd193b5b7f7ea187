// Popup: the query box. Reads the tab's paragraphs from its content script, ranks them with the
// model in the offscreen document (BM25 first on long pages), lists the best and highlights them.

import { createSearch, RerankError, type RerankResult } from 'webrerank'
import { CANDIDATES, FIRST_STAGE_ABOVE, TOP_N } from './config.js'
import type { OffscreenReplies, OffscreenRequest, RuntimeMessage, TabMessage } from './messages.js'
import { PortReranker, unwrap } from './port-reranker.js'

const form = document.getElementById('form') as HTMLFormElement
const input = document.getElementById('query') as HTMLInputElement
const progress = document.getElementById('progress') as HTMLProgressElement
const status = document.getElementById('status')!
const device = document.getElementById('device')!
const results = document.getElementById('results')!

function toBackground<K extends OffscreenRequest['type']>(
  request: Extract<OffscreenRequest, { type: K }>,
): Promise<OffscreenReplies[K]> {
  const message: RuntimeMessage = { to: 'background', type: 'offscreen', request }
  return chrome.runtime.sendMessage(message)
}

function toTab<T>(tabId: number, message: TabMessage): Promise<T> {
  return chrome.tabs.sendMessage(tabId, message)
}

/** The tab to work on: `?tab=<id>` (the popup opened as a page), else the active tab. */
async function targetTab(): Promise<number> {
  const given = Number(new URLSearchParams(location.search).get('tab'))
  if (given) return given
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true })
  if (tab?.id === undefined) throw new Error('No active tab.')
  return tab.id
}

// The model's download progress (first use of a hub model), forwarded by the offscreen document.
chrome.runtime.onMessage.addListener((message: RuntimeMessage) => {
  if (message.to !== 'popup') return false
  const { event } = message
  if (event.status === 'progress') {
    progress.hidden = false
    progress.value = event.progress / 100
    status.textContent = `Downloading ${event.file}…`
  } else if (event.status === 'ready') progress.hidden = true
  return false
})

async function run(query: string): Promise<void> {
  const started = performance.now()
  const tabId = await targetTab()
  // The tab first: no model load for a page the extension cannot read.
  const paragraphs = await toTab<string[]>(tabId, { type: 'paragraphs' }).catch(() => {
    throw new Error(
      'Cannot read this tab: reload it (tabs open before the extension was installed have no content script), or open a web page.',
    )
  })
  if (paragraphs.length === 0) {
    status.textContent = 'No paragraphs on this page.'
    return
  }
  status.textContent = 'Loading the model…'
  const info = unwrap(await toBackground({ type: 'load' }))
  Object.assign(device.dataset, {
    device: info.device,
    threads: String(info.threads),
    reason: info.fallbackReason ?? '',
  })
  device.textContent =
    `${info.model} on ${info.device} (${info.dtype}, ${info.threads} thread${info.threads === 1 ? '' : 's'})` +
    (info.fallbackReason ? `. Not WebGPU: ${info.fallbackReason}` : '')
  const reranker = new PortReranker(info, async (body) => toBackground({ type: 'rerank', body }))

  status.textContent = 'Ranking…'
  let ranked: RerankResult[]
  if (paragraphs.length > FIRST_STAGE_ABOVE) {
    const search = createSearch({ reranker })
    await search.add(paragraphs)
    ranked = (await search.query(query, { candidates: CANDIDATES, topN: TOP_N, returnDocuments: false })).results
  } else {
    ranked = (await reranker.rerank(query, paragraphs, { topN: TOP_N, returnDocuments: false })).results
  }
  await toTab(tabId, { type: 'highlight', indices: ranked.map((r) => r.index) })

  results.replaceChildren(
    ...ranked.map((r) => {
      const li = document.createElement('li')
      Object.assign(li.dataset, { index: String(r.index), score: String(r.relevance_score) })
      const text = paragraphs[r.index] ?? ''
      li.append(text.length > 140 ? `${text.slice(0, 140)}…` : text, document.createElement('br'))
      const score = document.createElement('small')
      score.textContent = `score ${r.relevance_score.toFixed(4)}`
      li.append(score)
      return li
    }),
  )
  status.textContent = `Best ${ranked.length} of ${paragraphs.length} paragraphs in ${Math.round(performance.now() - started)} ms.`
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  results.replaceChildren()
  run(input.value).catch((err: unknown) => {
    status.textContent = err instanceof Error ? err.message : String(err)
    status.dataset.error = err instanceof RerankError ? err.code : 'error'
  })
})

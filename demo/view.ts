// DOM rendering of the demo's outputs: progress, device badge, results, timing and errors.
// Text goes in through textContent only, so documents cannot inject markup.

import { RerankError, type RerankerInfo, type RerankResponse } from '../src/index'
import { formatBytes, type ProgressView } from './progress'

/** The page's element with this data-testid, checked to be a `type` (HTMLElement unless given). */
export function byTestId(id: string): HTMLElement
export function byTestId<T extends HTMLElement>(id: string, type: new () => T): T
export function byTestId(id: string, type: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.querySelector(`[data-testid="${id}"]`)
  if (!el) throw new Error(`demo: missing element [data-testid="${id}"]`)
  if (!(el instanceof type)) throw new Error(`demo: [data-testid="${id}"] is not a ${type.name}`)
  return el
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

export function renderProgress(view: ProgressView | null): void {
  const root = byTestId('progress')
  root.hidden = view === null
  if (!view) return
  const bar = root.querySelector('progress')!
  const fraction = view.ready ? 1 : view.total > 0 ? view.loaded / view.total : 0
  bar.value = fraction
  const bytes = view.total > 0 ? `${formatBytes(view.loaded)} / ${formatBytes(view.total)}` : ''
  root.querySelector('.progress-text')!.textContent = [view.label, bytes].filter(Boolean).join(' · ')
}

export function badgeText(info: RerankerInfo): string {
  const device = info.device === 'webgpu' ? 'WebGPU' : info.device.toUpperCase()
  // Threads matter on WASM (1 means the page is not cross-origin isolated); on WebGPU the GPU does the work.
  const threads = info.device === 'wasm' ? [`${info.threads} thread${info.threads === 1 ? '' : 's'}`] : []
  return [device, ...threads, info.dtype].join(' · ')
}

export function renderBadge(info: RerankerInfo | null): void {
  const root = byTestId('device-badge')
  root.hidden = info === null
  root.replaceChildren()
  if (!info) return
  root.append(el('span', `badge badge-${info.device}`, badgeText(info)))
  root.append(el('span', 'badge-meta', `loaded in ${Math.round(info.loadMs)} ms`))
  if (info.fallbackReason) root.append(el('p', 'badge-reason', `Fell back to WASM: ${info.fallbackReason}`))
}

/** "▲3" when a document moved up three places from its first-stage rank, "▼2" down, "=" unchanged. */
export function rankMove(before: number, after: number): HTMLElement {
  const delta = before - after
  const node = el(
    'span',
    `move ${delta > 0 ? 'up' : delta < 0 ? 'down' : 'same'}`,
    delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : '=',
  )
  node.dataset.testid = 'rank-move'
  node.title = `first-stage rank ${before} → reranked ${after}`
  return node
}

/** A 0..1 score as a bar; a pending one (not scored yet) is striped. */
export function scoreBar(score: number | null, pending = false): HTMLElement {
  const bar = el('span', pending ? 'score-bar pending' : 'score-bar')
  bar.style.setProperty('--score', String(score ?? 0))
  return bar
}

export function renderResults(response: RerankResponse | null): void {
  const list = byTestId('results')
  list.replaceChildren()
  for (const [rank, result] of (response?.results ?? []).entries()) {
    const row = el('li', 'result')
    row.dataset.testid = 'result'
    row.dataset.index = String(result.index)
    row.dataset.score = String(result.relevance_score)
    row.append(
      el('span', 'rank', `${rank + 1}`),
      // In documents mode the first stage is the order the documents were typed in.
      rankMove(result.index + 1, rank + 1),
      el('span', 'orig-index', `#${result.index + 1}`),
      el('span', 'score', result.relevance_score.toFixed(4)),
      scoreBar(result.relevance_score),
      el('span', 'doc', result.document?.text ?? ''),
    )
    list.append(row)
  }
}

export function renderTiming(text: string): void {
  byTestId('timing').textContent = text
}

export function renderError(err: unknown): void {
  const root = byTestId('error')
  root.hidden = err === null
  root.replaceChildren()
  if (err === null) return
  if (err instanceof RerankError) {
    root.append(el('strong', '', `${err.code}: `), document.createTextNode(err.message))
    root.append(el('pre', 'error-json', JSON.stringify(err.toJSON(), null, 2)))
  } else {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown non-Error is shown as String() shows it, as before
    root.append(el('strong', '', 'Error: '), document.createTextNode(err instanceof Error ? err.message : String(err)))
  }
}

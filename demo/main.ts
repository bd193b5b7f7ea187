// The webrerank demo: load a cross-encoder in a worker, then rerank the documents on the page
// (documents mode) or search a whole corpus with BM25 + rerank as you type (corpus mode).

import { createReranker, type Device, type Dtype, type Reranker, type RerankerOptions } from '../src/index'
import { initCorpusMode } from './corpus-controls'
import { choiceById, CHOICES } from './models'
import { LoadProgress } from './progress'
import { SAMPLE_DOCUMENTS, SAMPLE_QUERY } from './samples'
import { DEVICES, DTYPES, initialState, MODES, type FormState, type Mode } from './settings'
import { byTestId, renderBadge, renderError, renderProgress, renderResults, renderTiming } from './view'

const modelSelect = byTestId('model-select', HTMLSelectElement)
const deviceSelect = byTestId('device-select', HTMLSelectElement)
const dtypeSelect = byTestId('dtype-select', HTMLSelectElement)
const loadButton = byTestId('load-button', HTMLButtonElement)
const queryInput = byTestId('query', HTMLInputElement)
const documentsInput = byTestId('documents', HTMLTextAreaElement)
const rerankButton = byTestId('rerank-button', HTMLButtonElement)

let reranker: Reranker | null = null
let progress = new LoadProgress()
let busy = false

const corpus = initCorpusMode(() => reranker)

function fillSelect(
  select: HTMLSelectElement,
  entries: readonly { value: string; label: string }[],
  selected: string,
): void {
  select.replaceChildren(...entries.map(({ value, label }) => new Option(label, value, false, value === selected)))
}

function showChoice(): void {
  const choice = choiceById(modelSelect.value)
  byTestId('random-warning').hidden = !choice.randomWeights
  const info = byTestId('model-info')
  info.textContent = choice.details
  if (choice.nonCommercial) {
    const flag = document.createElement('span')
    flag.className = 'flag-nc'
    flag.textContent = 'non-commercial license'
    info.append(' ', flag)
  }
}

function setBusy(value: boolean): void {
  busy = value
  loadButton.disabled = value
  rerankButton.disabled = value || reranker === null
}

function currentOptions(): RerankerOptions {
  return {
    ...choiceById(modelSelect.value).options,
    device: deviceSelect.value as Device,
    dtype: dtypeSelect.value as Dtype,
    onProgress: (event) => {
      renderProgress(progress.update(event))
    },
  }
}

async function load(): Promise<void> {
  if (busy) return
  setBusy(true)
  renderError(null)
  renderResults(null)
  renderTiming('')
  renderBadge(null)
  // One model at a time: a second worker would hold another copy of the weights.
  const previous = reranker
  reranker = null
  corpus.refresh() // BM25 only until the new model is in
  await previous?.dispose()
  progress = new LoadProgress()
  renderProgress(progress.view())
  try {
    reranker = await createReranker(currentOptions())
    renderBadge(reranker.info)
    corpus.refresh()
  } catch (err) {
    renderProgress(null) // a half-filled bar would suggest the load is still going
    renderError(err)
  } finally {
    setBusy(false)
  }
}

async function rerank(): Promise<void> {
  if (busy || !reranker) return
  setBusy(true)
  renderError(null)
  const documents = documentsInput.value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  try {
    const started = performance.now()
    const response = await reranker.rerank(queryInput.value, documents)
    const ms = performance.now() - started
    renderResults(response)
    const perDoc = documents.length > 0 ? ` (${(ms / documents.length).toFixed(1)} ms each)` : ''
    renderTiming(
      `${documents.length} documents in ${ms.toFixed(0)} ms${perDoc} · ${response.usage.prompt_tokens} prompt tokens`,
    )
  } catch (err) {
    renderResults(null)
    renderTiming('')
    renderError(err)
  } finally {
    setBusy(false)
  }
}

function showMode(mode: Mode): void {
  for (const m of MODES) {
    const tab = byTestId(`mode-${m}`)
    tab.setAttribute('aria-selected', String(m === mode))
    tab.tabIndex = m === mode ? 0 : -1
    document.getElementById(`panel-${m}`)!.hidden = m !== mode
  }
  // Keep the mode in the URL, so a reload or a shared link opens the same tab.
  const url = new URL(location.href)
  url.searchParams.set('mode', mode)
  history.replaceState(null, '', url)
}

function init(state: FormState): void {
  fillSelect(
    modelSelect,
    CHOICES.map((c) => ({ value: c.id, label: c.label })),
    state.choiceId,
  )
  fillSelect(
    deviceSelect,
    DEVICES.map((d) => ({ value: d, label: d })),
    state.device,
  )
  fillSelect(
    dtypeSelect,
    DTYPES.map((d) => ({ value: d, label: d })),
    state.dtype,
  )
  queryInput.value = SAMPLE_QUERY
  documentsInput.value = SAMPLE_DOCUMENTS.join('\n')
  showChoice()
  modelSelect.addEventListener('change', showChoice)
  loadButton.addEventListener('click', () => void load())
  rerankButton.addEventListener('click', () => void rerank())
  queryInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) void rerank()
  })
  for (const m of MODES)
    byTestId(`mode-${m}`).addEventListener('click', () => {
      showMode(m)
    })
  showMode(state.mode)
  setBusy(false)
  if (state.autoload) void load()
}

init(await initialState(location.search))

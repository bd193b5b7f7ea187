// The webrerank demo: load a cross-encoder in a worker, then rerank the documents on the page.

import { createReranker, type Device, type Dtype, type Reranker, type RerankerOptions } from '../src/index'
import { LoadProgress } from './progress'
import { SAMPLE_DOCUMENTS, SAMPLE_QUERY } from './samples'
import { DEVICES, DTYPES, initialState, presetById, PRESETS, type FormState } from './settings'
import { byTestId, renderBadge, renderError, renderProgress, renderResults, renderTiming } from './view'

const modelSelect = byTestId<HTMLSelectElement>('model-select')
const deviceSelect = byTestId<HTMLSelectElement>('device-select')
const dtypeSelect = byTestId<HTMLSelectElement>('dtype-select')
const loadButton = byTestId<HTMLButtonElement>('load-button')
const queryInput = byTestId<HTMLInputElement>('query')
const documentsInput = byTestId<HTMLTextAreaElement>('documents')
const rerankButton = byTestId<HTMLButtonElement>('rerank-button')
const randomWarning = byTestId('random-warning')

let reranker: Reranker | null = null
let progress = new LoadProgress()
let busy = false

function fillSelect(select: HTMLSelectElement, entries: readonly { value: string; label: string }[], selected: string): void {
  select.replaceChildren(...entries.map(({ value, label }) => new Option(label, value, false, value === selected)))
}

function showPresetWarning(): void {
  randomWarning.hidden = !presetById(modelSelect.value).randomWeights
}

function setBusy(value: boolean): void {
  busy = value
  loadButton.disabled = value
  rerankButton.disabled = value || reranker === null
}

function currentOptions(): RerankerOptions {
  const preset = presetById(modelSelect.value)
  return {
    ...preset.options,
    device: deviceSelect.value as Device,
    dtype: dtypeSelect.value as Dtype,
    onProgress: (event) => renderProgress(progress.update(event)),
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
  await previous?.dispose()
  progress = new LoadProgress()
  renderProgress(progress.view())
  try {
    reranker = await createReranker(currentOptions())
    renderBadge(reranker.info)
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
  const documents = documentsInput.value.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  try {
    const started = performance.now()
    const response = await reranker.rerank(queryInput.value, documents)
    const ms = performance.now() - started
    renderResults(response)
    renderTiming(`${documents.length} documents in ${ms.toFixed(0)} ms · ${response.usage.prompt_tokens} prompt tokens`)
  } catch (err) {
    renderResults(null)
    renderTiming('')
    renderError(err)
  } finally {
    setBusy(false)
  }
}

function init(state: FormState): void {
  fillSelect(modelSelect, PRESETS.map((p) => ({ value: p.id, label: p.label })), state.presetId)
  fillSelect(deviceSelect, DEVICES.map((d) => ({ value: d, label: d })), state.device)
  fillSelect(dtypeSelect, DTYPES.map((d) => ({ value: d, label: d })), state.dtype)
  queryInput.value = SAMPLE_QUERY
  documentsInput.value = SAMPLE_DOCUMENTS.join('\n')
  showPresetWarning()
  modelSelect.addEventListener('change', showPresetWarning)
  loadButton.addEventListener('click', () => void load())
  rerankButton.addEventListener('click', () => void rerank())
  queryInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) void rerank()
  })
  setBusy(false)
  if (state.autoload) void load()
}

init(await initialState(location.search))

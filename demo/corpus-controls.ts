// Corpus mode's controls: the sample and file buttons, the search box (debounced as you type)
// and the example queries, wired to a Corpus and its views.

import type { Reranker } from '../src/index'
import { CANDIDATES, Corpus } from './corpus'
import { parseCorpus } from './corpus-file'
import { SAMPLE_CORPUS, SAMPLE_QUERIES } from './corpus-sample'
import { renderAnswer, renderIndexed, renderIndexProgress } from './corpus-view'
import { formatBytes } from './progress'
import { byTestId, renderError } from './view'

/** Pause after the last keystroke before querying: long enough to skip most intermediate words. */
const DEBOUNCE_MS = 250

async function loadFile(corpus: Corpus, file: File): Promise<void> {
  renderError(null)
  try {
    const documents = parseCorpus(file.name, await file.text())
    await corpus.load(documents, `${file.name} (${formatBytes(file.size)})`)
  } catch (err) {
    renderError(err)
  }
}

/** Wires corpus mode's controls to a {@link Corpus} whose reranker stage is `reranker()`. */
export function initCorpusMode(reranker: () => Reranker | null): Corpus {
  const corpus = new Corpus(reranker, {
    onIndexProgress: renderIndexProgress,
    onIndexed: renderIndexed,
    onAnswer: renderAnswer,
    onError: renderError,
  })
  document.getElementById('corpus-candidates')!.textContent = String(CANDIDATES)
  const corpusQuery = byTestId('corpus-query', HTMLInputElement)
  const corpusFile = byTestId('corpus-file', HTMLInputElement)

  const loadSample = (): void => {
    renderError(null)
    void corpus.load([...SAMPLE_CORPUS], 'built-in sample')
  }
  byTestId('corpus-sample-button').addEventListener('click', loadSample)
  corpusFile.addEventListener('change', () => {
    const file = corpusFile.files?.[0]
    corpusFile.value = '' // so choosing the same file again (after editing it) loads it again
    if (file) void loadFile(corpus, file)
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  corpusQuery.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      corpus.run(corpusQuery.value)
    }, DEBOUNCE_MS)
  })
  corpusQuery.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing) return
    clearTimeout(timer)
    corpus.run(corpusQuery.value)
  })
  const examples = byTestId('corpus-examples')
  examples.append('Try: ')
  for (const query of SAMPLE_QUERIES) {
    const chip = document.createElement('button')
    chip.type = 'button'
    chip.className = 'chip'
    chip.textContent = query
    // The examples are written for the sample corpus: with nothing indexed yet, a click loads it first.
    chip.addEventListener('click', () => {
      corpusQuery.value = query
      clearTimeout(timer)
      corpus.run(query)
      if (!corpus.loaded) loadSample()
    })
    examples.append(chip)
  }
  return corpus
}

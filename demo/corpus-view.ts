// DOM rendering of corpus mode: indexing progress, the document count, and the answer to the
// latest query (partial while reranking). Text goes in through textContent only.

import type { IndexProgress } from '../src/index'
import type { CorpusAnswer } from './corpus'
import { byTestId, el, rankMove, scoreBar } from './view'

export function renderIndexProgress(progress: IndexProgress | null): void {
  const root = byTestId('corpus-index-progress')
  root.hidden = progress === null
  if (!progress) return
  const { indexed, total } = progress
  root.querySelector('progress')!.value = total > 0 ? indexed / total : 0
  root.querySelector('.progress-text')!.textContent =
    `Indexing ${indexed.toLocaleString('en')} / ${total.toLocaleString('en')} documents…`
}

export function renderIndexed(size: number, source: string): void {
  const count = byTestId('corpus-count')
  count.dataset.count = String(size)
  count.textContent = `${size.toLocaleString('en')} documents indexed · ${source}`
  const input = byTestId('corpus-query', HTMLInputElement)
  input.disabled = false
  input.placeholder = `Search ${size.toLocaleString('en')} documents…`
}

function statusText(answer: CorpusAnswer): string {
  const parts = [
    `BM25: ${answer.candidates} candidate${answer.candidates === 1 ? '' : 's'} in ${answer.bm25Ms.toFixed(1)} ms`,
  ]
  if (answer.state === 'bm25') parts.push('reranking…')
  if (answer.state === 'reranking') parts.push(`reranking… ${answer.scored ?? 0} / ${answer.candidates} scored`)
  if (answer.state === 'done' && answer.reranked) {
    parts.push(`rerank ${answer.rerankMs?.toFixed(0) ?? '?'} ms`, `${answer.tokens ?? 0} tokens`)
  }
  if (answer.state === 'done' && !answer.reranked && answer.candidates > 0)
    parts.push('BM25 only: load a model to rerank')
  return parts.join(' · ')
}

export function renderAnswer(answer: CorpusAnswer | null): void {
  const list = byTestId('corpus-results')
  const label = byTestId('corpus-results-query')
  const status = byTestId('corpus-status')
  list.replaceChildren()
  list.dataset.query = answer?.query ?? ''
  list.dataset.state = answer?.state ?? 'idle'
  label.textContent = answer ? answer.query : ''
  label.parentElement!.hidden = answer === null
  status.textContent = answer ? statusText(answer) : ''
  status.classList.toggle('busy', answer !== null && answer.state !== 'done')
  if (!answer) return
  if (answer.rows.length === 0) {
    list.append(el('li', 'empty', 'No document contains these words (BM25 needs at least one in common).'))
  }
  for (const [i, row] of answer.rows.entries()) {
    const item = el('li', 'result corpus-result')
    item.dataset.testid = 'corpus-result'
    item.dataset.id = row.id
    item.dataset.bm25Rank = String(row.bm25Rank)
    const doc = el('span', 'doc')
    if (row.title) doc.append(el('strong', 'doc-title', row.title), ' ')
    doc.append(row.text)
    const bm25 = el('span', 'bm25', `BM25 #${row.bm25Rank} · ${row.bm25Score.toFixed(2)}`)
    bm25.dataset.testid = 'bm25-rank'
    // A document the reranker has yet to score has not moved: it waits where BM25 put it.
    const pending = row.score === null && answer.state !== 'done'
    item.append(
      el('span', 'rank', `${i + 1}`),
      pending ? el('span', 'move pending', '…') : rankMove(row.bm25Rank, i + 1),
      el('span', 'score', row.score === null ? '–' : row.score.toFixed(4)),
      scoreBar(row.score, pending),
      bm25,
      doc,
    )
    list.append(item)
  }
}

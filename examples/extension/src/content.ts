// Content script: lists the page's paragraphs and highlights the ones the popup ranked first.
// A classic script (content scripts cannot be modules): it imports types only.

import type { TabMessage } from './messages.js'

const SELECTOR = 'p, li, blockquote, dd, td'
const COLORS = ['#ffe066', '#ffec99', '#fff3bf']
let paragraphs: HTMLElement[] = []

function listParagraphs(): string[] {
  // Innermost text blocks only (an <li> holding a <p> counts once), skipping near-empty ones.
  paragraphs = [...document.querySelectorAll<HTMLElement>(SELECTOR)].filter(
    (el) => el.innerText.trim().length >= 20 && !el.querySelector(SELECTOR),
  )
  return paragraphs.map((el) => el.innerText.trim())
}

function highlight(indices: number[]): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-webrerank-rank]')) {
    delete el.dataset.webrerankRank
    el.style.removeProperty('background-color')
  }
  indices.forEach((index, rank) => {
    const el = paragraphs[index]
    if (!el) return
    el.dataset.webrerankRank = String(rank + 1)
    el.style.backgroundColor = COLORS[Math.min(rank, COLORS.length - 1)]!
  })
  paragraphs[indices[0] ?? -1]?.scrollIntoView({ block: 'center', behavior: 'smooth' })
}

chrome.runtime.onMessage.addListener((message: TabMessage, _sender, reply: (answer: unknown) => void) => {
  if (message.type === 'paragraphs') reply(listParagraphs())
  else {
    highlight(message.indices)
    reply(true)
  }
  return false
})

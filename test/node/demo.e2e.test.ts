// End-to-end check of the demo page: the real Vite dev server (COOP/COEP headers, model mounts)
// and real Chromium, loading the offline random-weight fixture. Without --enable-unsafe-webgpu
// Chromium has no WebGPU adapter, so `device: 'auto'` must fall back to WASM and say why.
// Then both modes: documents (rerank a typed list) and corpus (BM25 → rerank as you type).

import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_CORPUS } from '../../demo/corpus-sample.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js'
import { MODELS } from '../../src/models/registry.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const SCREENSHOT = path.join(ROOT, 'test/screenshots/demo.png')
const CORPUS_SCREENSHOT = path.join(ROOT, 'test/screenshots/demo-corpus.png')
const OFFLINE = 'model=fixtures/ms-marco-MiniLM-L-6-v2-random&localModelPath=/shared-models/'
/** demo/corpus.ts: results shown per corpus query. */
const TOP_N = 10
const MOVE = /^(▲[1-9]\d*|▼[1-9]\d*|=)$/

/** What a rank-move badge should say for a document first ranked `before`, now ranked `after`. */
function expectedMove(before: number, after: number): string {
  return before > after ? `▲${before - after}` : before < after ? `▼${after - before}` : '='
}

describe('demo page (Vite dev server + Chromium)', () => {
  // Unassigned until beforeAll gets that far: afterAll closes whichever started.
  let server: ViteDevServer | undefined
  let browser: Browser | undefined
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await createServer({
      configFile: path.join(ROOT, 'vite.config.ts'),
      server: { port: 0 },
      logLevel: 'warn',
    })
    await server.listen()
    const { port } = server.httpServer!.address() as AddressInfo
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await page.goto(`http://localhost:${port}/?autoload=1&${OFFLINE}`)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('loads the offline model on WASM, with the fallback reason shown', async () => {
    const badge = page.getByTestId('device-badge')
    const error = page.getByTestId('error')
    // Wait for whichever comes first, so a load error fails fast with its message instead of a timeout.
    await badge.or(error).locator('visible=true').first().waitFor({ timeout: 90_000 })
    if (await error.isVisible()) throw new Error(`load failed: ${await error.textContent()}`)
    const text = (await badge.textContent()) ?? ''
    expect(text).toMatch(/WASM · \d+ threads? · q8/)
    expect(text).toMatch(/Fell back to WASM: .*requestAdapter/) // the fallback reason
    expect(text).toMatch(/loaded in \d+ ms/)
    // The download bar ends full, with the bytes loaded out of the total.
    expect(
      await page.locator('[data-testid="progress"] progress').evaluate((e) => (e as HTMLProgressElement).value),
    ).toBe(1)
    expect(await page.getByTestId('progress').textContent()).toMatch(/[\d.]+ MB \/ [\d.]+ MB/)
    expect(await page.getByTestId('random-warning').isVisible()).toBe(true)
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    // Cross-origin isolated, so WASM gets more than one thread (when the machine has more than one core).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency)
    if (cores > 1) expect(text).toMatch(/WASM · [2-9]\d* threads/)
  })

  it('offers every registry model, with languages, size and license', async () => {
    const options = page.locator('[data-testid="model-select"] option')
    expect(await options.count()).toBe(MODELS.length + 1) // the offline model first, then the registry
    expect(await page.getByTestId('model-select').inputValue()).toBe('offline')
    expect(await page.getByTestId('model-info').textContent()).toMatch(/English · [\d.]+ MB q8/)
    const values = await options.evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))
    expect(values.slice(1)).toEqual(MODELS.map((m) => m.id))
    // Picking a hub model describes it and drops the random-weights warning (without loading it).
    const bge = MODELS.find((m) => m.id === 'Xenova/bge-reranker-base')!
    await page.getByTestId('model-select').selectOption(bge.id)
    const info = (await page.getByTestId('model-info').textContent()) ?? ''
    expect(info).toContain(bge.languages)
    expect(info).toContain(`${Math.round(bge.approxDownloadMB.q8!)} MB q8`)
    expect(info).toContain(bge.license)
    expect(await page.getByTestId('random-warning').isVisible()).toBe(false)
    await page.getByTestId('model-select').selectOption('offline')
    expect(await page.getByTestId('random-warning').isVisible()).toBe(true)
  })

  it('reranks the documents and lists every one, best first', async () => {
    const documents = (await page.getByTestId('documents').inputValue()).split('\n').filter((l) => l.trim() !== '')
    expect(documents.length).toBeGreaterThan(1)
    await page.getByTestId('query').fill('what do plants need to grow')
    await page.getByTestId('rerank-button').click()
    const rows = page.getByTestId('result')
    await rows.first().waitFor({ timeout: 30_000 })
    expect(await rows.count()).toBe(documents.length)

    const scores = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.score)))
    const shown = await page.locator('[data-testid="result"] .score').allTextContents()
    expect(shown).toEqual(scores.map((s) => s.toFixed(4)))
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true)
    for (let i = 1; i < scores.length; i++) expect(scores[i - 1]!).toBeGreaterThanOrEqual(scores[i]!)
    // Every original index appears exactly once.
    const indices = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.index)))
    expect([...indices].sort((a, b) => a - b)).toEqual(documents.map((_, i) => i))

    // Each row says how far it moved from its input position (the first stage in documents mode).
    const moves = await page.locator('[data-testid="result"] [data-testid="rank-move"]').allTextContents()
    expect(moves).toEqual(indices.map((index, rank) => expectedMove(index + 1, rank + 1)))

    expect(await page.getByTestId('timing').textContent()).toMatch(/\d+ ms.* · \d+ prompt tokens/)
    expect(await page.getByTestId('error').isVisible()).toBe(false)
    expect(pageErrors).toEqual([])

    await mkdir(path.dirname(SCREENSHOT), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
  })

  it('shows a RerankError with its code and JSON body', async () => {
    await page.getByTestId('query').fill('')
    await page.getByTestId('query').press('Enter')
    const error = page.getByTestId('error')
    await error.waitFor({ state: 'visible', timeout: 10_000 })
    const text = (await error.textContent()) ?? ''
    expect(text).toContain('empty_query')
    expect(text).toContain('"type": "invalid_request_error"')
    expect(await page.getByTestId('result').count()).toBe(0)
  })

  it('searches the sample corpus as you type: BM25, then rerank, latest query only', async () => {
    await page.getByTestId('mode-corpus').click()
    expect(await page.getByTestId('documents').isVisible()).toBe(false)
    await page.getByTestId('corpus-sample-button').click()
    const count = page.getByTestId('corpus-count')
    await page
      .locator(`[data-testid="corpus-count"][data-count="${SAMPLE_CORPUS.length}"]`)
      .waitFor({ timeout: 10_000 })
    expect(await count.textContent()).toMatch(new RegExp(`^${SAMPLE_CORPUS.length} documents indexed`))

    const results = page.getByTestId('corpus-results')
    const done = (query: string) =>
      page
        .locator(`[data-testid="corpus-results"][data-state="done"][data-query="${query}"]`)
        .waitFor({ timeout: 30_000 })

    // Words of the "volcano" sample document, so BM25 must find it.
    const first = 'volcano lava'
    await page.getByTestId('corpus-query').fill(first)
    await done(first)
    const rows = page.getByTestId('corpus-result')
    const n = await rows.count()
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThanOrEqual(TOP_N)
    const ids = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id))
    expect(ids).toContain('volcano')
    const bm25 = await page.locator('[data-testid="corpus-result"] [data-testid="bm25-rank"]').allTextContents()
    expect(bm25).toHaveLength(n)
    for (const text of bm25) expect(text).toMatch(/^BM25 #\d+ · [\d.]+$/)
    const moves = await page.locator('[data-testid="corpus-result"] [data-testid="rank-move"]').allTextContents()
    expect(moves).toHaveLength(n)
    for (const move of moves) expect(move).toMatch(MOVE)
    // In corpus mode the first stage is BM25: each badge compares the BM25 rank with the shown rank.
    const bm25Ranks = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.bm25Rank)))
    expect(moves).toEqual(bm25Ranks.map((before, i) => expectedMove(before, i + 1)))
    expect(await page.getByTestId('corpus-results-query').textContent()).toBe(first)
    expect(await page.getByTestId('corpus-status').textContent()).toMatch(
      /BM25: \d+ candidates? in [\d.]+ ms · rerank \d+ ms · \d+ tokens/,
    )

    // Record every answer the list shows from here on, to catch a stale one arriving late.
    interface Seen {
      query: string
      state: string
    }
    await results.evaluate((list) => {
      const seen: Seen[] = []
      ;(window as unknown as { seen: Seen[] }).seen = seen
      const record = (): void => {
        const { query = '', state = '' } = (list as HTMLElement).dataset
        seen.push({ query, state })
      }
      new MutationObserver(record).observe(list, { attributes: true, attributeFilter: ['data-query', 'data-state'] })
    })
    // 1. A query overtaken in flight: the moment the stale query's BM25 answer shows (its rerank
    // is about to start), the next query goes in. The stale one must never show again.
    const stale = 'bread flour water'
    const next = 'chess king rook'
    await page.evaluate(
      ({ stale, next }) => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="corpus-query"]')!
        const list = document.querySelector<HTMLElement>('[data-testid="corpus-results"]')!
        const submit = (query: string): void => {
          input.value = query
          input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
        }
        new MutationObserver((_, observer) => {
          if (list.dataset.query !== stale || list.dataset.state !== 'bm25') return
          observer.disconnect()
          submit(next)
        }).observe(list, { attributes: true, attributeFilter: ['data-state'] })
        submit(stale)
      },
      { stale, next },
    )
    await done(next)
    // 2. Typing: a query that starts (the debounce has passed), then the next one typed over it.
    const typed = 'volcano ash'
    // Under TOP_N BM25 candidates, so "photosynthesis" (plants, sunlight) stays in whatever order the reranker picks.
    const latest = 'plants sunlight leaves'
    await page.getByTestId('corpus-query').fill(typed)
    await page.waitForTimeout(300)
    await page.getByTestId('corpus-query').fill(latest)
    await done(latest)
    await page.waitForTimeout(1_000) // long enough for an un-cancelled stale answer to land
    expect(await results.getAttribute('data-query')).toBe(latest)
    expect(await results.getAttribute('data-state')).toBe('done')
    expect(await page.getByTestId('corpus-results-query').textContent()).toBe(latest)
    const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen)
    expect(seen.filter((s) => s.query === stale).map((s) => s.state)).toEqual(['bm25'])
    // Each query's answers form one block, in the order the queries were made: nothing stale comes
    // back. (The typed one may be overtaken before it shows on a slow machine, so it is optional.)
    const blocks = seen.map((s) => s.query).filter((query, i, all) => query !== all[i - 1])
    expect(new Set(blocks).size).toBe(blocks.length)
    expect(blocks.filter((query) => query !== typed)).toEqual([stale, next, latest])
    for (const query of [next, latest]) {
      // BM25's answer at once, then (after partial ones, when batches allow) the reranked one.
      const states = seen.filter((s) => s.query === query).map((s) => s.state)
      expect(states[0]).toBe('bm25')
      expect(states.at(-1)).toBe('done')
    }
    const latestIds = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id))
    expect(latestIds).toContain('photosynthesis')
    expect(latestIds.length).toBeLessThanOrEqual(TOP_N)
    expect(await page.getByTestId('error').isVisible()).toBe(false)
    expect(pageErrors).toEqual([])

    await page.mouse.move(0, 0) // no hover highlight in the screenshot
    await mkdir(path.dirname(CORPUS_SCREENSHOT), { recursive: true })
    await page.screenshot({ path: CORPUS_SCREENSHOT, fullPage: true })
  })

  it('loads a JSONL corpus from a file, and reports a bad line by number', async () => {
    const jsonl = [
      { id: 'a', title: 'Otters', text: 'Sea otters hold hands while they sleep so they do not drift apart.' },
      { id: 'b', text: 'Honey never spoils because its low water content stops bacteria growing.' },
      { text: 'Octopuses have three hearts and blue blood.' },
    ]
      .map((d) => JSON.stringify(d))
      .join('\n')
    await page
      .getByTestId('corpus-file')
      .setInputFiles({ name: 'tiny.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl) })
    await page.locator('[data-testid="corpus-count"][data-count="3"]').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('corpus-count').textContent()).toContain('tiny.jsonl')
    const query = 'otters sleep'
    await page.getByTestId('corpus-query').fill(query)
    await page
      .locator(`[data-testid="corpus-results"][data-state="done"][data-query="${query}"]`)
      .waitFor({ timeout: 30_000 })
    const ids = await page
      .getByTestId('corpus-result')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id))
    expect(ids[0]).toBe('a') // the only document with either word

    await page.getByTestId('corpus-file').setInputFiles({
      name: 'bad.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from('{"text":"ok"}\n{"title":"no text"}\n'),
    })
    const error = page.getByTestId('error')
    await error.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await error.textContent()).toContain('line 2')
    expect(await page.getByTestId('corpus-count').getAttribute('data-count')).toBe('3') // the old corpus stays
  })
})

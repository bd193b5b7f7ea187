// End-to-end check of the demo page: the real Vite dev server (COOP/COEP headers, model mounts)
// and real Chromium, loading the offline random-weight fixture. Without --enable-unsafe-webgpu
// Chromium has no WebGPU adapter, so `device: 'auto'` must fall back to WASM and say why.

import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')
const SCREENSHOT = path.join(ROOT, 'test/screenshots/demo.png')
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const OFFLINE = 'model=fixtures/ms-marco-MiniLM-L-6-v2-random&localModelPath=/shared-models/'

describe('demo page (Vite dev server + Chromium)', () => {
  let server: ViteDevServer
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    server = await createServer({ configFile: path.join(ROOT, 'vite.config.ts'), server: { port: 0 }, logLevel: 'warn' })
    await server.listen()
    const { port } = server.httpServer!.address() as AddressInfo
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
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
    expect(text).toMatch(/requestAdapter/) // the fallback reason
    expect(await page.getByTestId('random-warning').isVisible()).toBe(true)
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    // Cross-origin isolated, so WASM gets more than one thread (when the machine has more than one core).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency)
    if (cores > 1) expect(text).toMatch(/WASM · [2-9]\d* threads/)
  })

  it('reranks the documents and lists every one, best first', async () => {
    const documents = (await page.getByTestId('documents').inputValue()).split('\n').filter((l) => l.trim() !== '')
    expect(documents.length).toBeGreaterThan(1)
    await page.getByTestId('query').fill('what do plants need to grow')
    await page.getByTestId('rerank-button').click()
    const rows = page.getByTestId('result')
    await rows.first().waitFor({ timeout: 30_000 })
    expect(await rows.count()).toBe(documents.length)

    const scores = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset['score'])))
    const shown = await page.locator('[data-testid="result"] .score').allTextContents()
    expect(shown).toEqual(scores.map((s) => s.toFixed(4)))
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true)
    for (let i = 1; i < scores.length; i++) expect(scores[i - 1]!).toBeGreaterThanOrEqual(scores[i]!)
    // Every original index appears exactly once.
    const indices = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset['index'])))
    expect([...indices].sort((a, b) => a - b)).toEqual(documents.map((_, i) => i))

    expect(await page.getByTestId('timing').textContent()).toMatch(/\d+ ms · \d+ prompt tokens/)
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
})

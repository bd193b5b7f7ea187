// The example Manifest V3 extension (examples/extension), built from the packed tarball with the
// tiny test model packaged inside it, loaded unpacked into Chromium (new headless mode loads
// extensions). The real popup is opened with chrome.action.openPopup() (headless has no toolbar
// to click) and driven through a second CDP connection, since Playwright lists only tabs.
// Checks: the highlighted paragraphs are the reranker's best, as Node ranks them; the device and
// threads are reported; a query after the offscreen document closed for idleness still works.
// Prints the time to first result: cold (fresh profile), warm, after the idle close, cached (second session).

/// <reference types="chrome" />

import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createReranker, createSearch } from '../../src/node.js'
import type { RerankResponse } from '../../src/index.js'
import { serveStatic, type Served } from '../consumers/serve.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const EXTENSION = path.join(ROOT, 'examples/extension/dist')
const MODEL = 'webrerank-test/bert-tiny'
const TIMEOUT = 600_000
const SCREENSHOT = path.join(ROOT, 'test/screenshots/extension.png')

/** The test page's paragraphs: few enough that the popup reranks them all (no BM25 stage). */
const PARAGRAPHS = [
  'The stock market closed higher on Friday after a week of strong earnings reports.',
  'Photosynthesis converts light energy into chemical energy stored in glucose.',
  'Plants make their food from sunlight, water and carbon dioxide taken in through their leaves.',
  'The Golden Gate Bridge opened to traffic in 1937 and spans the strait into San Francisco Bay.',
  'A sourdough starter is a culture of wild yeast and lactic acid bacteria kept alive with flour.',
  'Chlorophyll absorbs red and blue light, which is why most leaves look green to us.',
  'The bridge was the longest suspension span in the world until 1964.',
  'Regular exercise lowers blood pressure and improves sleep in most adults.',
]
const QUERIES = ['how do plants make food', 'when did the bridge open'] as const
/** A long page: more paragraphs than FIRST_STAGE_ABOVE (50), so BM25 picks the candidates first. */
const LONG_PARAGRAPHS = Array.from(
  { length: 60 },
  (_, i) => `${PARAGRAPHS[i % PARAGRAPHS.length]!} (Note ${i + 1} on page two, about item ${(i * 7) % 13}.)`,
)
const page = (
  paragraphs: string[],
): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test page</title></head>
<body style="font: 16px sans-serif; max-width: 40em; margin: 2em auto"><h1>A page of unrelated facts</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</body></html>`

let server: Served | undefined
const reference = new Map<string, RerankResponse>()
let longReference: number[] = []

beforeAll(async () => {
  await run(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      'examples/extension/build.ts',
      '--model',
      MODEL,
      '--package-model',
      `test/.models/${MODEL}`,
      '--dtype',
      'fp32',
      // WEBRERANK_SPEC: test a published version or another tarball instead of this checkout's.
      ...(process.env.WEBRERANK_SPEC ? ['--webrerank', process.env.WEBRERANK_SPEC] : []),
    ],
    { cwd: ROOT, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' }, maxBuffer: 64 << 20 },
  )
  const site = await mkdtemp(path.join(tmpdir(), 'webrerank-extension-page-'))
  await writeFile(path.join(site, 'index.html'), page(PARAGRAPHS))
  await writeFile(path.join(site, 'long.html'), page(LONG_PARAGRAPHS))
  server = await serveStatic(site, false)
  // The same model and dtype in Node: the ranking the highlights must show.
  const reranker = await createReranker({
    model: MODEL,
    localModelPath: path.join(ROOT, 'test/.models/'),
    allowRemoteModels: false,
    dtype: 'fp32',
  })
  for (const query of QUERIES) reference.set(query, await reranker.rerank(query, PARAGRAPHS))
  // The popup's long-page path: BM25 candidates, then the reranker (src/config.ts: 50 candidates, top 3).
  const search = createSearch({ reranker })
  await search.add(LONG_PARAGRAPHS)
  longReference = (await search.query(QUERIES[1], { candidates: 50, topN: 3 })).results.map((r) => r.index)
  await reranker.dispose()
}, TIMEOUT)

afterAll(async () => {
  await server?.close()
})

interface Session {
  context: BrowserContext
  serviceWorker: Worker
  page: Page
  popup: Page
}

/** Chromium with the extension loaded, the test page in a tab and the real popup opened over it. */
async function openSession(userDataDir: string): Promise<Session> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      // The popup is not a tab, so Playwright's own connection does not list it; CDP does.
      '--remote-debugging-port=0',
    ],
  })
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
  // A short idle time, so the offscreen document closes between the test's two queries.
  await serviceWorker.evaluate(() => chrome.storage.local.set({ idleMs: 3000 }))
  const page = await context.newPage()
  await page.goto(server!.url)
  await page.bringToFront()
  await serviceWorker.evaluate(() => chrome.action.openPopup())
  const port = (await readFile(path.join(userDataDir, 'DevToolsActivePort'), 'utf8')).split('\n')[0]
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
  let popup: Page | undefined
  await expect
    .poll(
      () =>
        (popup = cdp
          .contexts()
          .flatMap((c) => c.pages())
          .find((p) => p.url().endsWith('/popup.html'))),
    )
    .toBeDefined()
  return { context, serviceWorker, page, popup: popup! }
}

interface QueryResult {
  ms: number
  highlighted: string[]
  listed: { index: number; score: number }[]
  device: Record<string, string | undefined>
}

/** Types `query` in the popup, submits, and waits for the results; `ms` is submit to result. */
async function query({ page, popup }: Session, text: string): Promise<QueryResult> {
  await popup.fill('#query', text)
  const started = performance.now()
  await popup.click('#go')
  await popup.waitForFunction(
    () => document.querySelectorAll('#results li').length > 0 || document.getElementById('status')?.dataset.error,
    undefined,
    { timeout: 120_000 },
  )
  const ms = performance.now() - started
  expect(await popup.locator('#status').getAttribute('data-error'), await popup.locator('#status').innerText()).toBe(
    null,
  )
  const highlighted = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-webrerank-rank]')]
      .sort((a, b) => Number(a.dataset.webrerankRank) - Number(b.dataset.webrerankRank))
      .map((el) => el.innerText),
  )
  const listed = await popup.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#results li')].map((li) => ({
      index: Number(li.dataset.index),
      score: Number(li.dataset.score),
    })),
  )
  const device = await popup.evaluate(() =>
    Object.fromEntries(Object.entries(document.getElementById('device')!.dataset)),
  )
  return { ms, highlighted, listed, device }
}

/** The popup showed and the page highlighted Node's three best paragraphs, best first. */
function expectNodeRanking(result: QueryResult, text: string): void {
  const best = reference.get(text)!.results.slice(0, 3)
  expect(result.highlighted).toEqual(best.map((r) => PARAGRAPHS[r.index]))
  expect(result.listed.map((r) => r.index)).toEqual(best.map((r) => r.index))
  result.listed.forEach((r, i) => {
    expect(Math.abs(r.score - best[i]!.relevance_score)).toBeLessThan(1e-4)
  })
}

const offscreenDocuments = (serviceWorker: Worker): Promise<number> =>
  serviceWorker.evaluate(
    async () =>
      (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length,
  )

test(
  'the popup highlights the reranker’s best paragraphs, reports the device, and works again after the idle close',
  async () => {
    const profile = await mkdtemp(path.join(tmpdir(), 'webrerank-extension-profile-'))
    const times: Record<string, number> = {}

    const first = await openSession(profile)
    try {
      const cold = await query(first, QUERIES[0])
      times['cold (fresh profile, model load included)'] = cold.ms
      expectNodeRanking(cold, QUERIES[0])
      // At once, while the offscreen document (idle after 3 s) still holds the model.
      const warm = await query(first, QUERIES[1])
      times['warm (offscreen document open, model loaded)'] = warm.ms
      expectNodeRanking(warm, QUERIES[1])
      // WebGPU when it passes the probe; otherwise WASM and the reason (no adapter in headless here).
      expect(['webgpu', 'wasm']).toContain(cold.device.device)
      if (cold.device.device === 'wasm') expect(cold.device.reason).not.toBe('')
      // The manifest's COOP/COEP keys isolate the offscreen document: WASM gets its threads.
      const cores = await first.page.evaluate(() => navigator.hardwareConcurrency)
      expect(Number(cold.device.threads)).toBe(Math.min(cores, 4))
      await mkdir(path.dirname(SCREENSHOT), { recursive: true })
      await first.page.screenshot({ path: SCREENSHOT })
      await first.popup.screenshot({ path: SCREENSHOT.replace('.png', '-popup.png') })

      // The offscreen document closes itself after idleMs; the next query starts a new one.
      await expect.poll(() => offscreenDocuments(first.serviceWorker), { timeout: 60_000 }).toBe(0)
      const again = await query(first, QUERIES[1])
      times['after the idle close (model reloaded)'] = again.ms
      expectNodeRanking(again, QUERIES[1])

      // A long page goes through BM25 first, with the popup opened as a tab for it (?tab=<id>).
      const long = await first.context.newPage()
      await long.goto(`${server!.url}long.html`)
      await long.bringToFront()
      const tabId = await first.serviceWorker.evaluate(
        async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id,
      )
      expect(tabId).toBeTypeOf('number')
      const popupTab = await first.context.newPage()
      await popupTab.goto(`chrome-extension://${new URL(first.serviceWorker.url()).host}/popup.html?tab=${tabId}`)
      const ranked = await query({ ...first, page: long, popup: popupTab }, QUERIES[1])
      expect(ranked.listed.map((r) => r.index)).toEqual(longReference)
      expect(ranked.highlighted).toEqual(longReference.map((i) => LONG_PARAGRAPHS[i]))
    } finally {
      await first.context.close()
    }

    const second = await openSession(profile)
    try {
      const cached = await query(second, QUERIES[0])
      times['cached (second session, same profile)'] = cached.ms
      expectNodeRanking(cached, QUERIES[0])
    } finally {
      await second.context.close()
    }
    for (const [what, ms] of Object.entries(times))
      console.log(`extension: time to first result, ${what}: ${Math.round(ms)} ms`)
  },
  TIMEOUT,
)

// Issue 12's service-worker case: a page's fetch('/v1/rerank') answered by a service worker that
// runs createFetchHandler from 'webrerank/http'. A service worker cannot start a dedicated Worker
// (nor import()), so the model lives in the page: per request, the service worker asks the page
// that sent it, over a MessageChannel, through the PortReranker of the extension example
// (examples/extension/src/port-reranker.ts). The app is a Vite build of the packed tarball, in Chromium.

import { execFile } from 'node:child_process'
import { copyFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { chromium } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { RerankResponse } from '../../src/index.js'
import { APPS_DIR, CALL, npm, NPM_ENV } from '../consumers/apps.js'
import { serveStatic, type Served } from '../consumers/serve.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js'
import { packedTarball } from '../support/tarball.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const TIMEOUT = 600_000
const DIR = path.join(APPS_DIR, 'service-worker')

const PAGE = `import { createReranker } from 'webrerank'
import { replyOf } from './port-reranker'

const CALL = ${JSON.stringify(CALL)}

async function main() {
  const reranker = await createReranker(CALL.options)
  // The service worker's questions, each with its own port for the answer.
  navigator.serviceWorker.addEventListener('message', (event) => {
    const [port] = event.ports
    if (event.data.type === 'info') port.postMessage({ ok: true, value: { model: reranker.info.model, modelId: reranker.info.modelId } })
    else void replyOf(() => reranker.rerank(event.data.body)).then((reply) => port.postMessage(reply))
  })
  navigator.serviceWorker.startMessages()
  await navigator.serviceWorker.register('/sw.js', { type: 'module' })
  if (!navigator.serviceWorker.controller)
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))

  const post = async (body) => {
    const res = await fetch('/v1/rerank', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    return { status: res.status, body: await res.json(), via: res.headers.get('X-Served-By') }
  }
  const body = { query: CALL.query, documents: [...CALL.documents], top_n: 2 }
  return {
    ok: await post(body),
    direct: await reranker.rerank(body),
    empty: await post({ ...body, query: '' }),
  }
}

main().then(
  (result) => Reflect.set(window, '__result', result),
  (err) => Reflect.set(window, '__result', { error: String(err && err.code) + ': ' + String(err && err.message) }),
)
`

const SERVICE_WORKER = `import { createFetchHandler } from 'webrerank/http'
import { PortReranker } from './port-reranker'

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))

/** Asks the page hosting the reranker; the answer comes back on a port of its own. */
function ask(client, message) {
  const { port1, port2 } = new MessageChannel()
  return new Promise((resolve) => {
    port1.onmessage = (event) => resolve(event.data)
    client.postMessage(message, [port2])
  })
}

self.addEventListener('fetch', (event) => {
  if (!new URL(event.request.url).pathname.startsWith('/v1/')) return
  event.respondWith(
    (async () => {
      const client = await self.clients.get(event.clientId)
      const { value: info } = await ask(client, { type: 'info' })
      const handler = createFetchHandler(new PortReranker(info, (body) => ask(client, { type: 'rerank', body })))
      const response = await handler(event.request)
      response.headers.set('X-Served-By', 'service-worker')
      return response
    })(),
  )
})
`

const VITE_CONFIG = `export default {
  build: {
    rolldownOptions: {
      input: { main: 'index.html', sw: 'src/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
}
`

interface PageResult {
  ok?: { status: number; body: RerankResponse; via: string | null }
  direct?: RerankResponse
  empty?: { status: number; body: unknown; via: string | null }
  error?: string
}

let server: Served | undefined

beforeAll(async () => {
  // WEBRERANK_SPEC: test a published version or another tarball instead of this checkout's.
  const tarball = process.env.WEBRERANK_SPEC ?? (await packedTarball())
  await mkdir(DIR, { recursive: true })
  for (const entry of await readdir(DIR))
    if (entry !== 'node_modules') await rm(path.join(DIR, entry), { recursive: true, force: true })
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'sw-consumer',
      private: true,
      type: 'module',
      devDependencies: { vite: '^8.3.8' },
    }),
    'index.html':
      '<!doctype html>\n<html lang="en"><head><meta charset="UTF-8" /></head><body><script type="module" src="/src/main.ts"></script></body></html>\n',
    'src/main.ts': PAGE,
    'src/sw.ts': SERVICE_WORKER,
    'vite.config.js': VITE_CONFIG,
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(DIR, file)), { recursive: true })
    await writeFile(path.join(DIR, file), text)
  }
  await copyFile(path.join(ROOT, 'examples/extension/src/port-reranker.ts'), path.join(DIR, 'src/port-reranker.ts'))
  if (!existsSync(path.join(DIR, 'node_modules/vite'))) await npm(['install', '--prefer-offline'], DIR)
  await npm(['install', '--prefer-offline', '--no-save', tarball], DIR)
  await rm(path.join(DIR, 'node_modules/.vite'), { recursive: true, force: true })
  await cp(path.join(ROOT, 'test/.models', CALL.options.model), path.join(DIR, 'public/models', CALL.options.model), {
    recursive: true,
  })
  await run(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { cwd: DIR, env: NPM_ENV })
  server = await serveStatic(path.join(DIR, 'dist'), false)
}, TIMEOUT)

afterAll(async () => {
  await server?.close()
})

test('the service worker bundle has no import(): module service workers refuse it', async () => {
  expect(await readFile(path.join(DIR, 'dist/sw.js'), 'utf8')).not.toMatch(/\bimport\(/)
})

test(
  "a page's fetch('/v1/rerank') is answered by the service worker's createFetchHandler, the model in the page",
  async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
    try {
      const page = await browser.newPage()
      await page.goto(server!.url)
      await page.waitForFunction(() => Reflect.has(window, '__result'), undefined, { timeout: 120_000 })
      const result = await page.evaluate(() => Reflect.get(window, '__result') as PageResult)
      expect(result.error).toBeUndefined()
      // Through the service worker, exactly what reranker.rerank(body) gives (ids are random).
      expect(result.ok!.via).toBe('service-worker')
      expect(result.ok!.status).toBe(200)
      expect({ ...result.ok!.body, id: '' }).toEqual({ ...result.direct!, id: '' })
      expect(result.ok!.body.results).toHaveLength(2)
      // The page's RerankError crossed as its body and was rebuilt: the handler's 400, not a 500.
      expect(result.empty).toEqual({
        status: 400,
        via: 'service-worker',
        body: {
          error: {
            message: 'webrerank: query must be a non-empty string.',
            type: 'invalid_request_error',
            code: 'empty_query',
          },
        },
      })
    } finally {
      await browser.close()
    }
  },
  TIMEOUT,
)

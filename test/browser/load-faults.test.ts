// Load faults in the browser: each gives model_load_failed with its cause, and none leaves a
// poisoned cache entry behind (a later load of the fixed file succeeds); a corrupt cached file
// is detected and fetched again. The faults come from test/support/model-server.ts (/faulty/).

import { expect, test } from 'vitest'
import { createReranker, isCached, prefetch, RerankError } from '../../src/index'
import { TINY_MODEL } from '../support/tiny-model'

/** A fresh faulty mount per test, so no fault state or cache entry is shared between tests. */
function faulty(fault: 'truncate' | 'cut' | 'missing' | 'heal' | 'html' | 'htmlonce'): {
  localModelPath: string
  model: string
  allowRemoteModels: false
} {
  return { localModelPath: `/faulty/${fault}-${crypto.randomUUID()}/`, model: TINY_MODEL, allowRemoteModels: false }
}

async function loadError(options: ReturnType<typeof faulty>): Promise<RerankError> {
  const err = await createReranker({ ...options, device: 'wasm' }).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(RerankError)
  return err as RerankError
}

test('a truncated ONNX file: model_load_failed with the cause, and nothing left in the cache', async () => {
  const options = faulty('truncate')
  const err = await loadError(options)
  expect(err.code).toBe('model_load_failed')
  expect(err.message).toContain(TINY_MODEL)
  expect(err.cause).toBeDefined()
  expect(await isCached(options)).toBe(false)
})

test('the connection dropped half way through the ONNX file: model_load_failed', async () => {
  const err = await loadError(faulty('cut'))
  expect(err.code).toBe('model_load_failed')
})

test('a missing ONNX file (404) while the config exists: model_load_failed naming the weights', async () => {
  const err = await loadError(faulty('missing'))
  expect(err.code).toBe('model_load_failed')
  expect(err.message).toMatch(/q8 weights of "webrerank-test\/bert-tiny" were not found/)
})

test('a corrupt download is not kept: the next load, with the file whole again, succeeds', async () => {
  // heal: the first request for the file gets half of it, later ones all of it. The load sees the
  // corrupt copy, drops the cached files, fetches again and succeeds in the same call.
  const options = faulty('heal')
  const reranker = await createReranker({ ...options, device: 'wasm' })
  const res = await reranker.rerank('q', ['a', 'b'])
  expect(res.results).toHaveLength(2)
  await reranker.dispose()
  expect(await isCached(options)).toBe(true)
})

test('a corrupt file already in the cache is detected and fetched again', async () => {
  const options = { ...faulty('heal'), localModelPath: `/models/` }
  // Put a corrupt copy where transformers.js looks first (its Cache API store, keyed by URL).
  const cache = await caches.open('transformers-cache')
  const key = new URL(`/models/${TINY_MODEL}/onnx/model_quantized.onnx`, location.href).href
  await cache.put(key, new Response(new Uint8Array(1000), { headers: { 'content-length': '1000' } }))
  const reranker = await createReranker({ ...options, device: 'wasm' })
  expect((await reranker.rerank('q', ['a'])).results).toHaveLength(1)
  await reranker.dispose()
  const cached = await cache.match(key)
  expect((await cached!.arrayBuffer()).byteLength).toBeGreaterThan(1000)
})

test('an HTML page answered for config.json (an SPA fallback): model_not_found saying so, and nothing cached', async () => {
  const options = faulty('html')
  const err = await loadError(options)
  expect(err.code).toBe('model_not_found')
  expect(err.message).toMatch(/is an HTML page, not the file/)
  expect(await isCached(options)).toBe(false)
})

test('an HTML page answered once, then the real file: the load drops the cached page and succeeds', async () => {
  const reranker = await createReranker({ ...faulty('htmlonce'), device: 'wasm' })
  expect((await reranker.rerank('q', ['a'])).results).toHaveLength(1)
  await reranker.dispose()
})

test('storage full (QuotaExceededError): prefetch fails with model_load_failed and its cause; a load still works, uncached', async () => {
  const options = faulty('heal') // a fresh URL prefix: nothing of it is cached yet
  const quotaWorker = (): Worker => new Worker(new URL('./quota-worker.ts', import.meta.url), { type: 'module' })
  const err = (await prefetch({ ...options, worker: quotaWorker() }).catch((e: unknown) => e)) as RerankError
  expect(err).toBeInstanceOf(RerankError)
  expect(err.code).toBe('model_load_failed')
  expect(err.message).toMatch(/QuotaExceededError|quota/i)
  // transformers.js only warns when it cannot cache a file: the model loads and runs, uncached.
  const reranker = await createReranker({
    ...faulty('htmlonce'),
    localModelPath: '/models/',
    device: 'wasm',
    worker: quotaWorker(),
  })
  expect((await reranker.rerank('q', ['a'])).results).toHaveLength(1)
  await reranker.dispose()
})

// Browser-only behaviour: the worker, the WASM fallback without a WebGPU adapter, threads under
// cross-origin isolation, and a main thread that stays responsive while the model runs.

import { describe, expect, test } from 'vitest'
import { createReranker, RerankError } from '../../src/index'
import { faultDuringCall } from '../support/in-flight'
import { TINY_MODEL } from '../support/tiny-model'

const TINY = { model: TINY_MODEL, localModelPath: '/models/', allowRemoteModels: false }

describe('Chromium without a WebGPU adapter', () => {
  test('navigator.gpu exists but requestAdapter() gives null (the case a presence check gets wrong)', async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu
    expect(gpu).toBeDefined()
    expect(await gpu!.requestAdapter()).toBeNull()
  })

  test("device 'auto' lands on WASM and says why", async () => {
    const reranker = await createReranker(TINY)
    try {
      expect(reranker.info.device).toBe('wasm')
      expect(reranker.info.dtype).toBe('q8')
      expect(reranker.info.fallbackReason).toMatch(/requestAdapter\(\) returned null/)
    } finally {
      await reranker.dispose()
    }
  })

  test("device 'webgpu' rejects with webgpu_unavailable", async () => {
    const err = await createReranker({ ...TINY, device: 'webgpu' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RerankError)
    expect((err as RerankError).toJSON()).toEqual({
      error: {
        message: 'webrerank: No WebGPU adapter: navigator.gpu.requestAdapter() returned null.',
        type: 'server_error',
        code: 'webgpu_unavailable',
      },
    })
  })

  test('WASM is multi-threaded when the page is cross-origin isolated', async () => {
    expect(crossOriginIsolated).toBe(true)
    const reranker = await createReranker({ ...TINY, device: 'wasm' })
    try {
      expect(reranker.info.threads).toBe(Math.min(navigator.hardwareConcurrency, 4))
    } finally {
      await reranker.dispose()
    }
  })

  test('progress events arrive across the worker boundary, ending with ready', async () => {
    const events: string[] = []
    const reranker = await createReranker({ ...TINY, device: 'wasm', onProgress: (p) => events.push(p.status) })
    await reranker.dispose()
    expect(events).toContain('initiate')
    expect(events).toContain('done')
    expect(events.at(-1)).toBe('ready')
  })

  test('the main thread stays responsive while the worker scores (timers keep firing)', async () => {
    const reranker = await createReranker({ ...TINY, device: 'wasm', dtype: 'fp32' })
    try {
      const docs = Array.from(
        { length: 100 },
        (_, i) => `${'a fairly long passage about many different things '.repeat(40)} ${i}`,
      )
      const ticks: number[] = []
      const timer = setInterval(() => ticks.push(performance.now()), 10)
      const started = performance.now()
      await reranker.rerank('passage', docs)
      const elapsed = performance.now() - started
      clearInterval(timer)
      const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!)
      const maxGap = Math.max(...gaps)
      console.log(
        `rerank took ${elapsed.toFixed(0)} ms; ${ticks.length} timer ticks, longest gap ${maxGap.toFixed(0)} ms`,
      )
      expect(elapsed).toBeGreaterThan(200) // enough work for the check to mean something
      expect(ticks.length).toBeGreaterThan(elapsed / 10 / 3)
      expect(maxGap).toBeLessThan(100)
    } finally {
      await reranker.dispose()
    }
  })
})

describe('failures that name the URL and the fix', () => {
  test('a runtime file that is not served: model_load_failed naming the URL', async () => {
    const wasmPaths = {
      mjs: '/no-such-dir/ort-wasm-simd-threaded.mjs',
      wasm: '/no-such-dir/ort-wasm-simd-threaded.wasm',
    }
    const err = (await createReranker({ ...TINY, device: 'wasm', wasmPaths }).catch((e: unknown) => e)) as RerankError
    expect(err).toBeInstanceOf(RerankError)
    expect(err.code).toBe('model_load_failed')
    expect(err.message).toContain(`${location.origin}/no-such-dir/ort-wasm-simd-threaded.mjs`)
    expect(err.message).toMatch(/HTTP 404|served as "text\/html/)
    expect(err.message).toContain('wasmPaths')
  })

  test('a worker that fails to start: model_load_failed that names the escape hatch, no hang', async () => {
    const worker = new Worker('/no-such-worker.js', { type: 'module' })
    const err = (await createReranker({ ...TINY, worker }).catch((e: unknown) => e)) as RerankError
    expect(err).toBeInstanceOf(RerankError)
    expect(err.code).toBe('model_load_failed')
    expect(err.message).toContain("import 'webrerank/worker'")
  })
})

describe('a worker that dies', () => {
  test('calls in flight reject at once with inference_failed; so do later ones (its own worker is not replaced)', async () => {
    const worker = new Worker(new URL('./crashing-worker.ts', import.meta.url), { type: 'module' })
    const reranker = await createReranker({ ...TINY, worker, maxBatchSize: 1 })
    const docs = Array.from({ length: 100 }, (_, i) => `document number ${i} about plants and food`)
    const { error, settledMs } = await faultDuringCall(reranker, 'how do plants make food', docs, () => {
      worker.postMessage('crash')
    })
    const err = error as RerankError
    console.log(`worker crash during a call: rejected with ${err.code} after ${settledMs.toFixed(0)} ms`)
    expect(settledMs).toBeLessThan(2000)
    expect(err).toBeInstanceOf(RerankError)
    expect(err.code).toBe('inference_failed')
    expect(err.message).toContain('the worker stopped')
    const later = (await reranker.rerank('q', ['a']).catch((e: unknown) => e)) as RerankError
    expect(later.code).toBe('inference_failed')
    await reranker.dispose()
  })

  test('after a failed inference the next call runs in a fresh worker and info.restarts says so', async () => {
    const reranker = await createReranker({ ...TINY, model: 'webrerank-test/bert-short-positions', dtype: 'fp32' })
    try {
      const before = await reranker.rerank('short', ['short document'])
      const long = Array.from({ length: 100 }, () => 'word').join(' ')
      expect(((await reranker.rerank('short', [long]).catch((e: unknown) => e)) as RerankError).code).toBe(
        'inference_failed',
      )
      expect(reranker.info.restarts).toBeUndefined()
      const after = await reranker.rerank('short', ['short document'])
      expect(after.results[0]!.relevance_score).toBe(before.results[0]!.relevance_score)
      expect(reranker.info.restarts).toBe(1)
    } finally {
      await reranker.dispose()
    }
  })
})

describe('a Worker serves one reranker', () => {
  test('one already serving a reranker, or one a dispose() terminated, is refused (postMessage to it would hang)', async () => {
    const worker = new Worker(new URL('./crashing-worker.ts', import.meta.url), { type: 'module' })
    const first = await createReranker({ ...TINY, worker })
    const busy = (await createReranker({ ...TINY, worker }).catch((e: unknown) => e)) as RerankError
    expect(busy.code).toBe('invalid_request')
    expect(busy.message).toContain('already serves another reranker')
    await first.dispose()
    const gone = (await createReranker({ ...TINY, worker }).catch((e: unknown) => e)) as RerankError
    expect(gone.code).toBe('invalid_request')
    expect(gone.message).toContain('was terminated')
  })

  test('a relative localModelPath means the page-relative folder, not one next to the worker script', async () => {
    const reranker = await createReranker({ ...TINY, localModelPath: './models/' })
    expect((await reranker.rerank('q', ['a'])).results).toHaveLength(1)
    await reranker.dispose()
  })
})

test('a worker terminated by the code that made it: calls in flight reject at once with inference_failed', async () => {
  const worker = new Worker(new URL('./crashing-worker.ts', import.meta.url), { type: 'module' })
  const reranker = await createReranker({ ...TINY, worker, maxBatchSize: 1 })
  const docs = Array.from({ length: 100 }, (_, i) => `document number ${i} about plants and food`)
  const { error, settledMs } = await faultDuringCall(reranker, 'how do plants make food', docs, () => {
    worker.terminate()
  })
  const err = error as RerankError
  console.log(
    `worker terminated from outside during a call: rejected with ${err.code} after ${settledMs.toFixed(0)} ms`,
  )
  expect(err.code).toBe('inference_failed')
  expect(err.message).toContain('terminated')
  await reranker.dispose()
})

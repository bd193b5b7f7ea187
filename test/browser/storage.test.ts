// Model files in the browser's cache: status, prefetch and clear work on transformers.js's own
// cache (a model a reranker loaded counts as cached, a prefetched one loads from it).

import { expect, test } from 'vitest'
import { clearCache, createReranker, isCached, modelCacheStatus, prefetch, type ProgressEvent } from '../../src/index'
import { TINY_MODEL } from '../support/tiny-model'

const TINY = { model: TINY_MODEL, localModelPath: '/models/', allowRemoteModels: false }
const FILES = ['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']

async function servedBytes(file: string): Promise<number> {
  return (await (await fetch(`/models/${TINY_MODEL}/${file}`)).arrayBuffer()).byteLength
}

test('a model a reranker loaded is cached under transformers.js keys; clearCache removes it', async () => {
  await clearCache(TINY)
  expect(await isCached(TINY)).toBe(false)
  const reranker = await createReranker(TINY)
  await reranker.dispose()
  const status = await modelCacheStatus(TINY)
  expect(status.dtype).toBe('q8')
  expect(status.files.map((f) => f.file).sort()).toEqual(FILES)
  expect(status.cached).toBe(true)
  const cleared = await clearCache(TINY)
  expect(cleared.deletedFiles).toBe(FILES.length)
  expect(cleared.bytes).toBe(status.bytes)
  expect(await isCached(TINY)).toBe(false)
})

test('prefetch downloads every file with progress and no session; the reranker then loads', async () => {
  await clearCache(TINY)
  const events: ProgressEvent[] = []
  const status = await prefetch({ ...TINY, onProgress: (e) => events.push(e) })
  expect(status.cached).toBe(true)
  const sizes = await Promise.all(FILES.map(servedBytes))
  expect(status.bytes).toBe(sizes.reduce((a, b) => a + b, 0))
  // Listing the files reads config.json through transformers.js, which caches it; the rest are downloaded here.
  for (const e of events) expect(FILES).toContain('file' in e ? e.file : '')
  expect(events.filter((e) => e.status === 'done' && e.file === 'onnx/model_quantized.onnx')).toHaveLength(1)
  const progress = events.filter((e) => e.status === 'progress' && e.file === 'onnx/model_quantized.onnx')
  expect(progress.at(-1)).toMatchObject({ loaded: sizes[1], total: sizes[1] })
  // fp32 files are another dtype: not fetched by a q8 prefetch.
  expect((await modelCacheStatus({ ...TINY, dtype: 'fp32' })).cached).toBe(false)
  const reranker = await createReranker(TINY)
  expect(reranker.info.dtype).toBe('q8')
  await reranker.dispose()
  await clearCache(TINY)
})

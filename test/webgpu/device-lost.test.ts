// WebGPU device loss (GPUDevice.lost): calls in flight and later ones settle with inference_failed
// instead of hanging or returning garbage.

import { expect, test } from 'vitest'
import { createReranker, RerankError } from '../../src/index'
import { faultDuringCall } from '../support/in-flight'

test('a lost WebGPU device: the call in flight and later ones reject promptly with inference_failed', async () => {
  const worker = new Worker(new URL('./losing-worker.ts', import.meta.url), { type: 'module' })
  const reranker = await createReranker({
    model: 'webrerank-test/bert-tiny',
    localModelPath: '/models/',
    allowRemoteModels: false,
    device: 'webgpu',
    dtype: 'fp32',
    maxBatchSize: 1,
    worker,
  })
  expect(reranker.info.device).toBe('webgpu')
  const docs = Array.from({ length: 60 }, (_, i) => `document ${i} about plants and the food they make`)
  const { error, settledMs } = await faultDuringCall(reranker, 'how do plants make food', docs, () => {
    worker.postMessage('lose-device')
  })
  const err = error as RerankError
  console.log(`WebGPU device lost during a call: ${err.code} after ${settledMs.toFixed(0)} ms: ${err.message}`)
  expect(err).toBeInstanceOf(RerankError)
  expect(err.code).toBe('inference_failed')
  expect(settledMs).toBeLessThan(30_000)
  const later = (await reranker.rerank('q', ['a']).catch((e: unknown) => e)) as RerankError
  expect(later.code).toBe('inference_failed')
  await reranker.dispose()
})

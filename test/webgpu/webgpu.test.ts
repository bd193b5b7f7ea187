// Chromium with --enable-unsafe-webgpu: a real (software, SwiftShader) WebGPU adapter exists,
// so 'auto' must pick WebGPU after its probe, and scores must still match the references.

import { describe, expect, test } from 'vitest'
import { createReranker } from '../../src/index'
import { paritySuite, tinyModelParitySuite, type ExpectedPair } from '../support/parity-suite'
import { parseReference, SHARED_FIXTURE } from '../support/reference'

describe('Chromium WebGPU', () => {
  test('an adapter exists (SwiftShader here)', async () => {
    const gpu = (
      navigator as Navigator & {
        gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> }
      }
    ).gpu
    const adapter = await gpu?.requestAdapter()
    expect(adapter).toBeTruthy()
    console.log(`WebGPU adapter: isFallbackAdapter=${String(adapter?.info?.isFallbackAdapter)}`)
  })

  test("device 'auto' picks WebGPU once the probe pair agrees with WASM", async () => {
    const reranker = await createReranker({
      model: SHARED_FIXTURE,
      localModelPath: '/shared-models/',
      allowRemoteModels: false,
    })
    try {
      expect(reranker.info.device).toBe('webgpu')
      expect(reranker.info.dtype).toBe('fp32')
      expect(reranker.info.fallbackReason).toBeUndefined()
      const res = await reranker.rerank('capital of France', [
        'Paris is the capital of France.',
        'Berlin is in Germany.',
      ])
      expect(res.results).toHaveLength(2)
    } finally {
      await reranker.dispose()
    }
  })

  paritySuite({
    createReranker,
    localModelPath: '/shared-models/',
    device: 'webgpu',
    // SwiftShader runs WebGPU on the CPU and compiles shaders per new input shape, so all 212
    // pairs take over 10 minutes here: all 12 edge pairs (the long-query pair and CJK inside a
    // truncated abstract included), and every 20th other pair (truncated ones among them).
    subset: (pairs) => pairs.filter((p, i) => p.source === 'edge' || i % 20 === 0),
    loadReference: async () =>
      parseReference(await (await fetch(`/shared-models/${SHARED_FIXTURE}/reference.jsonl`)).text()),
    report: (line) => {
      console.log(line)
    },
  })
})

describe('Chromium WebGPU (worker): parity with the float64 reference of the generated model', () => {
  tinyModelParitySuite({
    createReranker,
    localModelPath: '/models/',
    device: 'webgpu',
    loadExpected: async () =>
      (await (await fetch('/models/webrerank-test/bert-tiny/expected.json')).json()) as ExpectedPair[],
    report: (line) => {
      console.log(line)
    },
  })
})

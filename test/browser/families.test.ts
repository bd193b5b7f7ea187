import { describe } from 'vitest'
import { createReranker } from '../../src/index'
import { qwen3ParitySuite, tinyModelParitySuite, type ExpectedPair, type Qwen3Expected } from '../support/parity-suite'

const readJson = async <T>(rel: string): Promise<T> => (await (await fetch(`/models/${rel}`)).json()) as T

describe('Chromium WASM: XLM-RoBERTa family against its float64 reference', () => {
  tinyModelParitySuite({
    createReranker,
    model: 'webrerank-test/xlmr-tiny',
    localModelPath: '/models/',
    device: 'wasm',
    loadExpected: () => readJson<ExpectedPair[]>('webrerank-test/xlmr-tiny/expected.json'),
    report: (line) => {
      console.log(line)
    },
  })
})

describe('Chromium WASM: Qwen3-Reranker family against its float64 reference', () => {
  qwen3ParitySuite({
    createReranker,
    localModelPath: '/models/',
    loadExpected: () => readJson<Qwen3Expected>('webrerank-test/qwen3-tiny/expected.json'),
    report: (line) => {
      console.log(line)
    },
  })
})

import { describe } from 'vitest'
import { createReranker } from '../../src/index'
import { paritySuite, tinyModelParitySuite, type ExpectedPair } from '../support/parity-suite'
import { parseReference, SHARED_FIXTURE } from '../support/reference'

describe('Chromium WASM (worker): parity with the shared PyTorch reference', () => {
  paritySuite({
    createReranker,
    localModelPath: '/shared-models/',
    device: 'wasm',
    loadReference: async () =>
      parseReference(await (await fetch(`/shared-models/${SHARED_FIXTURE}/reference.jsonl`)).text()),
    report: (line) => {
      console.log(line)
    },
  })
})

describe('Chromium WASM (worker): parity with the float64 reference of the generated model', () => {
  tinyModelParitySuite({
    createReranker,
    localModelPath: '/models/',
    device: 'wasm',
    loadExpected: async () =>
      (await (await fetch('/models/webrerank-test/bert-tiny/expected.json')).json()) as ExpectedPair[],
    report: (line) => {
      console.log(line)
    },
  })
})

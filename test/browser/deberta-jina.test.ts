import { createReranker } from '../../src/index'
import { debertaJinaSuites } from '../support/deberta-jina-suite'
import type { ExpectedPair } from '../support/parity-suite'

debertaJinaSuites('Chromium WASM', (model) => ({
  createReranker,
  model,
  localModelPath: '/models/',
  device: 'wasm',
  loadExpected: async () => (await (await fetch(`/models/${model}/expected.json`)).json()) as ExpectedPair[],
}))

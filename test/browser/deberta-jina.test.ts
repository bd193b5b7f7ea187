import { describe } from 'vitest'
import { createReranker } from '../../src/index'
import { familyExtrasSuite } from '../support/deberta-jina-suite'
import { tinyModelParitySuite, type ExpectedPair } from '../support/parity-suite'

const expected = (model: string) => async (): Promise<ExpectedPair[]> =>
  (await (await fetch(`/models/${model}/expected.json`)).json()) as ExpectedPair[]
const report = (line: string): void => {
  console.log(line)
}

for (const [label, model, maxTokens] of [
  ['DeBERTa-v2 family (mxbai-rerank v1 layout)', 'webrerank-test/deberta-tiny', 512],
  ['JinaBERT family (jina-reranker v1 layout, ALiBi)', 'webrerank-test/jina-bert-tiny', 8192],
] as const) {
  describe(`Chromium WASM: ${label} against its float64 reference`, () => {
    const common = {
      createReranker,
      model,
      localModelPath: '/models/',
      device: 'wasm' as const,
      loadExpected: expected(model),
      report,
    }
    tinyModelParitySuite(common)
    familyExtrasSuite({ ...common, maxTokens })
  })
}

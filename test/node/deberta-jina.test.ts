import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe } from 'vitest'
import { createReranker } from '../../src/node'
import { familyExtrasSuite } from '../support/deberta-jina-suite'
import { tinyModelParitySuite, type ExpectedPair } from '../support/parity-suite'

const MODELS = path.resolve(import.meta.dirname, '../.models')
const expected = (model: string) => async (): Promise<ExpectedPair[]> =>
  JSON.parse(await readFile(path.join(MODELS, model, 'expected.json'), 'utf8')) as ExpectedPair[]
const report = (line: string): void => {
  console.log(line)
}

for (const [label, model, maxTokens] of [
  ['DeBERTa-v2 family (mxbai-rerank v1 layout)', 'webrerank-test/deberta-tiny', 512],
  ['JinaBERT family (jina-reranker v1 layout, ALiBi)', 'webrerank-test/jina-bert-tiny', 8192],
] as const) {
  describe(`Node: ${label} against its float64 reference`, () => {
    const common = { createReranker, model, localModelPath: MODELS + '/', loadExpected: expected(model), report }
    tinyModelParitySuite(common)
    familyExtrasSuite({ ...common, maxTokens })
  })
}

import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe } from 'vitest'
import { createReranker } from '../../src/node'
import { qwen3ParitySuite, tinyModelParitySuite, type ExpectedPair, type Qwen3Expected } from '../support/parity-suite'

const MODELS = path.resolve(import.meta.dirname, '../.models')
const readJson = async <T>(rel: string): Promise<T> => JSON.parse(await readFile(path.join(MODELS, rel), 'utf8')) as T

describe('Node: XLM-RoBERTa family (bge-reranker layout) against its float64 reference', () => {
  tinyModelParitySuite({
    createReranker,
    model: 'webrerank-test/xlmr-tiny',
    localModelPath: MODELS + '/',
    loadExpected: () => readJson<ExpectedPair[]>('webrerank-test/xlmr-tiny/expected.json'),
    report: (line) => {
      console.log(line)
    },
  })
})

describe('Node: Qwen3-Reranker family (causal LM) against its float64 reference', () => {
  qwen3ParitySuite({
    createReranker,
    localModelPath: MODELS + '/',
    loadExpected: () => readJson<Qwen3Expected>('webrerank-test/qwen3-tiny/expected.json'),
    report: (line) => {
      console.log(line)
    },
  })
})

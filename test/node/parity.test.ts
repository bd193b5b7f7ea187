import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe } from 'vitest'
import { createReranker } from '../../src/node'
import { paritySuite, tinyModelParitySuite, type ExpectedPair } from '../support/parity-suite'
import { parseReference, SHARED_FIXTURE } from '../support/reference'

const SHARED_MODELS = path.resolve(import.meta.dirname, '../../../shared/models')

describe('Node (onnxruntime-node): parity with the shared PyTorch reference', () => {
  paritySuite({
    createReranker,
    localModelPath: SHARED_MODELS + '/',
    loadReference: async () =>
      parseReference(await readFile(path.join(SHARED_MODELS, SHARED_FIXTURE, 'reference.jsonl'), 'utf8')),
    report: (line) => {
      console.log(line)
    },
  })
})

describe('Node (onnxruntime-node): parity with the float64 reference of the generated model', () => {
  const models = path.resolve(import.meta.dirname, '../.models')
  tinyModelParitySuite({
    createReranker,
    localModelPath: models + '/',
    loadExpected: async () =>
      JSON.parse(await readFile(path.join(models, 'webrerank-test/bert-tiny/expected.json'), 'utf8')) as ExpectedPair[],
    report: (line) => {
      console.log(line)
    },
  })
})

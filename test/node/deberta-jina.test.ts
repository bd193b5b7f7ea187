import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createReranker } from '../../src/node'
import { debertaJinaSuites } from '../support/deberta-jina-suite'
import type { ExpectedPair } from '../support/parity-suite'

const MODELS = path.resolve(import.meta.dirname, '../.models')

debertaJinaSuites('Node', (model) => ({
  createReranker,
  model,
  localModelPath: MODELS + '/',
  loadExpected: async () =>
    JSON.parse(await readFile(path.join(MODELS, model, 'expected.json'), 'utf8')) as ExpectedPair[],
}))

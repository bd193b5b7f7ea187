import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe } from 'vitest'
import { createReranker } from '../../src/node'
import { paritySuite } from '../support/parity-suite'
import { parseReference, SHARED_FIXTURE } from '../support/reference'

const SHARED_MODELS = path.resolve(import.meta.dirname, '../../../shared/models')

describe('Node (onnxruntime-node): parity with the shared PyTorch reference', () => {
  paritySuite({
    createReranker,
    localModelPath: SHARED_MODELS + '/',
    loadReference: async () => parseReference(await readFile(path.join(SHARED_MODELS, SHARED_FIXTURE, 'reference.jsonl'), 'utf8')),
    report: (line) => console.log(line),
  })
})

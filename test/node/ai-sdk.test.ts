import path from 'node:path'
import { describe } from 'vitest'
import { createReranker, RerankError } from '../../src/node'
import { aiSdkSuite } from '../support/ai-sdk-suite'
import { testModelOptions } from '../support/tiny-model'

describe('webrerank/ai-sdk in Node', () => {
  aiSdkSuite({
    createReranker,
    RerankError,
    ...testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/'),
  })
})

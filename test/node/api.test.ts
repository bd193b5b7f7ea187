import path from 'node:path'
import { describe } from 'vitest'
import { createReranker, RerankError } from '../../src/node'
import { apiSuite, optionChecksSuite } from '../support/api-suite'
import { testModelOptions } from '../support/tiny-model'

describe('Node entry: public API', () => {
  apiSuite({ createReranker, RerankError, ...testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/') })
  optionChecksSuite({
    createReranker,
    RerankError,
    ...testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/'),
  })
})

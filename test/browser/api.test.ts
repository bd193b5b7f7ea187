import { describe } from 'vitest'
import { createReranker, RerankError } from '../../src/index'
import { apiSuite, optionChecksSuite } from '../support/api-suite'
import { testModelOptions } from '../support/tiny-model'

describe('Browser entry (worker, WASM): public API across the worker boundary', () => {
  apiSuite({ createReranker, RerankError, ...testModelOptions('/models/') })
  optionChecksSuite({ createReranker, RerankError, ...testModelOptions('/models/') })
})

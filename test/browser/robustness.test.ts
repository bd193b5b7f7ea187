import { describe } from 'vitest'
import { createReranker, RerankError } from '../../src/index'
import { robustnessSuite } from '../support/robustness-suite'
import { testModelOptions } from '../support/tiny-model'

describe('Chromium (engine in a worker): never wrong, never stuck', () => {
  robustnessSuite({ createReranker, RerankError, ...testModelOptions('/models/') })
})

import { describe } from 'vitest'
import { createReranker, RerankError } from '../../src/index'
import { aiSdkSuite } from '../support/ai-sdk-suite'
import { testModelOptions } from '../support/tiny-model'

describe('webrerank/ai-sdk in Chromium (worker, WASM)', () => {
  aiSdkSuite({ createReranker, RerankError, ...testModelOptions('/models/') })
})

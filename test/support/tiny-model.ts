// Options and expectations of the generated test models, shared by Node and browser tests.

import type { RerankerOptions } from '../../src/index'

export const TINY_MODEL = 'webrerank-test/bert-tiny'
export const SHORT_POSITIONS_MODEL = 'webrerank-test/bert-short-positions'
export const BROKEN_MODEL = 'webrerank-test/broken'
export const NAN_MODEL = 'webrerank-test/bert-nan'

/** Options for each test model, given where the generated models are (folder or URL prefix). */
export function testModelOptions(localModelPath: string) {
  const base = { localModelPath, allowRemoteModels: false } satisfies RerankerOptions
  return {
    modelOptions: { ...base, model: TINY_MODEL },
    failingModelOptions: { ...base, model: SHORT_POSITIONS_MODEL, dtype: 'fp32' },
    brokenModelOptions: { ...base, model: BROKEN_MODEL, dtype: 'fp32' },
    nanModelOptions: { ...base, model: NAN_MODEL, dtype: 'fp32' },
    missingModelOptions: { ...base, model: 'webrerank-test/does-not-exist' },
  } satisfies Record<string, RerankerOptions>
}

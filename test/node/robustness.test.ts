import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { createReranker, RerankError } from '../../src/node'
import { robustnessSuite } from '../support/robustness-suite'
import { testModelOptions } from '../support/tiny-model'

describe('Node (in-process engine): never wrong, never stuck', () => {
  robustnessSuite({
    createReranker,
    RerankError,
    ...testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/'),
  })
})

describe('the failing input of issue 11, on the shared MiniLM-L6 fixture (default dtype)', () => {
  test('"Water boils…" scores the same alone and beside "Ice melts at zero degrees."', async () => {
    const reranker = await createReranker({
      model: 'fixtures/ms-marco-MiniLM-L-6-v2-random',
      localModelPath: path.resolve(import.meta.dirname, '../../../shared/models') + '/',
      allowRemoteModels: false,
    })
    try {
      const query = 'what is the boiling point of water'
      const a = 'Water boils at 100 degrees Celsius at sea level.'
      const alone = (await reranker.rerank(query, [a])).results[0]!.relevance_score
      const pair = await reranker.rerank(query, [a, 'Ice melts at zero degrees.'])
      const beside = pair.results.find((r) => r.index === 0)!.relevance_score
      expect(reranker.info.dtype).toBe('q8')
      expect(Math.abs(beside - alone)).toBeLessThan(1e-6)
    } finally {
      await reranker.dispose()
    }
  })
})

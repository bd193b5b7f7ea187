// The remote backend through the browser entry: a relative endpoint on the page's origin (the
// test server's stub, test/support/rerank-stub.ts), no worker started for policy 'remote', and
// policy 'auto' on a browser without WebGPU going remote with the local model's reason.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createReranker, RerankError } from '../../src/index'
import { stubScore } from '../support/rerank-stub'
import { testModelOptions } from '../support/tiny-model'

const QUERY = 'capital of France'
const DOCS = ['Berlin.', 'Paris is the capital and most populous city of France.', 'The Seine flows through Paris.']
const { modelOptions } = testModelOptions('/models/')

/** Counts the workers the page starts, to show that policy 'remote' starts none. */
let workersStarted = 0
const RealWorker = globalThis.Worker
beforeEach(() => {
  workersStarted = 0
  globalThis.Worker = class extends RealWorker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args)
      workersStarted++
    }
  }
})
afterEach(() => {
  globalThis.Worker = RealWorker
})

describe('remote backend in the browser', () => {
  it('answers from a relative endpoint, with no worker', async () => {
    const reranker = await createReranker({ endpoint: '/stub/v1/rerank', model: 'stub-model' })
    expect(reranker.info).toMatchObject({
      backend: 'remote',
      endpoint: `${location.origin}/stub/v1/rerank`,
      format: 'v1',
    })
    const res = await reranker.rerank(QUERY, DOCS, { topN: 2 })
    expect(res.model).toBe('stub-model')
    const byScore = DOCS.map((text, index) => ({ index, s: stubScore(text) })).sort((a, b) => b.s - a.s)
    expect(res.results.map((r) => r.index)).toEqual(byScore.slice(0, 2).map((r) => r.index))
    expect(res.results[0]!.document).toEqual({ text: DOCS[byScore[0]!.index] })
    expect(workersStarted).toBe(0)
    await reranker.dispose()
    await expect(reranker.rerank(QUERY, DOCS)).rejects.toMatchObject({ code: 'disposed' })
  })

  it("policy 'auto' without WebGPU goes remote and says why", async () => {
    const reranker = await createReranker({ ...modelOptions, policy: 'auto', endpoint: '/stub/v1/rerank' })
    expect(reranker.info.backend).toBe('remote')
    // The local model was loaded (in a worker) and disposed; the reason carries its fallback.
    expect(workersStarted).toBeGreaterThan(0)
    expect(reranker.info.policyReason).toMatch(/^no WebGPU \(.+\) and no autoMaxWarmupMs is set\.$/)
    const res = await reranker.rerank(QUERY, DOCS)
    expect(res.results).toHaveLength(3)
  })

  it('a server that is not there is remote_unavailable', async () => {
    const reranker = await createReranker({ endpoint: 'http://127.0.0.1:9/v1/rerank', maxRetries: 0 })
    const err = await reranker.rerank(QUERY, DOCS).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RerankError)
    expect((err as RerankError).code).toBe('remote_unavailable')
  })
})

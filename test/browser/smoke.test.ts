import { expect, test } from 'vitest'
import { createReranker } from '../../src/index'
import { SHARED_FIXTURE } from '../support/reference'

test('smoke', async () => {
  const events: string[] = []
  const r = await createReranker({ model: SHARED_FIXTURE, localModelPath: '/shared-models/', allowRemoteModels: false, dtype: 'fp32', onProgress: (p) => events.push(p.status) })
  console.log(JSON.stringify(r.info), crossOriginIsolated, events.join(','))
  const res = await r.rerank('what is x', ['x is a letter', 'y'])
  console.log(JSON.stringify(res))
  expect(res.results).toHaveLength(2)
  await r.dispose()
})

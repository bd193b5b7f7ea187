import path from 'node:path'
import { describe, expect, it } from 'vitest'
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

describe('model names', () => {
  const models = path.resolve(import.meta.dirname, '../.models')
  it('a bare folder name under localModelPath loads (what `webrerank serve --model ./dir` passes)', async () => {
    const reranker = await createReranker({
      model: 'bert-tiny',
      localModelPath: path.join(models, 'webrerank-test') + '/',
      allowRemoteModels: false,
    })
    expect(reranker.info.modelId).toBe('bert-tiny')
    expect((await reranker.rerank('q', ['a', 'b'])).results).toHaveLength(2)
    await reranker.dispose()
  })
  it('a folder path loads from that folder alone (absolute or relative), never from the hub', async () => {
    const folder = path.join(models, 'webrerank-test', 'bert-tiny')
    for (const model of [folder, path.relative(process.cwd(), folder).replace(/^(?!\.)/, './')]) {
      const reranker = await createReranker({ model, dtype: 'fp32' })
      expect(reranker.info.modelId).toBe('bert-tiny')
      await reranker.dispose()
    }
    const missing = await createReranker({ model: path.join(models, 'no-such-folder') }).catch((e: unknown) => e)
    expect(missing).toMatchObject({ code: 'model_not_found' })
  })

  it('without localModelPath, a bare unknown name is refused with the nearest registry names', async () => {
    const err = await createReranker({ model: 'bge-reranker-v2-m' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RerankError)
    expect(err).toMatchObject({ code: 'model_not_found' })
    expect((err as RerankError).message).toMatch(/did you mean "bge-reranker-v2-m3"/)
  })
})

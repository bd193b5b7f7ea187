// webrerank/langchain: the compressor ranks exactly like reranker.rerank, keeps metadata, and
// works inside LangChain's own ContextualCompressionRetriever (@langchain/classic, where LangChain
// 1.x keeps it).

import path from 'node:path'
import { ContextualCompressionRetriever } from '@langchain/classic/retrievers/contextual_compression'
import { Document, type DocumentInterface } from '@langchain/core/documents'
import { BaseRetriever } from '@langchain/core/retrievers'
import { BaseDocumentCompressor } from '@langchain/core/retrievers/document_compressors'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { WebrerankCompressor } from '../../src/langchain/index'
import { createReranker, RerankError, type Reranker, type RerankerOptions } from '../../src/node'
import { DOCS, QUERY } from '../support/fixtures'
import { testModelOptions } from '../support/tiny-model'

const { modelOptions } = testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/')
const documents = (): Document[] =>
  DOCS.map((pageContent, i) => new Document({ pageContent, metadata: { source: `doc-${i}`, page: i }, id: `id-${i}` }))

/** A first stage that always finds the same documents. */
class FixedRetriever extends BaseRetriever {
  lc_namespace = ['test']
  constructor(private readonly docs: DocumentInterface[]) {
    super()
  }
  _getRelevantDocuments(): Promise<DocumentInterface[]> {
    return Promise.resolve(this.docs)
  }
}

let reranker: Reranker
beforeAll(async () => {
  reranker = await createReranker({ ...modelOptions, dtype: 'fp32' })
})
afterAll(async () => {
  await reranker.dispose()
})

describe('WebrerankCompressor', () => {
  test('is a BaseDocumentCompressor named after the reranker’s model, topN 3 by default', () => {
    const compressor = new WebrerankCompressor({ reranker })
    expect(BaseDocumentCompressor.isBaseDocumentCompressor(compressor)).toBe(true)
    expect(compressor.model).toBe(modelOptions.model)
    expect(compressor.topN).toBe(3)
  })

  test('keeps the best topN in reranker.rerank’s order and scores, metadata and id kept, inputs untouched', async () => {
    const want = await reranker.rerank(QUERY, DOCS, { topN: 3 })
    const input = documents()
    const got = await new WebrerankCompressor({ reranker }).compressDocuments(input, QUERY)
    expect(got).toEqual(
      want.results.map(
        (r) =>
          new Document({
            pageContent: DOCS[r.index]!,
            metadata: { source: `doc-${r.index}`, page: r.index, relevanceScore: r.relevance_score },
            id: `id-${r.index}`,
          }),
      ),
    )
    expect(new Set(got.map((d) => d.metadata.relevanceScore as number)).size).toBe(3)
    expect(input).toEqual(documents())
  })

  test('topN: fewer, or every document when above the count; an empty list gives []', async () => {
    const all = await reranker.rerank(QUERY, DOCS)
    const one = await new WebrerankCompressor({ reranker, topN: 1 }).compressDocuments(documents(), QUERY)
    expect(one.map((d) => d.metadata.relevanceScore as number)).toEqual([all.results[0]!.relevance_score])
    const many = await new WebrerankCompressor({ reranker, topN: 50 }).compressDocuments(documents(), QUERY)
    expect(many.map((d) => d.pageContent)).toEqual(all.results.map((r) => DOCS[r.index]))
    expect(await new WebrerankCompressor({ reranker }).compressDocuments([], QUERY)).toEqual([])
  })

  test('rerank(): [{ index, relevanceScore }] of Documents or strings', async () => {
    const want = await reranker.rerank(QUERY, DOCS, { topN: 2 })
    const compressor = new WebrerankCompressor({ reranker })
    const expected = want.results.map((r) => ({ index: r.index, relevanceScore: r.relevance_score }))
    expect(await compressor.rerank(DOCS, QUERY, { topN: 2 })).toEqual(expected)
    expect(await compressor.rerank(documents(), QUERY, { topN: 2 })).toEqual(expected)
  })

  test('inside a contextual-compression retriever: invoke() returns the reranked top documents', async () => {
    const retriever = new ContextualCompressionRetriever({
      // @langchain/classic's types name @langchain/core's CommonJS declarations, ours its ESM ones:
      // the same class at run time (the test shows it), two declarations to the type checker.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      baseCompressor: new WebrerankCompressor({ reranker, topN: 2 }),
      baseRetriever: new FixedRetriever(documents()),
    })
    const want = await reranker.rerank(QUERY, DOCS, { topN: 2 })
    const got = await retriever.invoke(QUERY)
    expect(got.map((d): unknown[] => [d.metadata.source, d.metadata.relevanceScore])).toEqual(
      want.results.map((r) => [`doc-${r.index}`, r.relevance_score]),
    )
  })

  test('with a model name: the reranker is created on first use, once, with rerankerOptions', async () => {
    const created: RerankerOptions[] = []
    const { model, ...rerankerOptions } = modelOptions
    const compressor = new WebrerankCompressor({
      model,
      rerankerOptions: { ...rerankerOptions, dtype: 'fp32' },
      createReranker: (options) => {
        created.push(options)
        return Promise.resolve(reranker)
      },
    })
    expect(created).toEqual([])
    const a = await compressor.compressDocuments(documents(), QUERY)
    const b = await compressor.compressDocuments(documents(), QUERY)
    expect(b).toEqual(a)
    expect(created).toEqual([{ ...rerankerOptions, dtype: 'fp32', model }])
  })

  test('errors are RerankErrors: bad input, and a model that does not load (retried by the next call)', async () => {
    const bad = await new WebrerankCompressor({ reranker }).compressDocuments(documents(), '').catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(RerankError)
    expect((bad as RerankError).code).toBe('empty_query')

    let loads = 0
    const { missingModelOptions } = testModelOptions(path.resolve(import.meta.dirname, '../.models') + '/')
    const { model, ...rerankerOptions } = missingModelOptions
    const missing = new WebrerankCompressor({
      model,
      rerankerOptions,
      createReranker: (options) => (loads++, createReranker(options)),
    })
    for (const attempt of [1, 2]) {
      const err = await missing.compressDocuments(documents(), QUERY).catch((e: unknown) => e)
      expect((err as RerankError).code).toBe('model_not_found')
      expect(loads).toBe(attempt)
    }
  })
})

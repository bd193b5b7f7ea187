// webrerank/ai-sdk and webrerank/langchain from the packed tarball in a fresh Node project, with
// no reranker passed in: the default `import('webrerank')` (a self-reference) must resolve to the
// Node entry and rank exactly like it. This is what proves the packaging of both subpaths.

import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import type { RerankResponse } from '../../src/node'
import { npm, NPM_ENV } from '../consumers/apps'
import { INTEGRATION_PEERS } from '../support/integration-peers'
import { packedTarball } from '../support/tarball'
import { TINY_MODEL } from '../support/tiny-model'

const run = promisify(execFile)
const MODELS = path.resolve(import.meta.dirname, '../.models') + '/'
const TIMEOUT = 600_000

/** A project with the tarball and the peers installed, reused while the tarball is the same. */
async function consumerProject(): Promise<string> {
  const tarball = await packedTarball()
  const key = createHash('sha256').update(tarball).digest('hex').slice(0, 16)
  const dir = path.join(tmpdir(), 'webrerank-integrations', key)
  if (existsSync(path.join(dir, 'installed'))) return dir
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'integrations', private: true, type: 'module' }),
  )
  await npm(['install', '--prefer-offline', '--no-save', tarball, ...INTEGRATION_PEERS], dir)
  await writeFile(path.join(dir, 'installed'), tarball)
  return dir
}

const SCRIPT = `import { rerank } from 'ai'
import { Document } from '@langchain/core/documents'
import { createReranker } from 'webrerank'
import { createWebrerank } from 'webrerank/ai-sdk'
import { WebrerankCompressor } from 'webrerank/langchain'

const model = ${JSON.stringify(TINY_MODEL)}
const options = { localModelPath: ${JSON.stringify(MODELS)}, allowRemoteModels: false, dtype: 'fp32' }
const query = 'how do plants make food'
const documents = ['The stock market closed higher on Friday.', 'Plants make their food from sunlight.', 'Photosynthesis makes glucose.']

const webrerank = createWebrerank({ rerankerOptions: options })
const aiSdk = await rerank({ model: webrerank.reranking(model), query, documents, topN: 2 })
const compressor = new WebrerankCompressor({ model, rerankerOptions: options, topN: 2 })
const docs = await compressor.compressDocuments(documents.map((pageContent, i) => new Document({ pageContent, metadata: { i } })), query)
const reference = await createReranker({ model, ...options })
const want = await reference.rerank(query, documents, { topN: 2 })
const error = await rerank({ model: webrerank.reranking(model), query: '', documents }).catch((e) => e)
console.log(JSON.stringify({
  aiSdk: aiSdk.ranking.map((r) => [r.originalIndex, r.score]),
  langchain: docs.map((d) => [d.metadata.i, d.metadata.relevanceScore]),
  want,
  error: { name: error.constructor.name, code: error.code },
}))
`

test(
  'the packed subpaths load the Node entry by themselves and rank like it (ai rerank(), LangChain compressor)',
  async () => {
    const dir = await consumerProject()
    await writeFile(path.join(dir, 'main.mjs'), SCRIPT)
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: dir, env: NPM_ENV })
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      aiSdk: [number, number][]
      langchain: [number, number][]
      want: RerankResponse
      error: { name: string; code: string }
    }
    const want = out.want.results.map((r) => [r.index, r.relevance_score])
    expect(want).toHaveLength(2)
    expect(out.aiSdk).toEqual(want)
    expect(out.langchain).toEqual(want)
    expect(out.error).toEqual({ name: 'RerankError', code: 'empty_query' })
  },
  TIMEOUT,
)

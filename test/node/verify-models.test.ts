// npm run verify-models, the real command, against a local mirror that serves generated models in the
// hub's URL layout (transformers.js' remotePathTemplate '{model}/resolve/{revision}/') under registry ids.
// Expectations come from the float64 references; one registry id serves a model with other weights.

import { execFile } from 'node:child_process'
import { createReadStream, statSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEBERTA_WRONG } from '../models/deberta-jina'
import { debertaWeights } from '../models/deberta'
import type { ExpectedPair } from '../models/expectations'
import { debertaReferenceLogit } from '../models/reference-deberta'

const REPO = path.resolve(import.meta.dirname, '../..')
const MODELS = path.join(REPO, 'test/.models')

/** Registry name -> [hub id it loads, generated folder served there, folder whose reference is expected]. */
const MIRROR: Record<string, [string, string, string]> = {
  'ms-marco-MiniLM-L-6-v2': ['Xenova/ms-marco-MiniLM-L-6-v2', 'webrerank-test/bert-tiny', 'webrerank-test/bert-tiny'],
  'jina-reranker': [
    'jinaai/jina-reranker-v1-tiny-en',
    'webrerank-test/jina-bert-tiny',
    'webrerank-test/jina-bert-tiny',
  ],
  'mxbai-rerank-xsmall-v1': [
    'mixedbread-ai/mxbai-rerank-xsmall-v1',
    'webrerank-test/deberta-tiny',
    'webrerank-test/deberta-tiny',
  ],
  // The planted model: served with other weights than the reference the expectations come from.
  'mxbai-rerank-base-v1': [
    'mixedbread-ai/mxbai-rerank-base-v1',
    'webrerank-test/deberta-wrong',
    'webrerank-test/deberta-tiny',
  ],
}

let server: Server
let host: string
let work: string
let expectationsFile: string
const requested: string[] = []

function serve(url: string, res: import('node:http').ServerResponse): void {
  const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(url.split('?')[0]!))
  const served = match && Object.values(MIRROR).find(([id]) => id === match[1])
  const file = served && path.join(MODELS, served[1], match[2]!)
  if (
    !file ||
    !file.startsWith(path.join(MODELS, served[1]) + path.sep) ||
    !statSync(file, { throwIfNoEntry: false })?.isFile()
  ) {
    res.statusCode = 404
    res.end('Entry not found')
    return
  }
  requested.push(url)
  res.setHeader('Content-Length', statSync(file).size)
  createReadStream(file).pipe(res)
}

/** The first short pairs of each model's expected.json (q8 is checked, so a handful is enough). */
async function pairsOf(folder: string): Promise<ExpectedPair[]> {
  const all = JSON.parse(await readFile(path.join(MODELS, folder, 'expected.json'), 'utf8')) as ExpectedPair[]
  return all.filter((p) => p.inputIds.length <= 40).slice(0, 4)
}

beforeAll(async () => {
  server = createServer((req, res) => {
    serve(req.url ?? '', res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  work = await mkdtemp(path.join(tmpdir(), 'webrerank-verify-'))
  const models = []
  for (const [name, [, , reference]] of Object.entries(MIRROR)) {
    const pairs = await pairsOf(reference)
    models.push({
      model: name,
      source: `generated fixture test/.models/${reference} (float64 reference)`,
      reference: 'float64 TypeScript forward pass',
      output: 'logit',
      referenceTolerance: 0,
      pairs: pairs.map((p) => ({ query: p.query, document: p.document, expected: p.logit })),
    })
  }
  expectationsFile = path.join(work, 'expectations.json')
  await writeFile(expectationsFile, JSON.stringify({ models }))
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await rm(work, { recursive: true, force: true })
})

function verify(models: string[]): Promise<{ code: number; stdout: string }> {
  const args = [
    '--import',
    'tsx',
    'scripts/verify-models.ts',
    '--remote-host',
    host,
    '--expectations',
    expectationsFile,
  ]
  // A private cache folder: the mirror's random-weight files must never land in transformers.js' hub cache.
  args.push('--cache-dir', path.join(work, 'cache'), ...models.flatMap((m) => ['--model', m]))
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`verify-models did not exit normally: ${error.message}`)) // killed or not started
        return
      }
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout: `${stdout}\n${stderr}` })
    })
  })
}

test('the planted model really scores differently from the reference the expectations come from', async () => {
  const pairs = await pairsOf('webrerank-test/deberta-tiny')
  const wrong = debertaWeights(DEBERTA_WRONG)
  const gaps = pairs.map((p) => Math.abs(debertaReferenceLogit(wrong, DEBERTA_WRONG, p.inputIds) - p.logit))
  // More than q8's tolerance (0.5) on at least one pair, or the command could not catch it.
  expect(Math.max(...gaps)).toBeGreaterThan(1)
})

test('verify-models fails on the planted wrong model, names it, and passes the others (exit 1)', async () => {
  const { code, stdout } = await verify(Object.keys(MIRROR))
  console.log(stdout)
  expect(code).toBe(1)
  expect(stdout).toMatch(/^FAIL\s+mxbai-rerank-base-v1/m)
  expect(stdout).toMatch(/verify-models: FAILED mxbai-rerank-base-v1$/m)
  for (const name of ['ms-marco-MiniLM-L-6-v2', 'jina-reranker', 'mxbai-rerank-xsmall-v1'])
    expect(stdout).toMatch(new RegExp(`^PASS\\s+${name}`, 'm'))
  // Everything came through the mirror in the hub's layout, at the default dtype on CPU (q8).
  expect(requested).toContain('/mixedbread-ai/mxbai-rerank-base-v1/resolve/main/onnx/model_quantized.onnx')
  expect(requested).toContain('/jinaai/jina-reranker-v1-tiny-en/resolve/main/config.json')
})

test('verify-models exits 0 when every checked model matches its expectations', async () => {
  const { code, stdout } = await verify(['ms-marco-MiniLM-L-6-v2', 'jina-reranker', 'mxbai-rerank-xsmall-v1'])
  console.log(stdout)
  expect(code).toBe(0)
  expect(stdout).toMatch(/verify-models: all checked models pass/)
  expect(stdout).not.toMatch(/FAIL/)
})

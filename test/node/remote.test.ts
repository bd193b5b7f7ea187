// The remote backend: createReranker({ endpoint, format }) against webrerank's own server
// (startServer, what `webrerank serve` runs) in all three formats, and against small scripted
// servers for what a real server does on a bad day: 503 then 200, 429 with Retry-After, a stall,
// a malformed answer, a closed port. Plus policy 'auto' and its reasons.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFetchHandler } from '../../src/http/index'
import { createReranker, RerankError, type Reranker, type RerankResponse } from '../../src/node'
import { Reranker as RerankerClass, type CallHost } from '../../src/api/reranker'
import type { RerankerInfo } from '../../src/api/types'
import { createWithPolicy } from '../../src/remote/policy'
import { startServer, type RunningServer } from '../../src/server/index'

const MODELS = path.resolve(import.meta.dirname, '../.models') + '/'
const MODEL = 'webrerank-test/bert-tiny'
const LOCAL = { model: MODEL, localModelPath: MODELS, allowRemoteModels: false, dtype: 'fp32' } as const
const QUERY = 'capital of France'
const DOCS = ['Berlin is in Germany.', 'Paris is the capital of France.', 'The Seine flows through Paris.']
const KEY = 'test-key'

let local: Reranker
let server: RunningServer
let expected: RerankResponse

beforeAll(async () => {
  local = await createReranker(LOCAL)
  server = await startServer(local, {
    port: 0,
    apiKey: KEY,
    log: false,
    models: { 'bge-reranker-v2': local, 'BAAI/bge-reranker-v2-m3': local },
  })
  expected = await local.rerank(QUERY, DOCS)
})

afterAll(async () => {
  await server.close()
  await local.dispose()
})

async function codeOf(work: Promise<unknown>): Promise<string> {
  const err: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(RerankError)
  return (err as RerankError).code
}

describe('against webrerank serve, every format', () => {
  for (const format of ['v1', 'cohere-v2', 'tei'] as const) {
    it(`${format}: same ranking and scores as the local model`, async () => {
      const remote = await createReranker({ endpoint: server.url, apiKey: KEY, format, model: 'bge-reranker-v2' })
      expect(remote.info.backend).toBe('remote')
      expect(remote.info).toMatchObject({ model: 'bge-reranker-v2', format })
      const route = { v1: '/v1/rerank', 'cohere-v2': '/v2/rerank', tei: '/rerank' }[format]
      expect(remote.info.backend === 'remote' && remote.info.endpoint).toBe(server.url + route)
      const got = await remote.rerank(QUERY, DOCS, { topN: 2 })
      expect(got.results.map((r) => r.index)).toEqual(expected.results.slice(0, 2).map((r) => r.index))
      got.results.forEach((r, i) => {
        expect(r.relevance_score).toBeCloseTo(expected.results[i]!.relevance_score, 6)
        expect(r.document).toEqual({ text: DOCS[r.index] })
      })
      // TEI reports no token usage; the others report the model's.
      expect(got.usage.prompt_tokens).toBe(format === 'tei' ? 0 : expected.usage.prompt_tokens)
      expect(got.model).toBe('bge-reranker-v2')
      await remote.dispose()
    })
  }

  it('takes a /v1/rerank body and forwards its model name', async () => {
    const remote = await createReranker({ endpoint: `${server.url}/v1/rerank`, apiKey: KEY })
    const got = await remote.rerank({
      model: 'BAAI/bge-reranker-v2-m3',
      query: QUERY,
      documents: DOCS.map((text) => ({ text })),
      top_n: 1,
      return_documents: false,
    })
    expect(got.results).toHaveLength(1)
    expect(got.results[0]).toEqual({
      index: expected.results[0]!.index,
      relevance_score: expected.results[0]!.relevance_score,
    })
    expect(got.model).toBe('BAAI/bge-reranker-v2-m3')
  })

  it("maps the server's errors to the same codes", async () => {
    const wrongKey = await createReranker({ endpoint: server.url, apiKey: 'nope' })
    expect(await codeOf(wrongKey.rerank(QUERY, DOCS))).toBe('invalid_api_key')
    const unknown = await createReranker({ endpoint: server.url, apiKey: KEY, model: 'no-such-model' })
    expect(await codeOf(unknown.rerank(QUERY, DOCS))).toBe('model_not_found')
    // The server's own limit (100): the local check is raised so the request reaches it.
    const many = await createReranker({ endpoint: server.url, apiKey: KEY, maxDocuments: 500 })
    const err = await many.rerank(QUERY, Array<string>(150).fill('x')).catch((e: unknown) => e as RerankError)
    expect(err).toMatchObject({ code: 'too_many_documents', type: 'invalid_request_error' })
    expect((err as RerankError).message).toMatch(/answered 400: Too many documents/)
  })

  it('checks input locally, with no request, like a local model', async () => {
    let requests = 0
    const handler = createFetchHandler(local)
    const remote = await createReranker({
      endpoint: 'http://webrerank.invalid',
      fetch: (request) => {
        requests++
        return handler(request)
      },
    })
    expect(await codeOf(remote.rerank('', DOCS))).toBe('empty_query')
    expect(await codeOf(remote.rerank(QUERY, Array<string>(101).fill('x')))).toBe('too_many_documents')
    expect(await codeOf(remote.rerank(QUERY, DOCS, { topN: 0 }))).toBe('invalid_top_n')
    expect(requests).toBe(0)
    // The handler itself as `fetch`: no network at all.
    const got = await remote.rerank(QUERY, DOCS)
    expect(requests).toBe(1)
    expect(got.results.map((r) => r.index)).toEqual(expected.results.map((r) => r.index))
  })
})

/** A scripted server: `script(n)` answers the n-th request (0-based); `undefined` never answers. */
async function scripted(
  script: (n: number, res: ServerResponse) => void,
): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let n = 0
  const open = new Set<ServerResponse>()
  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    open.add(res)
    res.on('close', () => open.delete(res))
    script(n++, res)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => n,
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy()
        http.close(() => {
          resolve()
        })
      }),
  }
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body))
}

const GOOD = {
  id: 'rerank-1',
  model: 'm',
  results: [
    { index: 1, relevance_score: 0.9 },
    { index: 0, relevance_score: 0.2 },
    { index: 2, relevance_score: 0.5 },
  ],
  usage: { prompt_tokens: 30, total_tokens: 30 },
}

describe('a server on a bad day', () => {
  it('retries a 503, then succeeds', async () => {
    const s = await scripted((n, res) => {
      if (n === 0) answer(res, 503, { error: { message: 'loading', type: 'server_error', code: 'disposed' } })
      else answer(res, 200, GOOD)
    })
    const remote = await createReranker({ endpoint: s.url })
    const got = await remote.rerank(QUERY, DOCS)
    expect(s.requests()).toBe(2)
    // Sorted best first and cut to top_n even when the server did neither.
    expect(got.results.map((r) => [r.index, r.relevance_score])).toEqual([
      [1, 0.9],
      [2, 0.5],
      [0, 0.2],
    ])
    expect(got).toMatchObject({ id: 'rerank-1', model: 'm', usage: { prompt_tokens: 30 } })
    await s.close()
  })

  it('honours Retry-After on a 429, and gives up after maxRetries', async () => {
    const s = await scripted((_, res) => {
      answer(res, 429, { message: 'slow down' }, { 'Retry-After': '0' })
    })
    const remote = await createReranker({ endpoint: s.url, maxRetries: 3 })
    const err = await remote.rerank(QUERY, DOCS).catch((e: unknown) => e as RerankError)
    expect(err).toMatchObject({ code: 'rate_limited' })
    expect((err as RerankError).message).toMatch(/answered 429: slow down/)
    expect(s.requests()).toBe(4)
    await s.close()
  })

  it('does not retry a 400', async () => {
    const s = await scripted((_, res) => {
      answer(res, 400, { detail: 'bad field' })
    })
    const remote = await createReranker({ endpoint: s.url })
    expect(await codeOf(remote.rerank(QUERY, DOCS))).toBe('invalid_request')
    expect(s.requests()).toBe(1)
    await s.close()
  })

  it('times out a server that does not answer, and aborts on the signal', async () => {
    const s = await scripted(() => undefined)
    const remote = await createReranker({ endpoint: s.url, timeoutMs: 300 })
    expect(await codeOf(remote.rerank(QUERY, DOCS))).toBe('timeout')
    const patient = await createReranker({ endpoint: s.url })
    const controller = new AbortController()
    const call = patient.rerank(QUERY, DOCS, { signal: controller.signal })
    setTimeout(() => {
      controller.abort()
    }, 100)
    const err = await call.catch((e: unknown) => e as RerankError)
    expect(err).toMatchObject({ code: 'aborted', name: 'AbortError' })
    // dispose() settles calls in flight with `disposed`.
    const pending = patient.rerank(QUERY, DOCS)
    setTimeout(() => void patient.dispose(), 100)
    expect(await codeOf(pending)).toBe('disposed')
    await s.close()
  })

  it('settles on timeout, abort and dispose even with a fetch that never looks at its signal', async () => {
    // What Node 20's fetch did when a Request's signal had been garbage-collected (a new user found
    // calls hanging 300 s with timeoutMs 500): the timeout must not depend on fetch honouring it.
    const deaf = (): Promise<Response> => new Promise<Response>(() => undefined)
    const remote = await createReranker({ endpoint: 'http://127.0.0.1:9', fetch: deaf, timeoutMs: 200, maxRetries: 0 })
    expect(await codeOf(remote.rerank(QUERY, DOCS))).toBe('timeout')
    const patient = await createReranker({ endpoint: 'http://127.0.0.1:9', fetch: deaf })
    const controller = new AbortController()
    const call = patient.rerank(QUERY, DOCS, { signal: controller.signal })
    setTimeout(() => {
      controller.abort()
    }, 50)
    expect(await codeOf(call)).toBe('aborted')
    const pending = patient.rerank(QUERY, DOCS)
    setTimeout(() => void patient.dispose(), 50)
    expect(await codeOf(pending)).toBe('disposed')
  })

  it('refuses headers fetch would refuse, and an empty apiKey, at creation', async () => {
    expect(await codeOf(createReranker({ endpoint: server.url, headers: { 'bad header': 'x' } }))).toBe(
      'invalid_request',
    )
    expect(await codeOf(createReranker({ endpoint: server.url, apiKey: '' }))).toBe('invalid_request')
  })

  it('with budgetMs, answers in incoming order, unscored, when the server is too slow', async () => {
    const s = await scripted(() => undefined)
    const remote = await createReranker({ endpoint: s.url })
    const got = await remote.rerank(QUERY, DOCS, { budgetMs: 200, topN: 2 })
    expect(got.results).toEqual([
      { index: 0, relevance_score: 0, reranked: false, document: { text: DOCS[0] } },
      { index: 1, relevance_score: 0, reranked: false, document: { text: DOCS[1] } },
    ])
    await s.close()
  })

  it('refuses a malformed answer', async () => {
    const s = await scripted((n, res) => {
      if (n === 0) answer(res, 200, { results: [{ index: 7, relevance_score: 0.5 }] })
      else if (n === 1) res.writeHead(200).end('not json')
      else
        answer(res, 200, {
          results: [
            { index: 0, relevance_score: 0.5 },
            { index: 0, relevance_score: 0.4 },
          ],
        })
    })
    const remote = await createReranker({ endpoint: s.url })
    for (let i = 0; i < 3; i++) expect(await codeOf(remote.rerank(QUERY, DOCS))).toBe('inference_failed')
    await s.close()
  })

  it('a closed port is remote_unavailable, after the retries', async () => {
    const s = await scripted(() => undefined)
    const url = s.url
    await s.close()
    const remote = await createReranker({ endpoint: url, maxRetries: 1 })
    expect(await codeOf(remote.rerank(QUERY, DOCS))).toBe('remote_unavailable')
  })
})

describe("policy 'auto'", () => {
  it('goes remote without WebGPU, and says why', async () => {
    const r = await createReranker({ ...LOCAL, policy: 'auto', endpoint: server.url, apiKey: KEY })
    expect(r.info.backend).toBe('remote')
    expect(r.info.policyReason).toMatch(/no WebGPU .* no autoMaxWarmupMs/)
    expect((await r.rerank(QUERY, DOCS)).results[0]!.index).toBe(expected.results[0]!.index)
  })

  it('stays local when warmup is within autoMaxWarmupMs', async () => {
    const r = await createReranker({ ...LOCAL, policy: 'auto', endpoint: server.url, autoMaxWarmupMs: 600_000 })
    expect(r.info.backend).toBe('local')
    expect(r.info.policyReason).toMatch(/warmup took \d+ ms, within autoMaxWarmupMs \(600000 ms\)/)
    await r.dispose()
  })

  it('stays local when WebGPU passed its probe (a stand-in local model that reports webgpu)', async () => {
    let disposed = false
    const host: CallHost = {
      rerank: () => Promise.reject(new Error('not called')),
      warmup: () => Promise.resolve(1),
      dispose: () => {
        disposed = true
        return Promise.resolve()
      },
    }
    const info = { ...local.info, device: 'webgpu', dtype: 'fp32' } satisfies RerankerInfo
    const limits = {
      model: MODEL,
      modelId: MODEL,
      maxDocuments: 100,
      long: { maxTokensPerDoc: 4096, mode: 'truncate' },
    } as const
    const fake = () => Promise.resolve(new RerankerClass(host, { ...info }, limits))
    const kept = await createWithPolicy({ policy: 'auto', endpoint: server.url }, fake)
    expect(kept.info).toMatchObject({ backend: 'local', device: 'webgpu', policyReason: 'WebGPU passed its probe.' })
    expect(disposed).toBe(false)
    // The same stand-in on WASM is disposed before going remote.
    const wasm = () =>
      Promise.resolve(new RerankerClass(host, { ...info, device: 'wasm', fallbackReason: 'no adapter' }, limits))
    const gone = await createWithPolicy({ policy: 'auto', endpoint: server.url }, wasm)
    expect(gone.info.backend).toBe('remote')
    expect(gone.info.policyReason).toBe('no WebGPU (no adapter) and no autoMaxWarmupMs is set.')
    expect(disposed).toBe(true)
  })

  it('goes remote when the local model fails to load', async () => {
    const r = await createReranker({
      ...LOCAL,
      model: 'webrerank-test/missing',
      policy: 'auto',
      endpoint: server.url,
      apiKey: KEY,
    })
    expect(r.info.backend).toBe('remote')
    expect(r.info.policyReason).toMatch(/the local model failed to load/)
  })

  it('refuses remote policies without an endpoint, and bad remote options', async () => {
    expect(await codeOf(createReranker({ policy: 'remote' }))).toBe('invalid_request')
    expect(await codeOf(createReranker({ endpoint: server.url, format: 'cohere' as 'v1' }))).toBe('invalid_request')
    expect(await codeOf(createReranker({ endpoint: 'ftp://x' }))).toBe('invalid_request')
    expect(await codeOf(createReranker({ endpoint: server.url, maxRetries: -1 }))).toBe('invalid_request')
    expect(await codeOf(createReranker({ endpoint: server.url, timeoutMs: 0 }))).toBe('invalid_request')
  })
})

// webrerank/server and `webrerank serve` over real HTTP: startServer from the source (options,
// API key, logging, client disconnects, draining close), then the bin as users get it (the packed
// tarball installed into a fresh project) serving the seeds' model names on the generated test
// models, every route, error body and status, SIGTERM draining, and real clients against it:
// cohere-ai's v2 client, @ai-sdk/cohere through `rerank()` from `ai`, plain fetch, and webrerank's
// own remote backend in its three formats.

import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createCohere } from '@ai-sdk/cohere'
import { rerank } from 'ai'
import { CohereClientV2, CohereError } from 'cohere-ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RerankerLike } from '../../src/http/index'
import { createReranker, type Dtype, type RerankRequest, type RerankResponse } from '../../src/node'
import { startServer, type RunningServer } from '../../src/server/index'
import { npm, NPM_ENV } from '../consumers/apps'
import { packedTarball } from '../support/tarball'

const ROOT = path.resolve(import.meta.dirname, '../..')
const MODELS = path.join(ROOT, 'test/.models') + '/'
const QUERY = 'What is the capital of the United States?'
const DOCS = [
  'Carson City is the capital city of the American state of Nevada.',
  'Washington, D.C. is the capital of the United States. It is a federal district.',
  'Capital punishment has existed in the United States since before it was a country.',
  'The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean.',
]
/** The seeds' model names, each mapped to a generated model of its family. */
const SEEDS = {
  'bge-reranker-v2': 'webrerank-test/bert-tiny',
  'BAAI/bge-reranker-v2-m3': 'webrerank-test/xlmr-tiny',
  'qwen/qwen3-reranker-0.6b': 'webrerank-test/qwen3-tiny',
} as const
const API_KEY = 'wr-test.key_123'

/** A generated test model, in this process. */
const load = (model: string, dtype: Dtype = 'fp32') =>
  createReranker({ model, localModelPath: MODELS, allowRemoteModels: false, dtype })
type Local = Awaited<ReturnType<typeof load>>
const INSTALL_TIMEOUT = 600_000

/** The error body every route answers with. */
function errorBody(code: string, type = 'invalid_request_error') {
  return { error: { message: expect.stringMatching(/^webrerank: /) as unknown, type, code } }
}

const withoutId = ({ id, ...rest }: RerankResponse) => {
  expect(id).toMatch(/^rerank-[0-9a-f]{24}$/)
  return rest
}

/** POSTs JSON (or a string as is) and reads the answer. */
async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers }
}

/**
 * A POST whose body is sent in two parts: the headers and `head` bytes now, the rest on `finish()`.
 * Until then the request is in flight on the server (its handler waits for the body).
 */
function partialPost(url: string, body: string, headers: Record<string, string> = {}) {
  const request = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
  })
  const response = new Promise<{ status: number; body: unknown; headers: http.IncomingHttpHeaders }>(
    (resolve, reject) => {
      request.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          resolve({ status: res.statusCode!, body: JSON.parse(text), headers: res.headers })
        })
      })
      request.on('error', reject)
    },
  )
  const head = 10
  const started = new Promise<void>((resolve) =>
    request.write(body.slice(0, head), () => {
      resolve()
    }),
  )
  return {
    started,
    response,
    finish: () => request.end(body.slice(head)),
    /** The client goes away mid-body. */
    destroy: () => request.destroy(),
  }
}

/**
 * A GET on a connection of its own (no keep-alive pool): its status, or the connection error's
 * code (`'ECONNREFUSED'` when nothing listens).
 */
function get(url: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false, headers }, (res) => {
        res.resume().on('end', () => {
          resolve(res.statusCode!)
        })
      })
      .on('error', (err: NodeJS.ErrnoException) => {
        resolve(err.code ?? err.message)
      })
  })
}

describe('startServer (webrerank/server)', () => {
  let reranker: Local

  beforeAll(async () => {
    reranker = await load(SEEDS['bge-reranker-v2'])
  })

  afterAll(async () => {
    await reranker.dispose()
  })

  /** A reranker whose calls wait until released, recording each call's signal. */
  function blocking() {
    const calls: { signal: AbortSignal | undefined; release: () => void }[] = []
    const stub: RerankerLike = {
      info: { model: 'blocking', modelId: 'blocking' },
      rerank: async (request, options) => {
        const signal = options?.signal
        await new Promise<void>((resolve) => {
          calls.push({ signal, release: resolve })
          signal?.addEventListener('abort', () => {
            resolve()
          })
        })
        // Aborted: the real reranker rejects with RerankError `aborted`, as it would have.
        return reranker.rerank(request, signal ? { signal } : {})
      },
    }
    return { stub, calls }
  }

  async function until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise((r) => setTimeout(r, 10))
  }

  it('serves the handler on a free port, logging one line per request', async () => {
    const lines: string[] = []
    const server = await startServer(reranker, { port: 0, log: (line) => lines.push(line) })
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      expect(server.port).toBeGreaterThan(0)
      const ok = await post(`${server.url}/v1/rerank`, { query: QUERY, documents: DOCS })
      expect(ok.status).toBe(200)
      expect(withoutId(ok.body as RerankResponse)).toEqual(withoutId(await reranker.rerank(QUERY, DOCS)))
      const bad = await post(`${server.url}/v1/rerank`, { query: '', documents: DOCS })
      expect(bad).toMatchObject({ status: 400, body: errorBody('empty_query') })
      expect(lines).toEqual([
        expect.stringMatching(/^POST \/v1\/rerank 200 \d+ms$/),
        expect.stringMatching(/^POST \/v1\/rerank 400 empty_query \d+ms$/),
      ])
    } finally {
      await server.close()
    }
  })

  it('refuses bad options before listening, and reports a port in use', async () => {
    const cases: [Parameters<typeof startServer>[1], RegExp][] = [
      [{ port: -1 }, /port must be an integer/],
      [{ port: 1.5 }, /port must be an integer/],
      [{ apiKey: 'has space' }, /apiKey must be/],
      [{ apiKey: '' }, /apiKey must be/],
      [{ log: 'yes' as never }, /log must be/],
      [{ cors: 3 as never }, /cors must be/],
      [{ prot: 0 } as never, /^webrerank: startServer: unknown option "prot" \(did you mean "port"\?\)/],
    ]
    for (const [options, message] of cases) {
      await expect(startServer(reranker, options)).rejects.toMatchObject({ code: 'invalid_request', message })
    }
    const first = await startServer(reranker, { port: 0, log: false })
    try {
      await expect(startServer(reranker, { port: first.port, log: false })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      })
    } finally {
      await first.close()
    }
  })

  it('apiKey: 401 invalid_api_key without it, with another or a malformed header; preflights pass', async () => {
    const server = await startServer(reranker, { port: 0, apiKey: 'secret', log: false, cors: ['https://app.example'] })
    try {
      const url = `${server.url}/v1/rerank`
      const body = { query: QUERY, documents: DOCS }
      const origin = { Origin: 'https://app.example' }
      for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: 'Basic c2VjcmV0' }]) {
        const answer = await post(url, body, { ...headers, ...origin })
        expect(answer).toMatchObject({ status: 401, body: errorBody('invalid_api_key') })
        // A page can read the refusal.
        expect(answer.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example')
        expect(answer.headers.get('WWW-Authenticate')).toMatch(/^Bearer /)
      }
      expect((await post(url, body, { Authorization: 'Bearer secret' })).status).toBe(200)
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          ...origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization',
        },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('Access-Control-Allow-Headers')).toBe('authorization')
    } finally {
      await server.close()
    }
  })

  it("a client that disconnects aborts its call (the reranker's signal fires) and is logged as 499", async () => {
    const { stub, calls } = blocking()
    const lines: string[] = []
    const server = await startServer(stub, { port: 0, log: (line) => lines.push(line) })
    try {
      const body = JSON.stringify({ query: QUERY, documents: DOCS })
      const gone = partialPost(`${server.url}/v1/rerank`, body)
      gone.response.catch(() => undefined)
      gone.finish()
      await until(() => calls.length === 1)
      gone.destroy()
      await until(() => lines.length === 1)
      expect(calls[0]!.signal!.aborted).toBe(true)
      expect(lines[0]).toMatch(/^POST \/v1\/rerank 499 aborted \d+ms$/)
      // Mid-body: the handler was still reading it.
      const midBody = partialPost(`${server.url}/v1/rerank`, body)
      midBody.response.catch(() => undefined)
      await midBody.started
      await until(() => server.inFlight === 1)
      midBody.destroy()
      await until(() => lines.length === 2)
      expect(lines[1]).toMatch(/^POST \/v1\/rerank 499 aborted \d+ms$/)
      expect(calls).toHaveLength(1) // it never reached the reranker
    } finally {
      await server.close()
    }
  })

  it('queues concurrent requests on the real reranker: every one answers, each as a call alone would', async () => {
    const server = await startServer(reranker, { port: 0, log: false })
    try {
      const bodies = Array.from({ length: 12 }, (_, i) => ({
        query: `${QUERY} ${i}`,
        documents: DOCS.slice(i % DOCS.length),
      }))
      const answers = await Promise.all(bodies.map((b) => post(`${server.url}/v1/rerank`, b)))
      for (const [i, answer] of answers.entries()) {
        expect(answer.status).toBe(200)
        expect(withoutId(answer.body as RerankResponse)).toEqual(withoutId(await reranker.rerank(bodies[i]!)))
      }
    } finally {
      await server.close()
    }
  })

  it('close() refuses new connections, lets the request in flight finish, and leaves the reranker usable', async () => {
    const { stub, calls } = blocking()
    const server: RunningServer = await startServer(stub, { port: 0, log: false })
    const pending = partialPost(`${server.url}/v1/rerank`, JSON.stringify({ query: QUERY, documents: DOCS }))
    pending.finish()
    await until(() => calls.length === 1)
    let closed = false
    const closing = server.close().then(() => (closed = true))
    expect(server.close()).toBe(server.close()) // one close
    expect(await get(`${server.url}/v1/models`)).toBe('ECONNREFUSED')
    expect(closed).toBe(false)
    calls[0]!.release()
    const answer = await pending.response
    expect(answer.status).toBe(200)
    expect(answer.headers.connection).toBe('close')
    await closing
    expect(server.inFlight).toBe(0)
    expect((await reranker.rerank(QUERY, DOCS)).results).toHaveLength(DOCS.length)
  })
})

/** `webrerank serve …` of the installed package, with its stdout lines as they come. */
interface Serve {
  child: ChildProcess
  url: string
  lines: string[]
  stderr: () => string
  waitFor: (pattern: RegExp) => Promise<string>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** The packed tarball installed into a fresh project, cached under $TMPDIR per tarball. */
async function installedBin(): Promise<string> {
  const tarball = await packedTarball()
  const key = createHash('sha256').update(tarball).digest('hex').slice(0, 12)
  const dir = path.join(tmpdir(), 'webrerank-serve-bin', key)
  const bin = path.join(dir, 'node_modules/.bin/webrerank')
  const stamp = path.join(dir, 'installed')
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === tarball) return bin
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'serve-consumer', private: true }))
  await npm(['install', '--prefer-offline', '--no-save', tarball], dir)
  await writeFile(stamp, tarball)
  return bin
}

function run(bin: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(bin, args, { env: { ...NPM_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal })
    }),
  )
  return { child, exited, stdout: () => stdout, stderr: () => stderr }
}

async function serve(bin: string, args: string[], env: Record<string, string> = {}): Promise<Serve> {
  const started = run(bin, ['serve', ...args, '--port', '0'], env)
  const lines = () => started.stdout().split('\n')
  const waitFor = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const line = lines().find((l) => pattern.test(l))
      if (line !== undefined) return line
      const status = await Promise.race([started.exited, new Promise((r) => setTimeout(r, 20))])
      if (status) throw new Error(`webrerank serve exited (${JSON.stringify(status)}): ${started.stderr()}`)
    }
  }
  const ready = await waitFor(/listening on http:/)
  return {
    child: started.child,
    url: /(http:\/\/\S+)/.exec(ready)![1]!,
    get lines() {
      return lines()
    },
    stderr: started.stderr,
    waitFor,
    exited: started.exited,
  }
}

describe('webrerank serve (the installed bin)', () => {
  let bin = ''
  let server: Serve
  const direct = new Map<string, Local>()
  const auth = { Authorization: `Bearer ${API_KEY}` }

  beforeAll(async () => {
    bin = await installedBin()
    const models = Object.entries(SEEDS).flatMap(([name, id]) => ['--model', `${name}=${id}`])
    // The key from the environment, as a deployment would pass it.
    server = await serve(bin, [...models, '--local-model-path', MODELS, '--no-remote', '--dtype', 'fp32'], {
      WEBRERANK_API_KEY: API_KEY,
    })
    for (const id of new Set(Object.values(SEEDS))) {
      direct.set(id, await load(id))
    }
  }, INSTALL_TIMEOUT)

  afterAll(async () => {
    server.child.kill('SIGTERM')
    await server.exited
    for (const reranker of direct.values()) await reranker.dispose()
  })

  it("answers the seeds' bodies on /v1/rerank exactly as the model in process does", async () => {
    expect(server.lines[0]).toBe(
      'webrerank: serving webrerank-test/bert-tiny (cpu, fp32), webrerank-test/xlmr-tiny (cpu, fp32), ' +
        'webrerank-test/qwen3-tiny (cpu, fp32); also as bge-reranker-v2, BAAI/bge-reranker-v2-m3, qwen/qwen3-reranker-0.6b',
    )
    const bodies: RerankRequest[] = [
      { model: 'bge-reranker-v2', query: QUERY, documents: DOCS, top_n: 2 },
      {
        model: 'BAAI/bge-reranker-v2-m3',
        query: QUERY,
        documents: DOCS.map((text) => ({ text })),
        return_documents: false,
      },
      { model: 'qwen/qwen3-reranker-0.6b', query: QUERY, documents: DOCS, top_n: 3, return_documents: true },
    ]
    for (const body of bodies) {
      const answer = await post(`${server.url}/v1/rerank`, body, auth)
      expect(answer.status).toBe(200)
      const { model, ...rest } = body
      const expected = await direct.get(SEEDS[model as keyof typeof SEEDS])!.rerank(rest)
      expect(withoutId(answer.body as RerankResponse)).toEqual({ ...withoutId(expected), model })
    }
  })

  it('answers /v2/rerank (Cohere v2), /rerank (TEI) and GET /v1/models', async () => {
    const expected = await direct.get(SEEDS['BAAI/bge-reranker-v2-m3'])!.rerank(QUERY, DOCS)
    const v2 = await post(
      `${server.url}/v2/rerank`,
      { model: 'BAAI/bge-reranker-v2-m3', query: QUERY, documents: DOCS, top_n: 2 },
      auth,
    )
    expect(v2.status).toBe(200)
    expect(v2.body).toEqual({
      id: expect.stringMatching(/^rerank-/) as unknown,
      results: expected.results.slice(0, 2).map(({ index, relevance_score }) => ({ index, relevance_score })),
      meta: {
        api_version: { version: '2' },
        billed_units: { search_units: 1 },
        tokens: { input_tokens: expected.usage.prompt_tokens },
      },
    })
    const bert = await direct.get(SEEDS['bge-reranker-v2'])!.rerank(QUERY, DOCS)
    const tei = await post(`${server.url}/rerank`, { query: QUERY, texts: DOCS, return_text: true }, auth)
    expect(tei.status).toBe(200)
    expect(tei.body).toEqual(
      bert.results.map(({ index, relevance_score, document }) => ({
        index,
        score: relevance_score,
        text: document!.text,
      })),
    )
    const models = await fetch(`${server.url}/v1/models`, { headers: auth })
    expect(models.status).toBe(200)
    const ids = ((await models.json()) as { data: { id: string; object: string }[] }).data.map((m) => m.id)
    expect(ids.sort()).toEqual([...Object.keys(SEEDS), ...Object.values(SEEDS)].sort())
  })

  it('answers every error with its status and the hosted error body', async () => {
    const url = `${server.url}/v1/rerank`
    const cases: [unknown, number, string][] = [
      [{ query: '', documents: DOCS }, 400, 'empty_query'],
      [{ query: QUERY, documents: Array.from({ length: 101 }, () => 'x') }, 400, 'too_many_documents'],
      [{ query: QUERY, documents: [] }, 400, 'invalid_documents'],
      [{ query: QUERY, documents: DOCS, top_n: 0 }, 400, 'invalid_top_n'],
      [{ query: QUERY, documents: DOCS, return_documents: 'yes' }, 400, 'invalid_request'],
      ['{"query": ', 400, 'invalid_request'],
      [{ model: 'rerank-v3.5', query: QUERY, documents: DOCS }, 404, 'model_not_found'],
      [{ query: 'x'.repeat(1024 * 1024), documents: DOCS }, 413, 'payload_too_large'],
    ]
    for (const [body, status, code] of cases) {
      expect(await post(url, body, auth), code).toMatchObject({ status, body: errorBody(code) })
    }
    const text = await post(url, 'query=x', { ...auth, 'Content-Type': 'text/plain' })
    expect(text).toMatchObject({ status: 415, body: errorBody('unsupported_media_type') })
    expect(await post(`${server.url}/v3/rerank`, {}, auth)).toMatchObject({ status: 404, body: errorBody('not_found') })
    const get = await fetch(url, { headers: auth })
    expect(get.status).toBe(405)
    expect(await get.json()).toEqual(errorBody('method_not_allowed'))
    for (const headers of [{}, { Authorization: 'Bearer not-the-key' }]) {
      expect(await post(url, { query: QUERY, documents: DOCS }, headers)).toMatchObject({
        status: 401,
        body: errorBody('invalid_api_key'),
      })
    }
    await server.waitFor(/^POST \/v1\/rerank 401 invalid_api_key \d+ms$/)
  })

  it('logs 499 aborted when the client goes away mid-request', async () => {
    const gone = partialPost(`${server.url}/v1/rerank`, JSON.stringify({ query: QUERY, documents: DOCS }), auth)
    gone.response.catch(() => undefined)
    await gone.started
    // A full round trip after it: the server has taken the first request by then.
    expect(await get(`${server.url}/v1/models`, auth)).toBe(200)
    gone.destroy()
    await server.waitFor(/^POST \/v1\/rerank 499 aborted \d+ms$/)
  })

  it("cohere-ai's CohereClientV2 reranks through it, and gets CohereErrors with the body", async () => {
    const cohere = new CohereClientV2({ token: API_KEY, environment: server.url, maxRetries: 0 })
    const expected = await direct.get(SEEDS['bge-reranker-v2'])!.rerank(QUERY, DOCS, { topN: 2 })
    const answer = await cohere.rerank({ model: 'bge-reranker-v2', query: QUERY, documents: DOCS, topN: 2 })
    expect(answer.results).toEqual(
      expected.results.map(({ index, relevance_score }) => ({ index, relevanceScore: relevance_score })),
    )
    expect(answer.meta?.tokens).toEqual({ inputTokens: expected.usage.prompt_tokens })
    const wrongKey = new CohereClientV2({ token: 'nope', environment: server.url, maxRetries: 0 })
    for (const [client, model, status, code] of [
      [cohere, 'rerank-v3.5', 404, 'model_not_found'],
      [wrongKey, 'bge-reranker-v2', 401, 'invalid_api_key'],
    ] as const) {
      const err = await client.rerank({ model, query: QUERY, documents: DOCS }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CohereError)
      expect((err as CohereError).statusCode).toBe(status)
      expect((err as CohereError).body).toEqual(errorBody(code))
    }
  })

  it("@ai-sdk/cohere's reranking model works through rerank() from ai", async () => {
    const cohere = createCohere({ baseURL: `${server.url}/v2`, apiKey: API_KEY })
    const expected = await direct.get(SEEDS['qwen/qwen3-reranker-0.6b'])!.rerank(QUERY, DOCS, { topN: 3 })
    const result = await rerank({
      model: cohere.reranking('qwen/qwen3-reranker-0.6b'),
      query: QUERY,
      documents: DOCS,
      topN: 3,
    })
    expect(result.ranking).toEqual(
      expected.results.map(({ index, relevance_score }) => ({
        originalIndex: index,
        score: relevance_score,
        document: DOCS[index],
      })),
    )
    expect(result.rerankedDocuments).toEqual(expected.results.map(({ index }) => DOCS[index]))
  })

  it('the remote backend (createReranker({ endpoint })) gets the same ranking in every format', async () => {
    const expected = await direct.get(SEEDS['BAAI/bge-reranker-v2-m3'])!.rerank(QUERY, DOCS, { topN: 3 })
    for (const format of ['v1', 'cohere-v2', 'tei'] as const) {
      const remote = await createReranker({
        endpoint: server.url,
        apiKey: API_KEY,
        format,
        // TEI's route names no model: the bin's first model (bert-tiny) answers it.
        ...(format === 'tei' ? {} : { model: 'BAAI/bge-reranker-v2-m3' }),
      })
      const want =
        format === 'tei' ? await direct.get(SEEDS['bge-reranker-v2'])!.rerank(QUERY, DOCS, { topN: 3 }) : expected
      const got = await remote.rerank(QUERY, DOCS, { topN: 3 })
      expect(got.results, format).toEqual(want.results)
      await expect(remote.rerank('', DOCS)).rejects.toMatchObject({ code: 'empty_query' })
    }
    const wrongKey = await createReranker({ endpoint: server.url, apiKey: 'nope' })
    await expect(wrongKey.rerank(QUERY, DOCS)).rejects.toMatchObject({ code: 'invalid_api_key' })
  })

  it('--model takes a folder path (a new user found every path refused)', async () => {
    const served = await serve(bin, ['--model', path.join(MODELS, SEEDS['bge-reranker-v2']), '--no-remote'])
    const answer = await post(`${served.url}/v1/rerank`, { query: QUERY, documents: DOCS })
    expect(answer.status).toBe(200)
    expect((answer.body as RerankResponse).results).toHaveLength(DOCS.length)
    served.child.kill('SIGTERM')
    expect(await served.exited).toEqual({ code: 0, signal: null })
  })

  it('SIGTERM drains the request in flight (200), refuses new connections and exits 0', async () => {
    const drained = await serve(bin, ['--model', SEEDS['bge-reranker-v2'], '--local-model-path', MODELS, '--no-remote'])
    const body = JSON.stringify({ query: QUERY, documents: DOCS })
    const inFlight = partialPost(`${drained.url}/v1/rerank`, body)
    await inFlight.started
    expect(await get(`${drained.url}/v1/models`)).toBe(200) // the server has taken the first request by then
    drained.child.kill('SIGTERM')
    await drained.waitFor(/^webrerank: SIGTERM: draining 1 request\(s\) in flight$/)
    expect(await get(`${drained.url}/v1/models`)).toBe('ECONNREFUSED')
    inFlight.finish()
    const answer = await inFlight.response
    expect(answer.status).toBe(200)
    const expected = await load(SEEDS['bge-reranker-v2'], 'auto') // the bin's default dtype
    expect(withoutId(answer.body as RerankResponse)).toEqual(
      withoutId(await expected.rerank({ query: QUERY, documents: DOCS })),
    )
    await expected.dispose()
    expect(await drained.exited).toEqual({ code: 0, signal: null })
    expect(drained.lines.at(-2)).toBe('webrerank: stopped')
  })

  it('exits 2 with the usage for bad command lines; --help, --version; exits 1 for a model it cannot load', async () => {
    const bad = [
      ['serve', '--port', 'x'],
      ['serve', '--port', '70000'],
      ['serve', '--dtype', 'fp64'],
      ['serve', '--modle', 'x'],
      ['serve', '--model', '=x'],
      ['serve', '--api-key', 'has space'],
      [],
      ['start'],
    ]
    for (const args of bad) {
      const result = run(bin, args)
      expect(await result.exited, args.join(' ')).toEqual({ code: 2, signal: null })
      expect(result.stderr()).toMatch(/^webrerank: .+\n\nUsage: webrerank serve \[options\]/)
    }
    const help = run(bin, ['--help'])
    expect(await help.exited).toEqual({ code: 0, signal: null })
    expect(help.stdout()).toContain('--local-model-path <dir>')
    const version = run(bin, ['--version'])
    expect(await version.exited).toEqual({ code: 0, signal: null })
    const { version: expected } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    expect(version.stdout()).toBe(`${expected}\n`)
    const missing = run(bin, ['serve', '--model', 'webrerank-test/absent', '--local-model-path', MODELS, '--no-remote'])
    expect(await missing.exited).toEqual({ code: 1, signal: null })
    expect(missing.stderr()).toMatch(/^webrerank: .*webrerank-test\/absent/)
  })
})

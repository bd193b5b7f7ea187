// webrerank/http: every route, status and error body of createFetchHandler, against the real
// Node reranker on the generated test model, and the handler used as a client's `fetch`.

import path from 'node:path'
import { CohereClient, CohereClientV2, CohereError } from 'cohere-ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFetchHandler, logit, type FetchHandler, type RerankerLike } from '../../src/http/index'
import { createReranker, RerankError, type Reranker, type RerankRequest, type RerankResponse } from '../../src/node'

const MODELS = path.resolve(import.meta.dirname, '../.models') + '/'
const MODEL = 'webrerank-test/bert-tiny'
const QUERY = 'capital of France'
const DOCS = ['Berlin is in Germany.', 'Paris is the capital of France.', 'The Seine flows through Paris.']
/** The model names the seeds use, each served by the test reranker. */
const SEED_NAMES = ['bge-reranker-v2', 'BAAI/bge-reranker-v2-m3', 'qwen/qwen3-reranker-0.6b']

let reranker: Reranker
let handler: FetchHandler

beforeAll(async () => {
  reranker = await createReranker({ model: MODEL, localModelPath: MODELS, allowRemoteModels: false, dtype: 'fp32' })
  handler = createFetchHandler(reranker, { models: Object.fromEntries(SEED_NAMES.map((name) => [name, reranker])) })
})

afterAll(async () => {
  await reranker.dispose()
})

function post(url: string, body: unknown, init: RequestInit = {}): Request {
  return new Request(`http://x${url}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  })
}

async function call(
  request: Request,
  using: FetchHandler = handler,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await using(request)
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers }
}

/** The error body every route answers with. */
function errorBody(code: string, type = 'invalid_request_error') {
  return { error: { message: expect.stringMatching(/^webrerank: /) as unknown, type, code } }
}

/** A RerankerLike that answers with `rerank` (a stub for failures the test model cannot produce). */
function stub(rerank: RerankerLike['rerank'], model = 'stub', modelId = model): RerankerLike {
  return { info: { model, modelId }, rerank }
}

const withoutId = ({ id, ...rest }: RerankResponse) => {
  expect(id).toMatch(/^rerank-[0-9a-f]{24}$/)
  return rest
}

describe('POST /v1/rerank', () => {
  it('answers exactly what reranker.rerank(body) gives for the same body', async () => {
    const bodies: RerankRequest[] = [
      { model: MODEL, query: QUERY, documents: DOCS },
      { query: QUERY, documents: DOCS.map((text) => ({ text })), top_n: 2 },
      { model: MODEL, query: QUERY, documents: DOCS, return_documents: false, max_tokens_per_doc: 3 },
    ]
    for (const body of bodies) {
      const { status, body: answer, headers } = await call(post('/v1/rerank', body))
      expect(status).toBe(200)
      expect(headers.get('Content-Type')).toBe('application/json')
      expect(withoutId(answer as RerankResponse)).toEqual(withoutId(await reranker.rerank(body)))
    }
  })

  it('passes max_tokens_per_doc through (fewer tokens scored)', async () => {
    const full = (await call(post('/v1/rerank', { query: QUERY, documents: DOCS }))).body as RerankResponse
    const cut = (await call(post('/v1/rerank', { query: QUERY, documents: DOCS, max_tokens_per_doc: 2 })))
      .body as RerankResponse
    expect(cut.usage.prompt_tokens).toBeLessThan(full.usage.prompt_tokens)
  })

  it("serves the seeds' model names mapped through options.models, echoing the name asked for", async () => {
    const expected = await reranker.rerank({ query: QUERY, documents: DOCS })
    for (const model of SEED_NAMES) {
      const { status, body } = await call(post('/v1/rerank', { model, query: QUERY, documents: DOCS }))
      expect(status).toBe(200)
      expect(withoutId(body as RerankResponse)).toEqual({ ...withoutId(expected), model })
    }
  })

  it('uses the first reranker when model is missing or null', async () => {
    for (const model of [undefined, null]) {
      const { status, body } = await call(post('/v1/rerank', { model, query: QUERY, documents: DOCS }))
      expect(status).toBe(200)
      expect((body as RerankResponse).model).toBe(MODEL)
    }
  })

  it("accepts a registry alias of a reranker's model", async () => {
    const seen: (string | undefined)[] = []
    const bge = stub(
      (request) => {
        seen.push(request.model)
        return Promise.resolve({
          id: 'rerank-1',
          model: 'x',
          results: [],
          usage: { prompt_tokens: 0, total_tokens: 0 },
        })
      },
      'bge-reranker-v2-m3',
      'onnx-community/bge-reranker-v2-m3-ONNX',
    )
    const served = createFetchHandler([reranker, bge])
    for (const model of ['BAAI/bge-reranker-v2-m3', 'bge-reranker-v2', 'onnx-community/bge-reranker-v2-m3-ONNX']) {
      const { status, body } = await call(post('/v1/rerank', { model, query: QUERY, documents: DOCS }), served)
      expect(status).toBe(200)
      expect((body as RerankResponse).model).toBe(model)
    }
    expect(seen).toEqual([undefined, undefined, undefined]) // the handler resolved the name; rerank() gets none
  })

  it('a name mapped in options.models answers for its registry aliases', async () => {
    const mapped = createFetchHandler([], { models: { 'bge-reranker-v2': reranker } })
    for (const model of ['BAAI/bge-reranker-v2-m3', 'bge-reranker-v2-m3', 'onnx-community/bge-reranker-v2-m3-ONNX']) {
      const { status, body } = await call(post('/v1/rerank', { model, query: QUERY, documents: DOCS }), mapped)
      expect(status).toBe(200)
      expect((body as RerankResponse).model).toBe(model)
    }
    // Another model's alias is still not served.
    const { status } = await call(
      post('/v1/rerank', { model: 'qwen/qwen3-reranker-0.6b', query: QUERY, documents: DOCS }),
      mapped,
    )
    expect(status).toBe(404)
  })

  it('ranks object documents on rank_fields and returns them as sent; max_chunks_per_doc is accepted', async () => {
    const documents = [
      { title: 'Germany', body: 'Berlin is in Germany.', id: 7 },
      { title: 'France', body: 'Paris is the capital of France.', id: 8 },
      'The Seine flows through Paris.',
    ]
    const { status, body } = await call(
      post('/v1/rerank', { query: QUERY, documents, rank_fields: ['title', 'body'], max_chunks_per_doc: 10 }),
    )
    expect(status).toBe(200)
    const joined = ['Germany\nBerlin is in Germany.', 'France\nParis is the capital of France.', DOCS[2]!]
    const expected = await reranker.rerank({ query: QUERY, documents: joined })
    const results = (body as { results: { index: number; relevance_score: number; document: unknown }[] }).results
    expect(results.map(({ index, relevance_score }) => ({ index, relevance_score }))).toEqual(
      expected.results.map(({ index, relevance_score }) => ({ index, relevance_score })),
    )
    for (const result of results) {
      const sent = documents[result.index]!
      expect(result.document).toEqual(typeof sent === 'string' ? { text: sent } : sent)
    }
  })

  it('refuses bad rank_fields, documents without them, and a bad max_chunks_per_doc', async () => {
    const cases: [unknown, string][] = [
      [{ query: QUERY, documents: [{ a: 'x' }], rank_fields: 'title' }, 'invalid_request'],
      [{ query: QUERY, documents: [{ a: 'x' }], rank_fields: [] }, 'invalid_request'],
      [{ query: QUERY, documents: [{ a: 'x' }], rank_fields: ['title'] }, 'invalid_documents'],
      [{ query: QUERY, documents: [{ title: { x: 1 } }], rank_fields: ['title'] }, 'invalid_documents'],
      [{ query: QUERY, documents: DOCS, max_chunks_per_doc: 0 }, 'invalid_request'],
    ]
    for (const [body, code] of cases) {
      expect(await call(post('/v1/rerank', body))).toMatchObject({ status: 400, body: errorBody(code) })
    }
  })
})

describe('POST /v2/rerank (Cohere v2)', () => {
  it('answers { id, results, meta } with the v1 scores, documents left out', async () => {
    const v1 = (await call(post('/v1/rerank', { query: QUERY, documents: DOCS, top_n: 2 }))).body as RerankResponse
    const { status, body } = await call(
      post('/v2/rerank', {
        model: 'bge-reranker-v2',
        query: QUERY,
        documents: DOCS,
        top_n: 2,
        max_tokens_per_doc: 4096,
      }),
    )
    expect(status).toBe(200)
    expect(body).toEqual({
      id: expect.stringMatching(/^rerank-/) as unknown,
      results: v1.results.map(({ index, relevance_score }) => ({ index, relevance_score })),
      meta: {
        api_version: { version: '2' },
        billed_units: { search_units: 1 },
        tokens: { input_tokens: v1.usage.prompt_tokens },
      },
    })
  })

  it('refuses bad input with the same error bodies', async () => {
    expect(await call(post('/v2/rerank', { query: '', documents: DOCS }))).toMatchObject({
      status: 400,
      body: errorBody('empty_query'),
    })
    expect(await call(post('/v2/rerank', { model: 'rerank-v3.5', query: QUERY, documents: DOCS }))).toMatchObject({
      status: 404,
      body: errorBody('model_not_found'),
    })
  })
})

describe('POST /rerank (Hugging Face TEI)', () => {
  it('answers a bare array sorted best first; return_text adds the texts', async () => {
    const v1 = (await call(post('/v1/rerank', { query: QUERY, documents: DOCS }))).body as RerankResponse
    const plain = await call(post('/rerank', { query: QUERY, texts: DOCS }))
    expect(plain.status).toBe(200)
    expect(plain.body).toEqual(v1.results.map(({ index, relevance_score }) => ({ index, score: relevance_score })))
    const withText = await call(post('/rerank', { query: QUERY, texts: DOCS, return_text: true, truncate: true }))
    expect(withText.body).toEqual(
      v1.results.map(({ index, relevance_score }) => ({ index, score: relevance_score, text: DOCS[index] })),
    )
  })

  it('raw_scores gives the logit of the v1 score', async () => {
    const v1 = (await call(post('/v1/rerank', { query: QUERY, documents: DOCS }))).body as RerankResponse
    const raw = (await call(post('/rerank', { query: QUERY, texts: DOCS, raw_scores: true }))).body as {
      index: number
      score: number
    }[]
    expect(raw.map((r) => r.index)).toEqual(v1.results.map((r) => r.index))
    raw.forEach((r, i) => {
      const p = v1.results[i]!.relevance_score
      expect(r.score).toBeCloseTo(Math.log(p / (1 - p)), 9)
    })
  })

  it('logit stays finite at 0 and 1 and inverts the sigmoid', () => {
    expect(Number.isFinite(logit(0))).toBe(true)
    expect(Number.isFinite(logit(1))).toBe(true)
    expect(logit(1)).toBeGreaterThan(30)
    expect(logit(0)).toBeLessThan(-700)
    for (const x of [-30, -3.5, 0, 0.25, 7, 20]) expect(logit(1 / (1 + Math.exp(-x)))).toBeCloseTo(x, 6)
  })

  it('names TEI fields in its errors', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ query: QUERY }, 'invalid_documents', /texts must be an array/],
      [{ query: QUERY, texts: [] }, 'invalid_documents', /texts must not be empty/],
      [{ query: QUERY, texts: ['a', 1] }, 'invalid_documents', /texts\[1\]/],
      [{ query: QUERY, texts: DOCS, raw_scores: 'yes' }, 'invalid_request', /raw_scores/],
      [{ query: ' ', texts: DOCS }, 'empty_query', /query/],
    ]
    for (const [body, code, message] of cases) {
      const { status, body: answer } = await call(post('/rerank', body))
      expect(status).toBe(400)
      expect(answer).toEqual(errorBody(code))
      expect((answer as { error: { message: string } }).error.message).toMatch(message)
    }
  })
})

describe('GET /v1/models', () => {
  it("lists each reranker's name and the names of options.models", async () => {
    const { status, body } = await call(new Request('http://x/v1/models'))
    expect(status).toBe(200)
    expect(body).toEqual({
      object: 'list',
      data: [MODEL, ...SEED_NAMES].map((id) => ({ id, object: 'model', owned_by: 'webrerank' })),
    })
  })
})

describe('errors', () => {
  it.each([
    ['empty_query', { query: '', documents: DOCS }],
    ['too_many_documents', { query: QUERY, documents: Array.from({ length: 101 }, () => 'x') }],
    ['invalid_documents', { query: QUERY, documents: [1] }],
    ['invalid_documents', { query: QUERY, documents: [] }],
    ['invalid_top_n', { query: QUERY, documents: DOCS, top_n: 0 }],
    ['invalid_request', { query: QUERY, documents: DOCS, return_documents: 'yes' }],
    ['invalid_request', { model: 5, query: QUERY, documents: DOCS }],
    ['invalid_request', [QUERY, DOCS]],
  ])('400 %s, the RerankError body unchanged', async (code, body) => {
    const { status, body: answer } = await call(post('/v1/rerank', body))
    expect(status).toBe(400)
    expect(answer).toEqual(errorBody(code))
    if (!Array.isArray(body) && !('model' in body)) {
      const thrown = await reranker.rerank(body as RerankRequest).catch((err: unknown) => err)
      expect(answer).toEqual((thrown as RerankError).toJSON())
    }
  })

  it('400 for malformed JSON and for bytes that are not UTF-8', async () => {
    expect(await call(post('/v1/rerank', '{"query": '))).toMatchObject({
      status: 400,
      body: errorBody('invalid_request'),
    })
    const latin1 = new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]) // {"é":1} in Latin-1
    expect(await call(post('/v1/rerank', undefined, { body: latin1 }))).toMatchObject({
      status: 400,
      body: errorBody('invalid_request'),
    })
    expect(await call(post('/v1/rerank', ''))).toMatchObject({ status: 400, body: errorBody('invalid_request') })
  })

  it('404 model_not_found for a name nothing serves', async () => {
    const { status, body } = await call(post('/v1/rerank', { model: 'rerank-v3.5', query: QUERY, documents: DOCS }))
    expect(status).toBe(404)
    expect(body).toEqual(errorBody('model_not_found'))
  })

  it('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    expect(await call(post('/v1/embeddings', {}))).toMatchObject({ status: 404, body: errorBody('not_found') })
    const get = await call(new Request('http://x/v1/rerank'))
    expect(get).toMatchObject({ status: 405, body: errorBody('method_not_allowed') })
    expect(get.headers.get('Allow')).toBe('POST, OPTIONS')
    const postModels = await call(post('/v1/models', {}))
    expect(postModels).toMatchObject({ status: 405, body: errorBody('method_not_allowed') })
    expect(postModels.headers.get('Allow')).toBe('GET, OPTIONS')
  })

  it('415 for a body that is not JSON; a missing Content-Type is read as JSON', async () => {
    const form = post('/v1/rerank', 'query=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(await call(form)).toMatchObject({ status: 415, body: errorBody('unsupported_media_type') })
    const text = new Request('http://x/v1/rerank', {
      method: 'POST',
      body: JSON.stringify({ query: QUERY, documents: DOCS }),
    })
    expect(text.headers.get('Content-Type')).toMatch(/^text\/plain/) // what fetch sends for a string body
    expect((await call(text)).status).toBe(415)
    const vendor = post(
      '/v1/rerank',
      { query: QUERY, documents: DOCS },
      {
        headers: { 'Content-Type': 'application/vnd.api+json; charset=utf-8' },
      },
    )
    expect((await call(vendor)).status).toBe(200)
    const stream = new Request('http://x/v1/rerank', {
      method: 'POST',
      body: new Blob([JSON.stringify({ query: QUERY, documents: DOCS })]).stream(),
      duplex: 'half',
    } as RequestInit)
    expect(stream.headers.get('Content-Type')).toBeNull()
    expect((await call(stream)).status).toBe(200)
  })

  it('413 past maxBodyBytes, by Content-Length and by the bytes actually read', async () => {
    const small = createFetchHandler(reranker, { maxBodyBytes: 100 })
    const big = { query: QUERY, documents: Array.from({ length: 20 }, () => 'a long enough document') }
    expect(await call(post('/v1/rerank', big), small)).toMatchObject({
      status: 413,
      body: errorBody('payload_too_large'),
    })
    // No Content-Length: a stream, read until it passes the limit.
    const chunks = [
      new TextEncoder().encode('{"query": "q", "documents": ['),
      ...Array.from({ length: 10 }, () => new TextEncoder().encode('"xxxxxxxxxxxxxxxx",')),
    ]
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[sent++]
        if (chunk) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const request = new Request('http://x/v1/rerank', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(request.headers.get('Content-Length')).toBeNull()
    expect(await call(request, small)).toMatchObject({ status: 413, body: errorBody('payload_too_large') })
    expect(sent).toBeLessThan(chunks.length) // stopped reading
    // The default, 1 MiB.
    const huge = { query: QUERY, documents: ['x'.repeat(1024 * 1024)] }
    expect((await call(post('/v1/rerank', huge))).status).toBe(413)
  })

  it("499 aborted when the request's signal fires, before or during the call", async () => {
    const before = new AbortController()
    before.abort()
    const early = await call(post('/v1/rerank', { query: QUERY, documents: DOCS }, { signal: before.signal }))
    expect(early).toMatchObject({ status: 499, body: errorBody('aborted', 'abort_error') })

    // Reranker.rerank races the signal it is given: a call under way ends at once.
    const real = new AbortController()
    const documents = Array.from({ length: 100 }, (_, i) => `document ${i} `.repeat(40))
    const running = call(post('/v1/rerank', { query: QUERY, documents }, { signal: real.signal }))
    setTimeout(() => {
      real.abort()
    }, 1)
    expect(await running).toMatchObject({ status: 499, body: errorBody('aborted', 'abort_error') })

    // The signal rerank() gets is the request's.
    const seen: AbortSignal[] = []
    const listening = stub((_, options) => {
      const signal = options!.signal!
      seen.push(signal)
      return new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => {
          reject(new RerankError('aborted', 'webrerank: the rerank call was aborted.'))
        })
      })
    })
    const during = new AbortController()
    const pending = call(
      post('/v1/rerank', { query: QUERY, documents: DOCS }, { signal: during.signal }),
      createFetchHandler(listening),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen).toHaveLength(1)
    during.abort()
    expect(await pending).toMatchObject({ status: 499, body: errorBody('aborted', 'abort_error') })
    expect(seen[0]!.aborted).toBe(true)
  })

  it('500 inference_failed / model_load_failed, also for errors that are not RerankErrors', async () => {
    const failing = stub(() => Promise.reject(new RerankError('inference_failed', 'webrerank: onnxruntime failed.')))
    expect(
      await call(post('/v1/rerank', { query: QUERY, documents: DOCS }), createFetchHandler(failing)),
    ).toMatchObject({
      status: 500,
      body: errorBody('inference_failed', 'server_error'),
    })
    const buggy = stub(() => Promise.reject(new TypeError('x is undefined')))
    const { status, body } = await call(
      post('/v1/rerank', { query: QUERY, documents: DOCS }),
      createFetchHandler(buggy),
    )
    expect(status).toBe(500)
    expect(body).toEqual(errorBody('inference_failed', 'server_error'))
    expect((body as { error: { message: string } }).error.message).toMatch(/x is undefined/)
    const cannotLoad = createFetchHandler([], {
      load: () => Promise.reject(new RerankError('model_load_failed', 'webrerank: weights truncated.')),
    })
    expect(await call(post('/v1/rerank', { model: 'm', query: QUERY, documents: DOCS }), cannotLoad)).toMatchObject({
      status: 500,
      body: errorBody('model_load_failed', 'server_error'),
    })
  })

  it('503 disposed once the reranker is disposed', async () => {
    const other = await createReranker({
      model: MODEL,
      localModelPath: MODELS,
      allowRemoteModels: false,
      dtype: 'fp32',
    })
    const served = createFetchHandler(other)
    expect((await call(post('/v1/rerank', { query: QUERY, documents: DOCS }), served)).status).toBe(200)
    await other.dispose()
    expect(await call(post('/v1/rerank', { query: QUERY, documents: DOCS }), served)).toMatchObject({
      status: 503,
      body: errorBody('disposed'),
    })
  })
})

describe('options.load', () => {
  it('creates a reranker on first use, once for concurrent requests, and lists it', async () => {
    const asked: string[] = []
    const served = createFetchHandler([], {
      load: async (model) => {
        asked.push(model)
        await new Promise((resolve) => setTimeout(resolve, 10))
        return model === 'lazy' ? reranker : undefined
      },
    })
    const answers = await Promise.all(
      [1, 2, 3].map(() => call(post('/v1/rerank', { model: 'lazy', query: QUERY, documents: DOCS }), served)),
    )
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    expect((answers[0]!.body as RerankResponse).model).toBe('lazy')
    expect(asked).toEqual(['lazy'])
    expect((await call(new Request('http://x/v1/models'), served)).body).toEqual({
      object: 'list',
      data: [{ id: 'lazy', object: 'model', owned_by: 'webrerank' }],
    })
    // undefined: 404, asked again next time.
    expect((await call(post('/v1/rerank', { model: 'nope', query: QUERY, documents: DOCS }), served)).status).toBe(404)
    expect((await call(post('/v1/rerank', { model: 'nope', query: QUERY, documents: DOCS }), served)).status).toBe(404)
    expect(asked).toEqual(['lazy', 'nope', 'nope'])
    // No reranker and no model: nothing to default to.
    expect(await call(post('/v1/rerank', { query: QUERY, documents: DOCS }), served)).toMatchObject({
      status: 400,
      body: errorBody('invalid_request'),
    })
  })

  it('forgets a failed load, so the next request tries again; other errors become model_load_failed', async () => {
    let attempts = 0
    const served = createFetchHandler([], {
      load: () => {
        attempts++
        if (attempts === 1) throw new Error('network down')
        return reranker
      },
    })
    const first = await call(post('/v1/rerank', { model: 'm', query: QUERY, documents: DOCS }), served)
    expect(first).toMatchObject({ status: 500, body: errorBody('model_load_failed', 'server_error') })
    expect((first.body as { error: { message: string } }).error.message).toMatch(/network down/)
    expect((await call(post('/v1/rerank', { model: 'm', query: QUERY, documents: DOCS }), served)).status).toBe(200)
  })
})

describe('CORS and basePath', () => {
  it('answers a preflight with 204 and the methods and headers allowed', async () => {
    const response = await handler(
      new Request('http://x/v1/rerank', {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://app.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, authorization, x-client-name',
        },
      }),
    )
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'content-type, authorization, x-client-name',
      'access-control-max-age': '86400',
    })
  })

  it('sends Access-Control-Allow-Origin: * by default, on answers and errors', async () => {
    for (const request of [post('/v1/rerank', { query: QUERY, documents: DOCS }), post('/v1/rerank', {})]) {
      expect((await handler(request)).headers.get('Access-Control-Allow-Origin')).toBe('*')
    }
  })

  it('echoes a listed origin only, and sends nothing with cors: false', async () => {
    const listed = createFetchHandler(reranker, { cors: ['http://app.example'] })
    const from = (origin: string) => new Request('http://x/v1/models', { headers: { Origin: origin } })
    const ok = await listed(from('http://app.example'))
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('http://app.example')
    expect(ok.headers.get('Vary')).toBe('Origin')
    expect((await listed(from('http://evil.example'))).headers.get('Access-Control-Allow-Origin')).toBeNull()
    const off = createFetchHandler(reranker, { cors: false })
    expect((await off(from('http://app.example'))).headers.get('Access-Control-Allow-Origin')).toBeNull()
    const preflight = await off(new Request('http://x/v1/rerank', { method: 'OPTIONS' }))
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBeNull()
  })

  it('serves every route under basePath and nothing outside it', async () => {
    const served = createFetchHandler(reranker, { basePath: '/api/' })
    expect((await call(post('/api/v1/rerank', { query: QUERY, documents: DOCS }), served)).status).toBe(200)
    expect((await call(post('/api/rerank/', { query: QUERY, texts: DOCS }), served)).status).toBe(200)
    expect((await call(new Request('http://x/api/v1/models'), served)).status).toBe(200)
    expect(await call(post('/v1/rerank', { query: QUERY, documents: DOCS }), served)).toMatchObject({
      status: 404,
      body: errorBody('not_found'),
    })
    expect((await call(post('/apiv1/rerank', {}), served)).status).toBe(404)
  })
})

describe('createFetchHandler arguments', () => {
  it('refuses a non-reranker and unknown or bad options at once', () => {
    const make =
      (...args: unknown[]) =>
      () =>
        (createFetchHandler as (...a: unknown[]) => unknown)(...args)
    expect(make({})).toThrow(/webrerank: createFetchHandler: rerankers\[0\] is not a reranker/)
    expect(make(reranker, { model: {} })).toThrow(/unknown option "model"/)
    expect(make(reranker, { maxBodyBytes: -1 })).toThrow(/maxBodyBytes must be a positive integer/)
    expect(make(reranker, { cors: 3 })).toThrow(/cors must be/)
    expect(make(reranker, { models: { x: 1 } })).toThrow(/models\["x"\] is not a reranker/)
    expect(make(reranker, { load: 'yes' })).toThrow(/load must be a function/)
  })
})

describe('as the fetch of an API client', () => {
  it('answers fetch-style calls (input, init) like a server would', async () => {
    const fetchLike: typeof fetch = (input, init) => handler(new Request(input, init))
    const response = await fetchLike('http://localhost/v2/rerank', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
      body: JSON.stringify({ model: 'bge-reranker-v2', query: QUERY, documents: DOCS, top_n: 1 }),
    })
    expect(response.ok).toBe(true)
    const body = (await response.json()) as { results: { index: number }[] }
    const expected = await reranker.rerank({ query: QUERY, documents: DOCS, top_n: 1 })
    expect(body.results.map((r) => r.index)).toEqual(expected.results.map((r) => r.index))
  })

  it("is the custom fetch of cohere-ai's v2 and v1 clients", async () => {
    const fetchLike: typeof fetch = (input, init) => handler(new Request(input, init))
    const v2 = new CohereClientV2({ token: 'x', environment: 'http://localhost', fetch: fetchLike, maxRetries: 0 })
    const expected = await reranker.rerank({ query: QUERY, documents: DOCS, top_n: 2 })
    const answer = await v2.rerank({ model: 'bge-reranker-v2', query: QUERY, documents: DOCS, topN: 2 })
    expect(answer.results).toEqual(
      expected.results.map(({ index, relevance_score }) => ({ index, relevanceScore: relevance_score })),
    )
    expect(answer.meta).toEqual({
      apiVersion: { version: '2' },
      billedUnits: { searchUnits: 1 },
      tokens: { inputTokens: expected.usage.prompt_tokens },
    })
    const refused = await v2
      .rerank({ model: 'rerank-v3.5', query: QUERY, documents: DOCS })
      .catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(CohereError)
    expect((refused as CohereError).statusCode).toBe(404)
    expect((refused as CohereError).body).toEqual(errorBody('model_not_found'))

    const v1 = new CohereClient({ token: 'x', environment: 'http://localhost', fetch: fetchLike, maxRetries: 0 })
    const old = await v1.rerank({ model: 'bge-reranker-v2', query: QUERY, documents: [DOCS[0]!, { text: DOCS[1]! }] })
    expect(old.results.map((r) => r.document?.text).sort()).toEqual([DOCS[0], DOCS[1]].sort())
  })
})

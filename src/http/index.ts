// webrerank/http: rerankers behind the Web-standard `(Request) => Promise<Response>` handler, in the
// hosted APIs' shapes. Runs wherever Request and Response exist (page, service worker, Node, Deno,
// Bun, edge runtimes); it uses the Reranker interface only, never the engine.

import { abortError } from '../api/errors.js'
import { readJson } from './body.js'
import { v2Rerank } from './cohere-v2.js'
import { ModelTable } from './models.js'
import { resolveHandlerOptions, type FetchHandlerOptions, type RerankerLike } from './options.js'
import { addHeaders, corsHeaders, errorResponse, HttpError, json, preflight } from './responses.js'
import { teiRerank } from './tei.js'
import { v1Models, v1Rerank } from './v1.js'

export { HTTP_DEFAULTS, type FetchHandlerOptions, type RerankerLike } from './options.js'
export { STATUS_OF_CODE, type HttpErrorBody, type HttpOnlyErrorCode } from './responses.js'
export { logit, type TeiRerankRequest, type TeiRerankResult } from './tei.js'
export type { V2RerankRequest, V2RerankResponse } from './cohere-v2.js'
export type { ModelList, V1RerankRequest, V1RerankResponse, V1RerankResult } from './v1.js'

/** A Web-standard request handler, the shape of a service worker's `fetch` and of `fetch` itself. */
export type FetchHandler = (request: Request) => Promise<Response>

/** A POST route: the parsed body in, a JSON-serialisable answer out. */
type PostRoute = (body: unknown, table: ModelTable, signal: AbortSignal) => Promise<unknown>

const POST_ROUTES: Record<string, PostRoute> = {
  '/v1/rerank': v1Rerank,
  '/v2/rerank': v2Rerank,
  '/rerank': teiRerank,
}

/**
 * Serves rerankers over HTTP, in the shapes hosted rerank APIs use:
 *
 * - `POST /v1/rerank`: `{ model?, query, documents, top_n?, return_documents?, max_tokens_per_doc?,
 *   rank_fields?, max_chunks_per_doc? }` → `{ id, model, results: [{ index, relevance_score, document? }],
 *   usage: { prompt_tokens, total_tokens } }` (Cohere v1, Jina, Voyage; what `reranker.rerank(body)` gives).
 * - `POST /v2/rerank`: Cohere v2, `{ model?, query, documents, top_n?, max_tokens_per_doc? }` →
 *   `{ id, results: [{ index, relevance_score }], meta: { api_version, billed_units: { search_units: 1 }, tokens: { input_tokens } } }`.
 * - `POST /rerank`: Hugging Face TEI, `{ query, texts, raw_scores?, return_text?, truncate? }` →
 *   `[{ index, score, text? }]`, best first (`raw_scores: true`: the logit).
 * - `GET /v1/models`: `{ object: 'list', data: [{ id, object: 'model', owned_by: 'webrerank' }] }`.
 *
 * A request's `model` picks the reranker: a name in `options.models`, a reranker's `info.model` or
 * `info.modelId`, a registry alias of its model, or whatever `options.load` creates; without
 * `model`, the first reranker. Errors answer `{ error: { message, type, code } }` with status 400
 * (bad input, malformed JSON), 404 (`model_not_found`, unknown path), 405, 413 (body over
 * `maxBodyBytes`), 415 (not JSON), 499 (`aborted`: the request's signal fired), 500
 * (`inference_failed`, `model_load_failed`, `webgpu_unavailable`) or 503 (`disposed`). Throws a RerankError
 * `invalid_request` at once for a bad argument or option.
 *
 * @example
 * // The Quick start's random-weight fixture model: the score means nothing.
 * const reranker = await createReranker({ model: 'fixtures/ms-marco-MiniLM-L-6-v2-random', localModelPath: '../shared/models/', allowRemoteModels: false })
 * const handler = createFetchHandler(reranker, { models: { 'rerank-v3.5': reranker } })
 * const res = await handler(new Request('http://localhost/v2/rerank', {
 *   method: 'POST',
 *   headers: { 'Content-Type': 'application/json' },
 *   body: JSON.stringify({ model: 'rerank-v3.5', query: 'capital of France', documents: ['Berlin is in Germany.', 'Paris is the capital of France.'], top_n: 1 }),
 * }))
 * console.log(res.status, JSON.stringify(await res.json()))
 * // 200 {"id":"rerank-146a1c8f2a5cdb217a88aa9a","results":[{"index":0,"relevance_score":0.015853408879767456}],
 * //      "meta":{"api_version":{"version":"2"},"billed_units":{"search_units":1},"tokens":{"input_tokens":24}}}
 */
export function createFetchHandler(
  rerankers: RerankerLike | readonly RerankerLike[],
  options?: FetchHandlerOptions,
): FetchHandler {
  const list: readonly RerankerLike[] = Array.isArray(rerankers) ? rerankers : [rerankers as RerankerLike]
  const resolved = resolveHandlerOptions(list, options)
  const table = new ModelTable(list, resolved)

  const route = async (request: Request, path: string): Promise<Response> => {
    if (path === '/v1/models') {
      if (request.method !== 'GET') throw methodNotAllowed(request, 'GET')
      return json(v1Models(table))
    }
    const post = POST_ROUTES[path]
    if (!post) throw new HttpError('not_found', `no route ${request.method} ${path}.`)
    if (request.method !== 'POST') throw methodNotAllowed(request, 'POST')
    const body = await readJson(request, resolved.maxBodyBytes)
    if (request.signal.aborted) throw abortError()
    return json(await post(body, table, request.signal))
  }

  return async (request) => {
    const cors = corsHeaders(request, resolved.cors)
    if (request.method === 'OPTIONS') return preflight(request, resolved.cors)
    let response: Response
    try {
      const path = routePath(new URL(request.url).pathname, resolved.basePath)
      if (path === undefined)
        throw new HttpError('not_found', `no route ${request.method} ${new URL(request.url).pathname}.`)
      response = await route(request, path)
    } catch (err) {
      response = errorResponse(err)
    }
    return addHeaders(response, cors)
  }
}

/** The path below `basePath` (without a trailing slash), or undefined when outside it. */
function routePath(pathname: string, basePath: string): string | undefined {
  if (basePath !== '' && pathname !== basePath && !pathname.startsWith(basePath + '/')) return undefined
  const path = pathname.slice(basePath.length).replace(/\/+$/, '')
  return path === '' ? '/' : path
}

function methodNotAllowed(request: Request, allowed: string): HttpError {
  return new HttpError('method_not_allowed', `${request.method} is not allowed here; use ${allowed}.`, {
    Allow: `${allowed}, OPTIONS`,
  })
}

// The handler's options: what they mean, their defaults (in one constant) and the checks that
// run once, when the handler is created, so a typo fails at start-up rather than per request.

import type { RerankRequest, RerankResponse, RerankerInfo } from '../api/types.js'
import { describe, fail, positiveInteger, refuseUnknownKeys } from '../api/validate.js'

/**
 * What the handler needs of a reranker: its names and `rerank(body, { signal })`. A `Reranker`
 * from `createReranker` is one; so is anything shaped like it (a stub in tests, a remote proxy).
 */
export interface RerankerLike {
  readonly info: Pick<RerankerInfo, 'model' | 'modelId'>
  rerank(request: RerankRequest, options?: { signal?: AbortSignal }): Promise<RerankResponse>
}

/** Options of {@link createFetchHandler}. Every field is optional; defaults are listed per field. */
export interface FetchHandlerOptions {
  /**
   * Extra names a request's `model` may use, each mapped to a reranker, e.g.
   * `{ 'rerank-v3.5': reranker }`. Looked up first, before the rerankers' own names. Default: none.
   */
  models?: Readonly<Record<string, RerankerLike>>
  /**
   * Creates a reranker for a `model` that nothing else serves, on first use (e.g.
   * `(model) => createReranker({ model })`). Concurrent requests for one name share one load; a
   * load that rejects is forgotten, so a later request tries again. Resolving `undefined` answers
   * 404 `model_not_found`. Default: none (unknown names answer 404).
   */
  load?: (model: string) => Promise<RerankerLike | undefined> | RerankerLike | undefined
  /** Largest request body in bytes (Content-Length and the bytes actually read). Default `1048576` (1 MiB). */
  maxBodyBytes?: number
  /**
   * `Access-Control-Allow-Origin` policy: `'*'` (default) lets any origin call, a string names the
   * one origin allowed, an array lists origins (the request's `Origin` is echoed when listed),
   * `false` sends no CORS headers.
   */
  cors?: false | string | readonly string[]
  /** Prefix of every route, e.g. `'/api'` serves `/api/v1/rerank`. Default `''`. */
  basePath?: string
}

/** Every default of the handler, in one place. */
export const HTTP_DEFAULTS = {
  maxBodyBytes: 1024 * 1024,
  cors: '*',
  basePath: '',
} as const

/** The options after checks, with defaults applied. */
export interface ResolvedHandlerOptions {
  models: ReadonlyMap<string, RerankerLike>
  load: FetchHandlerOptions['load']
  maxBodyBytes: number
  cors: false | string | readonly string[]
  /** Without a trailing slash; `''` for none. */
  basePath: string
}

/** Every option of createFetchHandler. */
export const HANDLER_OPTION_NAMES: readonly string[] = ['models', 'load', 'maxBodyBytes', 'cors', 'basePath']

/** Checks the rerankers and options once; throws a RerankError `invalid_request` on a mistake. */
export function resolveHandlerOptions(
  rerankers: readonly unknown[],
  options: FetchHandlerOptions | undefined,
): ResolvedHandlerOptions {
  rerankers.forEach((r, i) => {
    checkReranker(r, `rerankers[${i}]`)
  })
  const given: FetchHandlerOptions = options ?? {}
  refuseUnknownKeys(given, HANDLER_OPTION_NAMES, 'option', 'createFetchHandler: ')
  const models = new Map<string, RerankerLike>()
  for (const [name, reranker] of Object.entries(given.models ?? {})) {
    checkReranker(reranker, `models["${name}"]`)
    models.set(name, reranker)
  }
  if (given.load !== undefined && typeof given.load !== 'function') {
    throw fail('invalid_request', `createFetchHandler: load must be a function (got ${describe(given.load)}).`)
  }
  const cors = given.cors ?? HTTP_DEFAULTS.cors
  const corsOk =
    cors === false ||
    (typeof cors === 'string' && cors !== '') ||
    (Array.isArray(cors) && cors.every((o) => typeof o === 'string'))
  if (!corsOk) {
    throw fail(
      'invalid_request',
      `createFetchHandler: cors must be false, '*', an origin or an array of origins (got ${describe(cors)}).`,
    )
  }
  const basePath = given.basePath ?? HTTP_DEFAULTS.basePath
  if (typeof basePath !== 'string') {
    throw fail('invalid_request', `createFetchHandler: basePath must be a string (got ${describe(basePath)}).`)
  }
  const trimmed = basePath.replace(/^\/+|\/+$/g, '')
  return {
    models,
    load: given.load,
    maxBodyBytes: positiveInteger(given.maxBodyBytes, 'createFetchHandler: maxBodyBytes') ?? HTTP_DEFAULTS.maxBodyBytes,
    cors,
    basePath: trimmed === '' ? '' : '/' + trimmed,
  }
}

function checkReranker(value: unknown, name: string): asserts value is RerankerLike {
  const candidate = value as Partial<RerankerLike> | null | undefined
  if (
    typeof candidate?.rerank !== 'function' ||
    typeof candidate.info !== 'object' ||
    typeof candidate.info.model !== 'string'
  ) {
    throw fail('invalid_request', `createFetchHandler: ${name} is not a reranker (it needs rerank() and info.model).`)
  }
}

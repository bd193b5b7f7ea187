// The server's options: what they mean, their defaults (in one constant) and the checks that run
// once, at start-up, so a typo fails before the port is opened.

import { describe, fail, refuseUnknownKeys } from '../api/validate.js'
import { HANDLER_OPTION_NAMES } from '../http/options.js'
import type { FetchHandlerOptions } from '../http/index.js'

/** Options of {@link startServer}: the handler's options plus where to listen, auth and logging. */
export interface ServerOptions extends FetchHandlerOptions {
  /** TCP port; `0` picks a free one (read it from `RunningServer.port`). Default `8080`. */
  port?: number
  /** Interface to listen on. Default `'127.0.0.1'` (this machine only); `'0.0.0.0'` listens on every IPv4 interface. */
  host?: string
  /**
   * A bearer token every request must carry (`Authorization: Bearer <apiKey>`), letters, digits
   * and `._~+/-` (a bearer token's alphabet). Requests without it or with another answer 401
   * `{ error: { message, type: 'invalid_request_error', code: 'invalid_api_key' } }`, as OpenAI
   * does; CORS preflights pass without it. Default: none (no check).
   */
  apiKey?: string
  /**
   * Request logging: called once per request, when its response is sent, with one line
   * `POST /v1/rerank 200 12ms` (non-2xx answers add their error code: `… 400 empty_query 3ms`).
   * `false` logs nothing. Default `console.log`.
   */
  log?: ((line: string) => void) | false
}

/** A server that {@link startServer} started. */
export interface RunningServer {
  /** `http://<host>:<port>`, e.g. `'http://127.0.0.1:8080'`. */
  readonly url: string
  /** The port it listens on (the one picked when `port` was `0`). */
  readonly port: number
  /** Requests being answered right now. */
  readonly inFlight: number
  /**
   * Stops accepting connections, lets every request in flight finish (their responses carry
   * `Connection: close`), closes idle keep-alive connections, and resolves once the server is
   * closed. Calling it again returns the same promise. The rerankers are not disposed: they are
   * the caller's.
   */
  close(): Promise<void>
}

/** Every default of the server, in one place. */
export const SERVER_DEFAULTS = {
  /** TEI's and many examples' port; 0 means "any free port". */
  port: 8080,
  /** Loopback only: exposing a model to the network is a decision to make explicitly. */
  host: '127.0.0.1',
} as const

/** The server's own options after checks; the rest goes to createFetchHandler as given. */
export interface ResolvedServerOptions {
  port: number
  host: string
  apiKey: string | undefined
  log: ((line: string) => void) | undefined
  handler: FetchHandlerOptions
}

/** The server's own option names (the rest are createFetchHandler's). */
const SERVER_OPTION_NAMES: readonly string[] = ['port', 'host', 'apiKey', 'log']

/** hono's bearerAuth accepts tokens of this form only (RFC 6750's b64token). */
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/

/** Splits and checks the options; throws a RerankError `invalid_request` on a mistake. */
export function resolveServerOptions(options: ServerOptions | undefined): ResolvedServerOptions {
  // Checked against both option sets here, so a typo is reported as startServer's, with a hint.
  refuseUnknownKeys(options ?? {}, [...SERVER_OPTION_NAMES, ...HANDLER_OPTION_NAMES], 'option', 'startServer: ')
  const { port, host, apiKey, log, ...handler } = options ?? {}
  const chosenPort = port ?? SERVER_DEFAULTS.port
  if (!Number.isInteger(chosenPort) || chosenPort < 0 || chosenPort > 65535) {
    throw fail('invalid_request', `startServer: port must be an integer from 0 to 65535 (got ${describe(port)}).`)
  }
  const chosenHost = host ?? SERVER_DEFAULTS.host
  if (typeof chosenHost !== 'string' || chosenHost === '') {
    throw fail('invalid_request', `startServer: host must be a non-empty string (got ${describe(host)}).`)
  }
  if (apiKey !== undefined && (typeof apiKey !== 'string' || !BEARER_TOKEN.test(apiKey))) {
    throw fail(
      'invalid_request',
      `startServer: apiKey must be a non-empty bearer token of letters, digits and ._~+/- (got ${typeof apiKey === 'string' ? (apiKey === '' ? 'an empty string' : 'a string outside that set') : describe(apiKey)}).`,
    )
  }
  if (log !== undefined && log !== false && typeof log !== 'function') {
    throw fail('invalid_request', `startServer: log must be a function or false (got ${describe(log)}).`)
  }
  return {
    port: chosenPort,
    host: chosenHost,
    apiKey,
    log:
      log === false
        ? undefined
        : (log ??
          ((line: string) => {
            console.log(line)
          })),
    handler,
  }
}

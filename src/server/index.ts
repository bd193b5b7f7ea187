// webrerank/server: createFetchHandler over HTTP in Node, on Hono and @hono/node-server (no
// hand-written HTTP parsing), with an optional API key, request logging and a draining close().

import type { Server } from 'node:http'
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { createFetchHandler, type RerankerLike } from '../http/index.js'
import { apiKeyAuth } from './auth.js'
import { InFlight } from './in-flight.js'
import { requestLog } from './log.js'
import { resolveServerOptions, type RunningServer, type ServerOptions } from './options.js'

export { SERVER_DEFAULTS, type RunningServer, type ServerOptions } from './options.js'
export type { FetchHandlerOptions, RerankerLike } from '../http/index.js'

/**
 * Serves rerankers over HTTP with {@link createFetchHandler}'s routes, statuses and error bodies
 * (`POST /v1/rerank`, `/v2/rerank`, `/rerank`, `GET /v1/models`), and resolves once it listens.
 *
 * Calls to one reranker run one at a time in arrival order (the reranker's own queue), so under
 * load every request waits its turn and none starves; a client that disconnects aborts its call
 * (a queued call never starts) and is logged with status 499. `options` are the handler's
 * (`models`, `load`, `maxBodyBytes`, `cors`, `basePath`) plus `port` (default 8080, 0 = any free
 * port), `host` (default `'127.0.0.1'`), `apiKey` and `log`. Throws a RerankError
 * `invalid_request` for a bad option; rejects with Node's listen error (`code: 'EADDRINUSE'`, …)
 * when the port cannot be opened. `close()` drains requests in flight; the rerankers stay the
 * caller's to dispose.
 *
 * @example
 * // The Quick start's random-weight fixture model: the score means nothing.
 * const reranker = await createReranker({ model: 'fixtures/ms-marco-MiniLM-L-6-v2-random', localModelPath: '../shared/models/', allowRemoteModels: false })
 * const server = await startServer(reranker, { port: 0, apiKey: 'secret', log: false })
 * const res = await fetch(`${server.url}/v1/rerank`, {
 *   method: 'POST',
 *   headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret' },
 *   body: JSON.stringify({ query: 'capital of France', documents: ['Berlin is in Germany.', 'Paris is the capital of France.'], top_n: 1 }),
 * })
 * console.log(res.status, JSON.stringify((await res.json()).results))
 * // 200 [{"index":0,"relevance_score":0.015853408879767456,"document":{"text":"Berlin is in Germany."}}]
 * await server.close()
 * await reranker.dispose()
 */
export async function startServer(
  rerankers: RerankerLike | readonly RerankerLike[],
  options?: ServerOptions,
): Promise<RunningServer> {
  const resolved = resolveServerOptions(options)
  const handler = createFetchHandler(rerankers, resolved.handler)
  const inFlight = new InFlight()
  let closing = false

  const app = new Hono<{ Bindings: HttpBindings }>()
  if (resolved.log) app.use(requestLog(resolved.log))
  app.use(async (c, next) => {
    await next()
    // Draining: answer, then drop the connection, so keep-alive clients reconnect (and are refused).
    if (closing) c.header('Connection', 'close')
  })
  if (resolved.apiKey !== undefined) app.use(apiKeyAuth(resolved.apiKey, resolved.handler.cors))
  app.all('*', (c) => handler(c.req.raw))

  const server = createAdaptorServer({
    fetch: (request, env) => {
      inFlight.track(env.outgoing)
      return app.fetch(request, env)
    },
    // A library must not replace the process's global Request and Response.
    overrideGlobalObjects: false,
    hostname: resolved.host,
  }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : resolved.port
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host

  let closed: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    get inFlight() {
      return inFlight.size
    },
    close() {
      closed ??= (async () => {
        closing = true
        // Stops listening at once and closes idle keep-alive connections (Node ≥ 19).
        const stopped = new Promise<void>((resolve, reject) => {
          server.close((err) => {
            if (err) reject(err)
            else resolve()
          })
        })
        await inFlight.idle()
        // Every response is out; what is left is idle or has not sent a whole request.
        server.closeAllConnections()
        await stopped
      })()
      return closed
    },
  }
}

// One log line per request, written when its response is ready: method, path, status, the error
// code of a non-2xx answer (what an operator greps for), and milliseconds.

import type { MiddlewareHandler } from 'hono'

/** Logs `POST /v1/rerank 200 12ms`, or `POST /v1/rerank 400 empty_query 3ms`, through `write`. */
export function requestLog(write: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const { status } = c.res
    const code = status >= 400 ? await errorCode(c.res) : undefined
    const ms = Math.round(performance.now() - started)
    write(`${c.req.method} ${c.req.path} ${status}${code === undefined ? '' : ` ${code}`} ${ms}ms`)
  }
}

/** The `error.code` of an error body (read from a clone; error bodies are small), if it has one. */
async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } }
    return typeof body.error?.code === 'string' ? body.error.code : undefined
  } catch {
    return undefined
  }
}

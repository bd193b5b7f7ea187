// One POST to a rerank server, with a timeout per attempt and retries with backoff on answers
// that say "try again" (429, 502, 503, 504) and on network failures. Hand-written because it is
// a dozen lines over fetch, and the retry rules are the hosted APIs' own (Retry-After honoured).

import { RETRY_STATUSES, REMOTE_DEFAULTS } from '../api/defaults.js'
import { RerankError } from '../api/errors.js'
import { fail } from '../api/validate.js'
import { abortReason, raceAbort, throwIfAborted } from '../util/abort.js'
import { responseError } from './errors.js'
import type { RemoteOptions } from './options.js'

/** Posts `body` as JSON to the server and resolves with its parsed JSON answer. */
export async function postJson(remote: RemoteOptions, body: unknown, signal: AbortSignal): Promise<unknown> {
  const payload = JSON.stringify(body)
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptOnce(remote, payload, signal)
    if (outcome.ok) return outcome.json
    if (!outcome.retry || attempt >= remote.maxRetries) throw outcome.error
    await sleep(outcome.waitMs ?? backoff(attempt), signal)
  }
}

type Outcome = { ok: true; json: unknown } | { ok: false; error: RerankError; retry: boolean; waitMs?: number }

async function attemptOnce(remote: RemoteOptions, payload: string, signal: AbortSignal): Promise<Outcome> {
  // One controller per attempt, fed by the caller's signal and the timer (not AbortSignal.any,
  // whose combined signal Node 20 can garbage-collect before it fires).
  const attempt = new AbortController()
  const state = { timedOut: false }
  const timer = setTimeout(() => {
    state.timedOut = true
    attempt.abort()
  }, remote.timeoutMs)
  const forward = (): void => {
    attempt.abort()
  }
  signal.addEventListener('abort', forward, { once: true })
  try {
    const exchange = remote
      .post(remote.url, { method: 'POST', headers: remote.headers, body: payload, signal: attempt.signal })
      // The body is read under the same timeout: a server that stalls mid-answer fails too.
      .then(async (response) => ({ response, text: await response.text() }))
    // Settles when the attempt is aborted even if a fetch implementation misses the abort.
    const { response, text } = await raceAbort(exchange, attempt.signal)
    if (response.ok) return { ok: true, json: parseJson(remote.url, text) }
    const error = responseError(remote.url, response.status, text)
    const retry = RETRY_STATUSES.includes(response.status)
    const waitMs = retryAfter(response.headers.get('Retry-After'))
    return { ok: false, error, retry, ...(waitMs === undefined ? {} : { waitMs }) }
  } catch (err) {
    throwIfAborted(signal)
    if (state.timedOut) {
      return {
        ok: false,
        retry: false,
        error: fail('timeout', `the rerank server at ${remote.url} did not answer within ${remote.timeoutMs} ms.`),
      }
    }
    if (err instanceof RerankError) throw err
    const message = err instanceof Error ? err.message : String(err)
    return {
      ok: false,
      retry: true,
      error: fail('remote_unavailable', `could not reach the rerank server at ${remote.url}: ${message}`, {
        cause: err,
      }),
    }
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', forward)
  }
}

function parseJson(url: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw fail('inference_failed', `the rerank server at ${url} answered with invalid JSON: ${text.slice(0, 120)}`)
  }
}

/** 500 ms, 1 s, 2 s… with ±20% jitter, so clients that failed together do not retry together. */
function backoff(attempt: number): number {
  return REMOTE_DEFAULTS.retryBaseMs * 2 ** attempt * (0.8 + 0.4 * Math.random())
}

/** A `Retry-After` header in ms (seconds or an HTTP date), capped; absent or unreadable: undefined. */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined
  const seconds = Number(header)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now()
  if (!Number.isFinite(ms)) return undefined
  return Math.min(Math.max(ms, 0), REMOTE_DEFAULTS.maxRetryAfterMs)
}

/** Waits `ms`, or rejects as soon as `signal` fires. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  throwIfAborted(signal)
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortReason(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

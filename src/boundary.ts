// The worker boundary, read top to bottom: how a RerankError crosses it, what the worker
// exposes, and how the page numbers calls, cancels them and settles them when the worker goes.
// This module never imports the engine by value: the page's bundle stays free of transformers.js.

import { expose, proxy, releaseProxy, transferHandlers, wrap, type Remote, type TransferHandler } from 'comlink'
import { RerankError, type LoadRetry, type RerankErrorCode } from './api/errors.js'
import type { CallControls, RerankerHost } from './api/reranker.js'
import type { ResolvedOptions } from './api/options.js'
import type { NormalizedRequest } from './api/request.js'
import type {
  BatchProgress,
  ModelCacheStatus,
  ProgressEvent,
  RerankerInfo,
  RerankResponse,
  WorkerLike,
} from './api/types.js'
import { raceAbort } from './util/abort.js'
import { DEFAULTS } from './api/defaults.js'
import { fail } from './api/validate.js'

// ── 1. Errors ────────────────────────────────────────────────────────────────────────────────
// comlink's built-in "throw" handler sends only name/message/stack. This one sends a
// RerankError's code and cause too, and defers to the built-in for everything else. Registered
// on both sides (worker and page) before any call.

interface SerializedRerankError {
  code: RerankErrorCode
  message: string
  cause?: string
  retry?: LoadRetry
}
interface Thrown {
  value: unknown
}
type Wire = { rerankError: SerializedRerankError } | { other: unknown }

let registered = false

export function registerErrorTransfer(): void {
  if (registered) return
  registered = true
  const builtin = transferHandlers.get('throw') as TransferHandler<Thrown, unknown>
  const handler: TransferHandler<Thrown, Wire> = {
    canHandle: (value): value is Thrown => builtin.canHandle(value),
    serialize(thrown) {
      if (thrown.value instanceof RerankError) return [{ rerankError: serializeError(thrown.value) }, []]
      const [wire, transfer] = builtin.serialize(thrown)
      return [{ other: wire }, transfer]
    },
    deserialize(wire) {
      if ('rerankError' in wire) throw deserializeError(wire.rerankError)
      return builtin.deserialize(wire.other)
    },
  }
  transferHandlers.set('throw', handler)
}

function serializeError(err: RerankError): SerializedRerankError {
  const cause = causeText(err.cause)
  return {
    code: err.code,
    message: err.message,
    ...(cause === undefined ? {} : { cause }),
    ...(err.retry ? { retry: err.retry } : {}),
  }
}

/** A cause as text: structured clone cannot carry every Error subclass or object. */
function causeText(cause: unknown): string | undefined {
  if (cause === undefined) return undefined
  if (cause instanceof Error) return cause.message
  return typeof cause === 'string' ? cause : JSON.stringify(cause)
}

function deserializeError(data: SerializedRerankError): RerankError {
  return new RerankError(data.code, data.message, {
    ...(data.cause === undefined ? {} : { cause: data.cause }),
    ...(data.retry ? { retry: data.retry } : {}),
  })
}

// ── 2. The worker side ──────────────────────────────────────────────────────────────────────
// An AbortSignal cannot cross postMessage, so calls are numbered by the page and a cancel
// message names the number; the worker keeps one AbortController per running call.

/** What the worker exposes over comlink. */
export interface WorkerApi {
  /** Answers as soon as the worker runs webrerank's code: the start-up handshake. */
  ping(): true
  load(options: ResolvedOptions, onProgress?: (e: ProgressEvent) => void): Promise<RerankerInfo>
  rerank(
    request: NormalizedRequest,
    callId: number,
    onBatch?: (progress: BatchProgress) => unknown,
  ): Promise<RerankResponse>
  /** Aborts call `callId` at its next micro-batch boundary. */
  cancel(callId: number): void
  warmup(): Promise<number>
  cacheStatus(
    options: ResolvedOptions,
    prefetch: boolean,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<ModelCacheStatus>
  clearCache(options: ResolvedOptions): Promise<{ deletedFiles: number; bytes: number }>
  dispose(): Promise<void>
}

/** Exposes `host` (the in-process engine host) to the page that started this worker. */
export function serveHost(host: RerankerHost): void {
  registerErrorTransfer()
  const running = new Map<number, AbortController>()
  const api: WorkerApi = {
    ping: () => true,
    load: (options, onProgress) => host.load(options, onProgress),
    async rerank(request, callId, onBatch) {
      const controller = new AbortController()
      running.set(callId, controller)
      try {
        return await host.rerank(request, { signal: controller.signal, ...(onBatch ? { onBatch } : {}) })
      } finally {
        running.delete(callId)
      }
    },
    cancel: (callId) => running.get(callId)?.abort(),
    warmup: () => host.warmup(),
    cacheStatus: (options, prefetch, onProgress) => host.cacheStatus(options, prefetch, onProgress),
    clearCache: (options) => host.clearCache(options),
    dispose: () => host.dispose(),
  }
  expose(api)
}

// ── 3. The page side ────────────────────────────────────────────────────────────────────────

/**
 * A caller's callback as it crosses to the worker, and what makes the call reject with the
 * callback's own error. An exception thrown by `onBatch`/`onProgress` runs on this page, crosses
 * to the worker (where only name and message survive comlink's handler) and comes back as the
 * call's rejection; the call then rejects with the original object, class and all, as it would
 * in-process.
 */
function keepCallbackErrors<A extends unknown[]>(
  fn: ((...args: A) => unknown) | undefined,
): { proxy: ((...args: A) => Promise<unknown>) | undefined; settle<T>(call: Promise<T>): Promise<T> } {
  if (!fn) return { proxy: undefined, settle: (call) => call }
  let thrown: { error: unknown } | undefined
  const wrapped = async (...args: A): Promise<unknown> => {
    try {
      return await fn(...args)
    } catch (error) {
      thrown = { error }
      throw error
    }
  }
  return {
    proxy: proxy(wrapped),
    settle: (call) =>
      call.catch((err: unknown) => {
        throw thrown ? thrown.error : err
      }),
  }
}

let nextCallId = 1

/** Workers serving a reranker now, and workers webrerank has terminated: neither can serve a new one. */
const workersInUse = new WeakSet<Worker>()
const workersTerminated = new WeakSet<Worker>()

const disposedError = (): RerankError => new RerankError('disposed', 'webrerank: this reranker has been disposed.')

/**
 * A RerankerHost that runs in `worker`. Callbacks cross as comlink proxies; an aborted call is
 * cancelled in the worker and rejects at once; `dispose()`, a worker that fails to start, or one
 * that dies later (an uncaught error, e.g. out of memory) rejects every call still pending and
 * every later one, since comlink would leave them pending forever.
 */
export function connectWorker(given: WorkerLike, name: string): RerankerHost {
  // A browser Worker; the public type only names what webrerank uses of it.
  const worker = given as Worker
  // postMessage to a terminated or busy worker is dropped without a word: refuse it up front.
  if (workersTerminated.has(worker)) {
    throw fail(
      'invalid_request',
      `${name} was terminated (by dispose() of the reranker or cache call that used it): create a new Worker.`,
    )
  }
  if (workersInUse.has(worker)) {
    throw fail('invalid_request', `${name} already serves another reranker: give each reranker its own Worker.`)
  }
  registerErrorTransfer()
  return new WorkerHost(worker, name)
}

class WorkerHost implements RerankerHost {
  private readonly remote: Remote<WorkerApi>
  private readonly pending = new Set<(err: RerankError) => void>()
  private closedWith: RerankError | undefined
  private loaded = false
  /** The start-up handshake: every call waits for it, so none is posted to a worker that never answers. */
  private readonly started: Promise<void>

  constructor(
    private readonly worker: Worker,
    private readonly name: string,
  ) {
    workersInUse.add(worker)
    this.remote = wrap<WorkerApi>(worker)
    worker.addEventListener('error', (event) => {
      // Handled here (every call learns of it): not also an uncaught error of the page.
      event.preventDefault()
      this.close(this.workerError(event.message || 'script error'))
    })
    // The browser tells no one when a worker is terminated; code that holds it (the caller's own
    // worker) may do so. Hear of it through its terminate(), so calls fail instead of waiting.
    const terminate = worker.terminate.bind(worker)
    worker.terminate = () => {
      terminate()
      this.close(new RerankError('inference_failed', 'webrerank: the worker was terminated.'))
    }
    this.started = this.tracked(() => handshake(this.remote.ping(), name))
    // Each call reports a failed start; this copy must not count as unhandled.
    this.started.catch(() => undefined)
  }

  async load(options: ResolvedOptions, onProgress?: (e: ProgressEvent) => void): Promise<RerankerInfo> {
    const callback = keepCallbackErrors(onProgress)
    // Progress events are not awaited by transformers.js; the proxy's promise is dropped there.
    const onProgressProxy = callback.proxy as ((e: ProgressEvent) => void) | undefined
    await this.started
    const info = await callback.settle(this.tracked(() => this.remote.load(options, onProgressProxy)))
    this.loaded = true
    return info
  }

  rerank(request: NormalizedRequest, { signal, onBatch }: CallControls = {}): Promise<RerankResponse> {
    const callId = nextCallId++
    const callback = keepCallbackErrors(onBatch)
    const call = callback.settle(
      this.started.then(() => this.tracked(() => this.remote.rerank(request, callId, callback.proxy))),
    )
    // The call rejects at once; the worker stops it at its next micro-batch boundary.
    return raceAbort(call, signal, () => void this.remote.cancel(callId).catch(() => undefined))
  }

  async warmup(): Promise<number> {
    await this.started
    return this.tracked(() => this.remote.warmup())
  }

  async cacheStatus(
    options: ResolvedOptions,
    prefetch: boolean,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<ModelCacheStatus> {
    await this.started
    return this.tracked(() => this.remote.cacheStatus(options, prefetch, onProgress ? proxy(onProgress) : undefined))
  }

  async clearCache(options: ResolvedOptions): Promise<{ deletedFiles: number; bytes: number }> {
    await this.started
    return this.tracked(() => this.remote.clearCache(options))
  }

  async dispose(): Promise<void> {
    if (this.closedWith) return
    // Reject pending calls first: the worker is terminated before their own rejections could arrive.
    for (const reject of this.pending) reject(disposedError())
    this.pending.clear()
    await Promise.race([this.remote.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))])
    this.close(disposedError())
  }

  /** Starts `work` unless the host is closed; settles with it, or rejects when the host closes first. */
  private tracked<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // A released comlink proxy throws at the call: check before calling.
      if (this.closedWith) {
        reject(this.closedWith)
        return
      }
      this.pending.add(reject)
      work()
        .then(resolve, reject)
        .finally(() => this.pending.delete(reject))
    })
  }

  private close(err: RerankError): void {
    if (this.closedWith) return
    this.closedWith = err
    for (const reject of this.pending) reject(err)
    this.pending.clear()
    this.remote[releaseProxy]()
    this.worker.terminate()
    workersInUse.delete(this.worker)
    workersTerminated.add(this.worker)
  }

  /** What calls fail with when the worker fires 'error'. */
  private workerError(what: string): RerankError {
    // It ran, then died: calls fail like a failed inference, and a restarting host starts another.
    if (this.loaded) return new RerankError('inference_failed', `webrerank: the worker stopped (${what}).`)
    // It never started (a bundler that did not emit it, a CSP that forbids it): say how to fix it.
    return new RerankError(
      'model_load_failed',
      `webrerank: ${this.name} failed to start (${what}). If your bundler did not emit it, ` +
        "create the worker yourself from a module that contains `import 'webrerank/worker'` and pass it: " +
        "createReranker({ worker: new Worker(new URL('./rerank-worker.js', import.meta.url), { type: 'module' }) }) " +
        '(README, "Bundlers").',
    )
  }
}

/**
 * Resolves when the worker answers a ping; rejects when it does not within
 * DEFAULTS.workerStartMs: a worker that was terminated, or that does not run webrerank's code,
 * would otherwise leave the load pending forever.
 */
async function handshake(ping: Promise<true>, name: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        fail(
          'model_load_failed',
          `${name} did not answer within ${DEFAULTS.workerStartMs / 1000} s. Was it terminated, or does its module ` +
            "not import 'webrerank/worker'?",
        ),
      )
    }, DEFAULTS.workerStartMs)
  })
  try {
    await Promise.race([ping, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// ── 4. Restarts ─────────────────────────────────────────────────────────────────────────────
// transformers.js 4.3.1 chains every inference of a worker on one promise, so after one failed
// inference every later one in that worker fails with the same error; and a worker can die. In
// both cases the next call starts a fresh worker and loads the model again (from the browser's
// cache), and `info.restarts` counts it.

/**
 * A RerankerHost over a succession of workers: after a call fails with `inference_failed` (a
 * failed inference, or a worker that stopped), the next call first replaces the worker.
 */
export function restartingHost(
  first: RerankerHost,
  start: () => RerankerHost,
  options: ResolvedOptions,
  info: RerankerInfo,
): RerankerHost {
  let current = first
  let broken = false
  let restarting: Promise<void> | undefined
  let disposed = false

  const ready = async (): Promise<RerankerHost> => {
    if (broken) {
      restarting ??= (async () => {
        const old = current
        current = start()
        await old.dispose().catch(() => undefined)
        const fresh = await current.load(options)
        info.loadMs = fresh.loadMs
        info.loadPhases = fresh.loadPhases
        info.restarts = (info.restarts ?? 0) + 1
        broken = false
      })().finally(() => (restarting = undefined))
      await restarting
    }
    if (disposed) throw disposedError()
    return current
  }
  const watch = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work
    } catch (err) {
      if (err instanceof RerankError && err.code === 'inference_failed') broken = true
      throw err
    }
  }

  return {
    load: (o, onProgress) => current.load(o, onProgress),
    rerank: async (request, controls) => watch((await ready()).rerank(request, controls)),
    warmup: async () => watch((await ready()).warmup()),
    cacheStatus: async (o, prefetch, onProgress) => (await ready()).cacheStatus(o, prefetch, onProgress),
    clearCache: async (o) => (await ready()).clearCache(o),
    async dispose() {
      disposed = true
      await current.dispose()
    },
  }
}

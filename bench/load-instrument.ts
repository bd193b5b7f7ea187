// Imported first by the load benchmark's worker (bench/load-worker.ts), before webrerank's worker
// module: wraps fetch, the Cache API, WebGPU's requestAdapter and WebAssembly's compile functions
// to record when each starts and ends, and notes the first message in (comlink's load call) and
// the first reply out (its result). The page collects the records over a BroadcastChannel, so
// comlink's messages are untouched. Times are absolute (performance.timeOrigin +
// performance.now(), ms), comparable with the page's.

import { LOAD_BENCH_CHANNEL, type WorkerMark, type WorkerRecord, type WorkerResource } from './load-shared.ts'

const now = (): number => performance.timeOrigin + performance.now()
const marks: WorkerMark[] = []
const started = now()
marks.push({ kind: 'worker-start', start: started, end: started })
// Vite serves the runtime and every module separately: keep all their entries (default 250).
performance.setResourceTimingBufferSize(5000)

function urlOf(input: unknown): string | undefined {
  if (typeof input === 'string') return new URL(input, location.href).href
  if (input instanceof URL) return input.href
  if (input instanceof Request) return input.url
  return undefined
}

/** Wraps `owner[name]` (an async function) so each call is recorded with `describe(args, result, receiver)`. */
function record(
  owner: object,
  name: string,
  kind: WorkerMark['kind'],
  describe: (args: unknown[], result: unknown, receiver: unknown) => Partial<WorkerMark> = () => ({}),
): void {
  const target = owner as Record<string, unknown>
  const original = target[name]
  if (typeof original !== 'function') return
  target[name] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const mark: WorkerMark = { kind, start: now(), end: NaN }
    marks.push(mark)
    try {
      const result: unknown = await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args)
      Object.assign(mark, describe(args, result, this))
      return result
    } catch (err) {
      mark.error = err instanceof Error ? err.message : String(err)
      throw err
    } finally {
      mark.end = now()
    }
  }
}

const byteLength = (value: unknown): number | undefined =>
  value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? value.byteLength : undefined

record(globalThis, 'fetch', 'fetch', (args) => ({ url: urlOf(args[0]) }))
record(WebAssembly, 'instantiateStreaming', 'wasm-instantiateStreaming')
record(WebAssembly, 'compileStreaming', 'wasm-compileStreaming')
record(WebAssembly, 'instantiate', 'wasm-instantiate', (args) => {
  const bytes = byteLength(args[0])
  return bytes === undefined ? {} : { bytes }
})
record(WebAssembly, 'compile', 'wasm-compile', (args) => {
  const bytes = byteLength(args[0])
  return bytes === undefined ? {} : { bytes }
})
// The WebGPU adapter check (device 'auto'): GPU exists in Chromium's workers even without an adapter.
const gpu = (globalThis as { GPU?: { prototype: object } }).GPU
if (gpu) record(gpu.prototype, 'requestAdapter', 'gpu-requestAdapter', (_, adapter) => ({ hit: Boolean(adapter) }))
// Reading a whole body (transformers.js without a progress callback, the runtime binary of the old code).
// A Response from the Cache API has an empty url: remember which key it was found under.
const cachedUrls = new WeakMap<object, string>()
record(Response.prototype, 'arrayBuffer', 'response-arrayBuffer', (_, body, response) => ({
  url: (response as Response).url || cachedUrls.get(response as Response),
  bytes: byteLength(body) ?? 0,
}))
record(CacheStorage.prototype, 'open', 'cache-open')
record(Cache.prototype, 'match', 'cache-match', (args, result) => {
  const url = urlOf(args[0])
  if (result instanceof Response && url !== undefined) cachedUrls.set(result, url)
  return { url, hit: result !== undefined }
})
record(Cache.prototype, 'put', 'cache-put', (args) => ({ url: urlOf(args[0]) }))

// Messages in and out of the worker, named from comlink's wire format: the load call (`path`
// ['load']; the current code pings first) and the reply that carries the reranker's info.
const scope = globalThis as unknown as {
  postMessage: (...args: unknown[]) => void
  addEventListener: (type: 'message', listener: (event: MessageEvent<unknown>) => void) => void
}
scope.addEventListener('message', (event) => {
  const at = now()
  const path = (event.data as { path?: unknown } | null)?.path
  marks.push({ kind: 'message-in', start: at, end: at, detail: Array.isArray(path) ? path.join('.') : undefined })
})
const postMessage = scope.postMessage.bind(scope)
scope.postMessage = (...args: unknown[]): void => {
  const at = now()
  const value = (args[0] as { value?: { loadMs?: unknown } } | null)?.value
  const detail = typeof value?.loadMs === 'number' ? 'load-result' : undefined
  marks.push({ kind: 'message-out', start: at, end: at, detail })
  postMessage(...args)
}

const channel = new BroadcastChannel(LOAD_BENCH_CHANNEL)
channel.onmessage = (event: MessageEvent<unknown>) => {
  if (event.data !== 'collect') return
  const resources = performance.getEntriesByType('resource').map((entry): WorkerResource => {
    const r = entry as PerformanceResourceTiming
    const abs = (t: number): number => (t > 0 ? performance.timeOrigin + t : NaN)
    return {
      name: r.name,
      initiatorType: r.initiatorType,
      start: abs(r.startTime),
      responseStart: abs(r.responseStart),
      end: abs(r.responseEnd),
      transferSize: r.transferSize,
      encodedBodySize: r.encodedBodySize,
      decodedBodySize: r.decodedBodySize,
    }
  })
  const reply: WorkerRecord = { marks, resources }
  channel.postMessage(reply)
}

/** Called once webrerank's worker module has run: the worker can answer from now on. */
export function markWorkerReady(): void {
  const at = now()
  marks.push({ kind: 'worker-ready', start: at, end: at })
}

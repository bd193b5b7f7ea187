// The load benchmark's worker module (bench/load.ts): before importing webrerank's own worker
// module it wraps fetch, the Cache API and WebAssembly's compile functions to record when each
// starts and ends, and notes the first message in (the load call) and the first reply out (the
// load result). The page collects the records over a BroadcastChannel, so comlink's messages are
// untouched. Times are absolute (performance.timeOrigin + performance.now(), ms), comparable
// with the page's.

/** One recorded operation: [start, end] in absolute ms. */
export interface WorkerMark {
  kind:
    | 'worker-start'
    | 'worker-ready'
    | 'message-in'
    | 'message-out'
    | 'fetch'
    | 'cache-open'
    | 'cache-match'
    | 'cache-put'
    | 'wasm-instantiateStreaming'
    | 'wasm-compileStreaming'
    | 'wasm-instantiate'
    | 'wasm-compile'
    | 'gpu-requestAdapter'
  start: number
  end: number
  url?: string | undefined
  /** Bytes compiled (WebAssembly.instantiate/compile from bytes). */
  bytes?: number
  /** Cache API: whether match() found the entry. */
  hit?: boolean
  error?: string
}

/** A Resource Timing entry of the worker, in absolute ms. */
export interface WorkerResource {
  name: string
  initiatorType: string
  start: number
  responseStart: number
  end: number
  transferSize: number
  encodedBodySize: number
  decodedBodySize: number
}

export interface WorkerRecord {
  marks: WorkerMark[]
  resources: WorkerResource[]
}

export const LOAD_BENCH_CHANNEL = 'webrerank-load-bench'

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

/** Wraps `owner[name]` (an async function) so each call is recorded with `describe(args, result)`. */
function record(
  owner: object,
  name: string,
  kind: WorkerMark['kind'],
  describe: (args: unknown[], result: unknown) => Partial<WorkerMark> = () => ({}),
): void {
  const target = owner as Record<string, unknown>
  const original = target[name]
  if (typeof original !== 'function') return
  target[name] = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const mark: WorkerMark = { kind, start: now(), end: NaN }
    marks.push(mark)
    try {
      const result: unknown = await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args)
      Object.assign(mark, describe(args, result))
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
record(CacheStorage.prototype, 'open', 'cache-open')
record(Cache.prototype, 'match', 'cache-match', (args, result) => ({
  url: urlOf(args[0]),
  hit: result !== undefined,
}))
record(Cache.prototype, 'put', 'cache-put', (args) => ({ url: urlOf(args[0]) }))

// The first message in is comlink's load call; the first message out is its reply.
const scope = globalThis as unknown as {
  postMessage: (...args: unknown[]) => void
  addEventListener: (type: 'message', listener: () => void) => void
}
scope.addEventListener('message', () => {
  const at = now()
  marks.push({ kind: 'message-in', start: at, end: at })
})
const postMessage = scope.postMessage.bind(scope)
scope.postMessage = (...args: unknown[]): void => {
  const at = now()
  marks.push({ kind: 'message-out', start: at, end: at })
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

await import('../src/worker.ts')
const ready = now()
marks.push({ kind: 'worker-ready', start: ready, end: ready })

// What the load benchmark's worker records and how the page asks for it (bench/load.ts).

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
    | 'response-arrayBuffer'
  start: number
  end: number
  url?: string | undefined
  /** Bytes compiled (WebAssembly.instantiate/compile from bytes). */
  bytes?: number
  /** Cache API: whether match() found the entry. */
  hit?: boolean
  error?: string
  /** message-in: the comlink method called; message-out: 'load-result' for the reply carrying the reranker's info. */
  detail?: string | undefined
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

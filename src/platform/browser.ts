// Browser platform (runs inside the worker): WASM threads and runtime files, WebGPU detection.

import { DEFAULTS } from '../api/defaults.js'
import { browserWebGpuAdapter, type Platform } from '../engine/device.js'
import { configureWasm } from './transformers.js'
import { bundledWasmPaths } from './runtime-files.js'

/**
 * Threads for onnxruntime-web: several only when the page is cross-origin isolated (COOP
 * `same-origin` + COEP `require-corp`), because its threads need SharedArrayBuffer.
 */
export function wasmThreads(requested: number | undefined): number {
  if (!globalThis.crossOriginIsolated) return 1
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1
  return Math.max(1, requested ?? Math.min(cores, DEFAULTS.maxThreads))
}

export const browserPlatform: Platform = {
  kind: 'browser',
  prepare(options) {
    const threads = wasmThreads(options.threads)
    configureWasm({ threads, wasmPaths: options.wasmPaths ?? bundledWasmPaths() })
    return threads
  },
  webGpuAdapter: browserWebGpuAdapter,
}

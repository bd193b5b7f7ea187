// Browser platform (runs inside the worker): WASM threads and runtime files, WebGPU detection.

import { DEFAULTS } from '../api/defaults.js'
import { bundledRuntime } from './runtime-files.js'
import { configureWasm } from './transformers.js'
import type { Platform, WebGpuAdapterCheck } from './types.js'

/** Asks the browser for a real adapter: `navigator.gpu` exists in Chromium even when there is none. */
export async function browserWebGpuAdapter(): Promise<WebGpuAdapterCheck> {
  interface Adapter {
    features?: { has(name: string): boolean }
  }
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu
  if (!gpu) return { ok: false, reason: 'WebGPU is not supported by this browser (navigator.gpu is missing).' }
  try {
    const adapter = await gpu.requestAdapter()
    if (!adapter) return { ok: false, reason: 'No WebGPU adapter: navigator.gpu.requestAdapter() returned null.' }
    return { ok: true, shaderF16: adapter.features?.has('shader-f16') ?? false }
  } catch (err) {
    return {
      ok: false,
      reason: `No WebGPU adapter: requestAdapter() failed (${err instanceof Error ? err.message : String(err)}).`,
    }
  }
}

export const browserPlatform: Platform = {
  kind: 'browser',
  prepare(settings) {
    configureWasm({ threads: settings.threads, wasmPaths: settings.wasmPaths ?? bundledRuntime(settings.webgpu) })
  },
  threadsNote: (threads) =>
    threads === 1 && !globalThis.crossOriginIsolated
      ? 'WASM runs on 1 thread: the page is not cross-origin isolated. Serve it with the headers ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp ' +
        `for ${Math.min(globalThis.navigator.hardwareConcurrency || 1, DEFAULTS.maxThreads)} threads.`
      : undefined,
  webGpuAdapter: browserWebGpuAdapter,
}

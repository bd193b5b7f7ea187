// WASM threads in the browser, decided on the page (a worker inherits its page's isolation),
// so that this module, not the worker's platform, applies the default.

import { DEFAULTS } from '../api/defaults.js'

/**
 * Threads for onnxruntime-web: several only when the page is cross-origin isolated (COOP
 * `same-origin` + COEP `require-corp`), because its threads need SharedArrayBuffer; then the
 * caller's number, else `min(navigator.hardwareConcurrency, DEFAULTS.maxThreads)`.
 */
export function browserThreads(requested: number | undefined): number {
  if (!globalThis.crossOriginIsolated) return 1
  const cores = globalThis.navigator.hardwareConcurrency || 1
  return requested ?? Math.min(cores, DEFAULTS.maxThreads)
}

// onnxruntime-web's runtime files, served from our own build: transformers.js would fetch them
// from a CDN otherwise, which breaks offline use and pins pages to a third party.
// Vite turns these `?url` imports into asset URLs in dev and emits the files in builds.

import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url'
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url'

/** Absolute URLs of the bundled runtime files (absolute, because ORT resolves them from its own module). */
export function bundledWasmPaths(): { mjs: string; wasm: string } {
  const base = globalThis.location.href
  return { mjs: new URL(mjs, base).href, wasm: new URL(wasm, base).href }
}

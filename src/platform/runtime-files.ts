// onnxruntime-web's runtime files, resolved from the onnxruntime-web package by the app's own
// bundler: transformers.js would fetch them from a CDN otherwise, which breaks offline use and
// pins pages to a third party. `new URL('<package>/<file>', import.meta.url)` with a literal is
// the form Vite (dev and build) and webpack 5 both resolve through the package's `exports` and
// emit as hashed assets, so webrerank ships no second copy. This module is only reached from
// the worker, which Vite's dev server never pre-bundles (a bare `new URL` in a pre-bundled
// module resolves to the wrong folder: vitejs/vite#23045).

/** A runtime build: its Emscripten glue and its binary. */
export interface RuntimeFiles {
  mjs: string
  wasm: string
}

/**
 * The runtime build for a session: the CPU-only build (14 MB) when WebGPU will not be used, the
 * asyncify build (27 MB) that the WebGPU backend needs otherwise. Both run the same WASM kernels,
 * so scores do not depend on the choice; the smaller one compiles about twice as fast.
 */
export function bundledRuntime(webgpu: boolean): RuntimeFiles {
  return webgpu
    ? {
        mjs: new URL('onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs', import.meta.url).href,
        wasm: new URL('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
      }
    : {
        mjs: new URL('onnxruntime-web/ort-wasm-simd-threaded.mjs', import.meta.url).href,
        wasm: new URL('onnxruntime-web/ort-wasm-simd-threaded.wasm', import.meta.url).href,
      }
}

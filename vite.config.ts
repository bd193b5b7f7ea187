// Vite: the demo (dev server and preview), the library build, and the headers that make pages
// cross-origin isolated so onnxruntime-web can use threads.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineConfig, type Plugin } from 'vite'
import { ISOLATION_HEADERS } from './test/support/chromium.ts'
import { modelServer } from './test/support/model-server.ts'

/**
 * Library build only: Vite's library mode inlines every `?url` asset as base64, which would put
 * the 20 MB onnxruntime-web binary inside the worker script. This emits the two runtime files
 * next to the worker instead and points at them with `new URL(…, import.meta.url)`, which the
 * app's own bundler then picks up like any asset.
 */
function emitOrtRuntime(): Plugin {
  const pattern = /^onnxruntime-web\/(ort-wasm-simd-threaded\.asyncify\.(?:mjs|wasm))\?url$/
  const require = createRequire(import.meta.url)
  return {
    name: 'webrerank-emit-ort-runtime',
    enforce: 'pre',
    resolveId(id) {
      return pattern.test(id) ? '\0' + id : null
    },
    load(id) {
      const match = pattern.exec(id.replace(/^\0/, ''))
      if (!match) return null
      const fileName = match[1]!
      this.emitFile({
        type: 'asset',
        fileName: `assets/${fileName}`,
        source: readFileSync(require.resolve(`onnxruntime-web/${fileName}`)),
      })
      return `export default new URL('./${fileName}', import.meta.url).href`
    },
  }
}

export default defineConfig(({ mode }) => ({
  root: mode === 'lib' ? '.' : 'demo',
  plugins: [modelServer()],
  server: { headers: ISOLATION_HEADERS, fs: { allow: ['..'] } },
  preview: { headers: ISOLATION_HEADERS },
  worker: {
    format: 'es',
    // Library build: the worker imports transformers.js from the app's node_modules like the main entry does.
    ...(mode === 'lib'
      ? { plugins: () => [emitOrtRuntime()], rolldownOptions: { external: ['@huggingface/transformers', 'comlink'] } }
      : {}),
  },
  // transformers.js and onnxruntime-web load their own .wasm/.mjs at run time; pre-bundling breaks that.
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build:
    mode === 'lib'
      ? {
          outDir: 'dist',
          target: 'es2022',
          // The ONNX runtime is 20+ MB: emit it as a file, never inline it as base64.
          assetsInlineLimit: 0,
          lib: { entry: { index: 'src/index.ts', node: 'src/node.ts' }, formats: ['es'] },
          rolldownOptions: { external: ['@huggingface/transformers', 'comlink', /^node:/] },
        }
      : { outDir: '../demo-dist', target: 'es2022', emptyOutDir: true },
}))

// Vite: the demo (dev server and preview) and the headers that make its pages cross-origin
// isolated so onnxruntime-web can use threads. The library itself is built by tsc
// (tsconfig.build.json): one ES module per source file, left for the app's bundler to bundle.

import { defineConfig } from 'vite'
import { ISOLATION_HEADERS } from './test/support/chromium.ts'
import { modelServer } from './test/support/model-server.ts'

export default defineConfig({
  root: 'demo',
  plugins: [modelServer()],
  server: { headers: ISOLATION_HEADERS, fs: { allow: ['..'] } },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  // transformers.js and onnxruntime-web load their own .wasm/.mjs at run time; pre-bundling breaks that.
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: { outDir: '../demo-dist', target: 'es2022', emptyOutDir: true },
})

// Vite: the demo (dev server and preview), the library build, and the headers that make pages
// cross-origin isolated so onnxruntime-web can use threads.

import { defineConfig } from 'vite'
import { modelServer } from './test/support/model-server.ts'

/** COOP + COEP: required for SharedArrayBuffer, hence for multi-threaded WASM. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig(({ mode }) => ({
  root: mode === 'lib' ? '.' : 'demo',
  plugins: [modelServer()],
  server: { headers: ISOLATION_HEADERS, fs: { allow: ['..'] } },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  // transformers.js and onnxruntime-web load their own .wasm/.mjs at run time; pre-bundling breaks that.
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build:
    mode === 'lib'
      ? {
          outDir: 'dist',
          target: 'es2022',
          // The ONNX runtime is 20+ MB: emit it as a file, never inline it as base64.
          assetsInlineLimit: 0,
          lib: { entry: { index: 'src/index.ts' }, formats: ['es'] },
          rollupOptions: { external: ['@huggingface/transformers', 'comlink'] },
        }
      : { outDir: '../demo-dist', target: 'es2022', emptyOutDir: true },
}))

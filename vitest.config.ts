// Tests: Node (engine in-process on onnxruntime-node) and real Chromium through Vitest's
// browser mode (engine in a worker on WASM, and on WebGPU through SwiftShader).

import { fileURLToPath } from 'node:url'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import { modelServer } from './test/support/model-server.ts'
import { rerankStub } from './test/support/rerank-stub.ts'
import { CHROMIUM_ARGS, CHROMIUM_PATH, ISOLATION_HEADERS } from './test/support/chromium.ts'

function chromium(
  name: string,
  include: string[],
  extraArgs: string[],
  groupOrder: number,
  timeout = 180_000,
): TestProjectInlineConfiguration {
  return {
    plugins: [modelServer(), rerankStub()],
    server: { headers: { ...ISOLATION_HEADERS } },
    // Listed up front: a dependency found mid-run makes Vite re-optimize and reload the test page.
    optimizeDeps: {
      exclude: ['@huggingface/transformers', 'onnxruntime-web'],
      include: ['comlink', 'ai', '@ai-sdk/provider'],
    },
    worker: { format: 'es' },
    // The integrations import the package by its own name (an export-conditions self-reference);
    // in this checkout that is the source entry. Unresolved, it fails Vite's dependency scan, and
    // every dependency is then found mid-run, each find reloading the test page.
    resolve: {
      alias: [{ find: /^webrerank$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
    },
    test: {
      name,
      include,
      // One file at a time, one project after another: on a 2-core machine, parallel browser files
      // starve each other (timeouts, and the responsiveness test measures the main thread).
      sequence: { groupOrder },
      fileParallelism: false,
      testTimeout: timeout,
      hookTimeout: timeout,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  }
}

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          sequence: { groupOrder: 0 },
          include: ['test/*.test.ts', 'test/node/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      // No --enable-unsafe-webgpu: navigator.gpu exists but requestAdapter() gives null.
      chromium('chromium-wasm', ['test/browser/**/*.test.ts'], [], 1),
      chromium('chromium-webgpu', ['test/webgpu/**/*.test.ts'], ['--enable-unsafe-webgpu'], 2, 600_000),
    ],
  },
})

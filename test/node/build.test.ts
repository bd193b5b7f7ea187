// The library build: the worker must stay small and onnxruntime-web's runtime files must be
// emitted beside it (Vite's library mode would otherwise inline the 27 MB .wasm as base64).

import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { build } from 'vite'

const ROOT = path.resolve(import.meta.dirname, '../..')
let out = ''

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'webrerank-build-'))
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    root: ROOT,
    mode: 'lib',
    logLevel: 'silent',
    build: { outDir: out, emptyOutDir: true },
  })
}, 120_000)
afterAll(() => rm(out, { recursive: true, force: true }))

test('entries, a small worker chunk and the runtime files as separate assets', async () => {
  const top = await readdir(out)
  expect(top).toEqual(expect.arrayContaining(['index.js', 'node.js', 'assets']))
  const assets = await readdir(path.join(out, 'assets'))
  expect(assets).toEqual(
    expect.arrayContaining(['ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.asyncify.mjs']),
  )
  const worker = assets.find((f) => f.startsWith('worker') && f.endsWith('.js'))!
  expect(worker).toBeDefined()
  const workerSize = (await stat(path.join(out, 'assets', worker))).size
  expect(workerSize).toBeLessThan(100_000) // transformers.js stays external; no inlined runtime
  const workerCode = await readFile(path.join(out, 'assets', worker), 'utf8')
  expect(workerCode).not.toContain('data:application/wasm')
  expect(workerCode).toContain('ort-wasm-simd-threaded.asyncify.wasm')
  // The browser entry starts the worker with the bundler-friendly new URL(…, import.meta.url) form.
  const entries = await Promise.all(
    top.filter((f) => f.endsWith('.js')).map((f) => readFile(path.join(out, f), 'utf8')),
  )
  expect(entries.join('\n')).toMatch(/new Worker\(new URL\(/)
})

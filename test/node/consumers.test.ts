// What users get: the packed tarball installed into fresh apps with no bundler configuration
// (Vite dev, Vite build + preview, webpack 5), each served with and without COOP/COEP and
// driven in Chromium; the escape hatch (the app's own worker importing 'webrerank/worker'); and
// the tarball in a fresh Node project. Every page must rank like Node does, report the threads
// its isolation allows, and never request anything but the page's own origin.

import { execFile } from 'node:child_process'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { RerankerInfo, RerankResponse } from '../../src/index.js'
import {
  addModel,
  APPS_DIR,
  CALL,
  ESBUILD_BUILD,
  npm,
  NPM_ENV,
  ORT_FILES,
  prepareApp,
  writeWebpackPage,
  type App,
} from '../consumers/apps.js'
import { serveStatic, serveVite, type Served } from '../consumers/serve.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js'
import { INTEGRATION_PEERS } from '../support/integration-peers.js'
import { packedTarball } from '../support/tarball.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const MODELS = path.join(ROOT, 'test/.models')
const TIMEOUT = 600_000

interface PageResult {
  info?: RerankerInfo
  response?: RerankResponse
  crossOriginIsolated?: boolean
  cores?: number
  first?: { index: number; analyzer: string }
  q8?: RerankResponse
  error?: string
}

let tarball = ''
let browser: Browser | undefined
let nodeResult: RerankResponse | undefined
let nodeQ8: RerankResponse | undefined
const apps: Partial<Record<App['name'], App>> = {}

beforeAll(async () => {
  tarball = await packedTarball()
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
}, TIMEOUT)

afterAll(async () => {
  await browser?.close()
})

/** Loads `url` in a fresh context, waits for the page's result and lists every request it made. */
async function drive(url: string): Promise<{ result: PageResult; foreign: string[] }> {
  const context = await browser!.newContext()
  const foreign: string[] = []
  context.on('request', (request) => {
    const { hostname, protocol } = new URL(request.url())
    if (protocol !== 'blob:' && protocol !== 'data:' && hostname !== '127.0.0.1') foreign.push(request.url())
  })
  try {
    const page = await context.newPage()
    await page.goto(url)
    await page.waitForFunction(() => Reflect.has(window, '__result'), undefined, { timeout: 120_000 })
    const result = await page.evaluate(() => Reflect.get(window, '__result') as PageResult)
    return { result, foreign }
  } finally {
    await context.close()
  }
}

/** The checks every browser consumer must pass. */
function expectRanked({ result, foreign }: { result: PageResult; foreign: string[] }, isolated: boolean): void {
  expect(result.error).toBeUndefined()
  expect(result.crossOriginIsolated).toBe(isolated)
  expect(result.info!.device).toBe('wasm')
  // README: min(navigator.hardwareConcurrency, 4) threads when isolated, else 1.
  expect(result.info!.threads).toBe(isolated ? Math.min(result.cores!, 4) : 1)
  // Without isolation, info says why there is one thread and which headers fix it.
  if (isolated) expect(result.info!.threadsNote).toBeUndefined()
  else expect(result.info!.threadsNote).toContain('Cross-Origin-Embedder-Policy: require-corp')
  expect(foreign).toEqual([])
  // The first stage found the German document through its German analyzer (stemmer loaded on use).
  expect(result.first).toEqual({ index: 1, analyzer: 'de' })
  const got = result.response!.results
  const want = nodeResult!.results
  expect(got.map((r) => r.index)).toEqual(want.map((r) => r.index))
  got.forEach((r, i) => {
    expect(Math.abs(r.relevance_score - want[i]!.relevance_score)).toBeLessThan(1e-4)
  })
  // q8 in the browser (WASM kernels) scores like q8 in Node (native kernels): one pair per batch,
  // so both quantize the same activations (issue 11: they differed by 0.006 when batched).
  if (result.q8) {
    expect(result.q8.results.map((r) => r.index)).toEqual(nodeQ8!.results.map((r) => r.index))
    result.q8.results.forEach((r, i) => {
      expect(Math.abs(r.relevance_score - nodeQ8!.results[i]!.relevance_score)).toBeLessThan(1e-4)
    })
  }
}

describe('the packed tarball', () => {
  test(
    'contains the built entries, types and source maps, and no copy of a dependency',
    async () => {
      const { stdout } = await run('tar', ['-tzf', tarball])
      const files = stdout.split('\n').filter(Boolean)
      for (const f of ['index.js', 'index.d.ts', 'node.js', 'worker.js', 'worker.d.ts', 'index.js.map']) {
        expect(files).toContain(`package/dist/${f}`)
      }
      // Dependencies are installed by npm, never copied in: no runtime binaries, no vendored packages.
      expect(files.filter((f) => /\.(wasm|mjs)$|node_modules|ort-wasm|minisearch/i.test(f))).toEqual([])
    },
    TIMEOUT,
  )

  test(
    'arethetypeswrong: every entry resolves to its types under bundler and node16 resolution',
    async () => {
      // esm-only: the package is ESM, so require() from CommonJS is not a supported use.
      const cli = path.join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js')
      // attw exits non-zero on any problem the profile counts, which run() turns into a failure.
      const { stdout } = await run(process.execPath, [cli, tarball, '--profile', 'esm-only'])
      expect(stdout).toContain('node16 (from ESM): 🟢')
      expect(stdout).toContain('bundler: 🟢')
      // Every problem listed is one the esm-only profile ignores (require() from CommonJS).
      expect(stdout.split('\n').filter((l) => /💀|❌|🐛|🥴|❗️/u.test(l) && !l.includes('(ignored'))).toEqual([])
    },
    TIMEOUT,
  )

  test(
    'Node: a fresh project imports it and reranks (the reference for the browser consumers)',
    async () => {
      const dir = path.join(APPS_DIR, 'node-consumer')
      await mkdir(dir, { recursive: true })
      await writeFile(
        path.join(dir, 'package.json'),
        JSON.stringify({ name: 'node-consumer', private: true, type: 'module' }),
      )
      // With what a TypeScript user has too (a later test type-checks against the package's types),
      // and the AI SDK and LangChain, which the README's ai-sdk and langchain examples import.
      await npm(
        ['install', '--prefer-offline', '--no-save', tarball, '@types/node@20', 'typescript@5.9', ...INTEGRATION_PEERS],
        dir,
      )
      const script = `import { createReranker, RerankError } from 'webrerank'
const options = { ...${JSON.stringify(CALL.options)}, localModelPath: ${JSON.stringify(MODELS + '/')} }
const reranker = await createReranker(options)
const response = await reranker.rerank(${JSON.stringify(CALL.query)}, ${JSON.stringify(CALL.documents)})
const quantized = await createReranker({ ...options, dtype: 'q8' })
const q8 = await quantized.rerank(${JSON.stringify(CALL.query)}, ${JSON.stringify(CALL.documents)})
await quantized.dispose()
const err = await reranker.rerank('', ['x']).catch((e) => e)
console.log(JSON.stringify({ response, q8, device: reranker.info.device, errorClass: err.constructor.name, isRerankError: err instanceof RerankError }))
await reranker.dispose()
`
      await writeFile(path.join(dir, 'main.mjs'), script)
      const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: dir, env: NPM_ENV })
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        response: RerankResponse
        q8: RerankResponse
        device: string
        errorClass: string
        isRerankError: boolean
      }
      expect(out.device).toBe('cpu')
      expect(out.errorClass).toBe('RerankError') // class names survive the build
      expect(out.isRerankError).toBe(true)
      expect(out.response.results).toHaveLength(CALL.documents.length)
      nodeResult = out.response
      nodeQ8 = out.q8
    },
    TIMEOUT,
  )
})

test(
  'TypeScript: a strict Node project with no DOM library type-checks against the types (skipLibCheck off)',
  async () => {
    const dir = path.join(APPS_DIR, 'node-consumer')
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ['typed.mts'],
      }),
    )
    await writeFile(
      path.join(dir, 'typed.mts'),
      `import { createReranker, createSearch, RerankError, type RerankResponse } from 'webrerank'
const reranker = await createReranker({ model: 'webrerank-test/bert-tiny', localModelPath: './models/', allowRemoteModels: false })
const res: RerankResponse = await reranker.rerank('q', ['a', { text: 'b' }], { topN: 1, signal: AbortSignal.timeout(1000) })
const search = createSearch({ reranker, language: 'auto' })
void search, res, RerankError
`,
    )
    await run(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
    })
  },
  TIMEOUT,
)

describe('README examples', () => {
  /** `<!-- example: name -->` + a js block, and `<!-- output: name -->` + a text block. */
  function readmeExamples(readme: string): { name: string; code: string; output: string }[] {
    const block = (kind: string, name: string, lang: string): string | undefined =>
      new RegExp(`<!-- ${kind}: ${name} -->\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1]
    return [...readme.matchAll(/<!-- example: ([\w-]+) -->/g)].map(([, name]) => ({
      name: name!,
      code: block('example', name!, 'js')!,
      output: block('output', name!, 'text')!,
    }))
  }

  test(
    'each prints what the README shows, run with the packed package (ids are random)',
    async () => {
      const examples = readmeExamples(await readFile(path.join(ROOT, 'README.md'), 'utf8'))
      expect(examples.length).toBeGreaterThan(0)
      const dir = path.join(APPS_DIR, 'node-consumer')
      const normalize = (text: string): string => text.replace(/rerank-[0-9a-f]{24}/g, 'rerank-<id>').trim()
      for (const { name, code, output } of examples) {
        const file = path.join(dir, `readme-${name}.mjs`)
        await writeFile(file, code)
        // Run from the repository root, where the examples' relative paths (../shared/models/) point.
        const { stdout } = await run(process.execPath, [file], { cwd: ROOT, env: NPM_ENV })
        expect(normalize(stdout), name).toBe(normalize(output))
      }
    },
    TIMEOUT,
  )
})

describe.each([false, true])('browser consumers, cross-origin isolated: %s', (isolated) => {
  beforeAll(async () => {
    expect(nodeResult, 'the Node consumer runs first and gives the reference ranking').toBeDefined()
    for (const name of ['vite', 'webpack', 'esbuild'] as const) {
      if (apps[name]) continue
      const app = await prepareApp(name, tarball)
      if (name === 'vite') {
        await addModel(app, MODELS, CALL.options.model)
        await run('npm', ['run', 'build'], { cwd: app.dir, env: NPM_ENV })
      } else if (name === 'esbuild') {
        // The README's recipe: both entries bundled, the runtime files copied beside them.
        await run(path.join(app.dir, ESBUILD_BUILD.command), ESBUILD_BUILD.args, { cwd: app.dir, env: NPM_ENV })
        for (const file of ORT_FILES) {
          await copyFile(
            path.join(app.dir, 'node_modules/onnxruntime-web/dist', file),
            path.join(app.dir, 'dist', file),
          )
        }
        await addModel(app, MODELS, CALL.options.model)
        // The no-bundler page serves the app folder itself: models at /models/ there too.
        await addModel({ ...app, publicDir: app.dir }, MODELS, CALL.options.model)
      } else {
        await run(process.execPath, ['node_modules/webpack-cli/bin/cli.js', '--mode', 'production'], {
          cwd: app.dir,
          env: NPM_ENV,
        })
        await writeWebpackPage(app)
        await addModel(app, MODELS, CALL.options.model)
      }
      apps[name] = app
    }
  }, TIMEOUT)

  const serve = async (kind: 'vite-dev' | 'vite-preview' | 'webpack' | 'esbuild' | 'importmap'): Promise<Served> => {
    if (kind === 'webpack') return serveStatic(path.join(apps.webpack!.dir, 'dist'), isolated)
    if (kind === 'esbuild') return serveStatic(path.join(apps.esbuild!.dir, 'dist'), isolated)
    if (kind === 'importmap') return serveStatic(apps.esbuild!.dir, isolated)
    return serveVite(apps.vite!, kind === 'vite-dev' ? 'dev' : 'preview', isolated)
  }

  test.each(['vite-dev', 'vite-preview', 'webpack'] as const)(
    '%s: createReranker() with no bundler config ranks like Node',
    async (kind) => {
      const server = await serve(kind)
      try {
        expectRanked(await drive(server.url), isolated)
      } finally {
        await server.close()
      }
    },
    TIMEOUT,
  )

  test.each(['esbuild', 'importmap'] as const)(
    "%s: the README's recipe (worker bundled by esbuild, runtime files copied, wasmPaths)",
    async (kind) => {
      const server = await serve(kind)
      try {
        expectRanked(await drive(kind === 'importmap' ? `${server.url}importmap.html` : server.url), isolated)
      } finally {
        await server.close()
      }
    },
    TIMEOUT,
  )

  test.each(['vite-preview', 'webpack'] as const)(
    "%s: the app's own worker (import 'webrerank/worker') passed as options.worker",
    async (kind) => {
      const server = await serve(kind)
      try {
        expectRanked(await drive(`${server.url}?worker=own`), isolated)
      } finally {
        await server.close()
      }
    },
    TIMEOUT,
  )

  test(
    'the builds emit the runtime from onnxruntime-web, and the page bundle carries no transformers.js',
    async () => {
      const builds = [
        { assets: path.join(apps.vite!.dir, 'dist/assets'), page: /^index-.*\.js$/ },
        { assets: path.join(apps.webpack!.dir, 'dist'), page: /^main\.js$/ },
      ]
      for (const { assets, page } of builds) {
        const files = await readdir(assets)
        // Both runtime builds (CPU-only and WebGPU-capable), emitted as files, not inlined.
        expect(files.filter((f) => f.endsWith('.wasm'))).toHaveLength(2)
        const pageFile = files.find((f) => page.test(f))!
        const code = await readFile(path.join(assets, pageFile), 'utf8')
        expect(code).not.toContain('AutoModelForSequenceClassification')
        expect(code).not.toContain('InferenceSession')
        expect(code.length).toBeLessThan(150_000)
      }
    },
    TIMEOUT,
  )
})

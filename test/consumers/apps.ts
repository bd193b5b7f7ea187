// Fresh consumer apps, written the way a user writes them: a Vite 8 app (the files of
// create-vite's vanilla-ts template, no vite.config) and a webpack 5 app (no webpack.config), each
// installing the packed tarball. Their node_modules are kept between runs in a cache folder
// outside the repository, keyed by the app's package.json, so CI pays for the installs once.

import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Environment of every npm command: onnxruntime-node's install script would download CUDA files. */
export const NPM_ENV = {
  ...process.env,
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
}

/** Where consumer apps live between runs (CONSUMER_APPS_DIR overrides). */
export const APPS_DIR = process.env.CONSUMER_APPS_DIR ?? path.join(tmpdir(), 'webrerank-consumer-apps')

export async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: NPM_ENV, maxBuffer: 64 << 20 })
  return stdout
}

/** The query, documents and model every consumer page reranks (the generated tiny BERT, fp32). */
export const CALL = {
  query: 'how do plants make food',
  documents: [
    'The stock market closed higher on Friday.',
    'Photosynthesis converts light energy into chemical energy stored in glucose.',
    'Plants make their food from sunlight, water and carbon dioxide.',
  ],
  options: { model: 'webrerank-test/bert-tiny', localModelPath: '/models/', allowRemoteModels: false, dtype: 'fp32' },
} as const

// The page's code: identical for every bundler. `?worker=own` takes the escape hatch: the app
// builds its own worker from a one-line module that imports 'webrerank/worker'.
const PAGE_CODE = `import { createReranker, createSearch } from 'webrerank'

const CALL = ${JSON.stringify(CALL)}
const SEARCH_LANGUAGE = 'auto'

async function main() {
  const own = new URLSearchParams(location.search).get('worker') === 'own'
  const worker = own ? new Worker(new URL('./rerank-worker.js', import.meta.url), { type: 'module' }) : undefined
  const reranker = await createReranker({ ...CALL.options, ...(worker ? { worker } : {}) })
  const response = await reranker.rerank(CALL.query, [...CALL.documents])
  // q8 too (where the page can start more workers of its own): it must score like Node's q8.
  let q8
  if (!worker) {
    const quantized = await createReranker({ ...CALL.options, dtype: 'q8' })
    q8 = await quantized.rerank(CALL.query, [...CALL.documents])
    await quantized.dispose()
  }
  // The first stage's per-language analyzers load on first use (dynamic imports the bundler splits).
  const search = createSearch({ language: SEARCH_LANGUAGE })
  await search.add(['The invoice was paid on time.', 'Die Rechnungen wurden von uns und der Firma pünktlich bezahlt.'])
  const hits = (await search.query('Rechnung', { rerank: false })).results
  const first = { index: hits[0].index, analyzer: hits[0].first_stage.analyzer }
  return { info: reranker.info, response, q8, first, crossOriginIsolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency }
}

main().then(
  (result) => Reflect.set(window, '__result', result),
  (err) => Reflect.set(window, '__result', { error: String(err && err.code) + ': ' + String(err && err.message) }),
)
`
const WORKER_CODE = `import 'webrerank/worker'\n`

const INDEX_HTML = (script: string): string =>
  `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>consumer</title>\n  </head>\n  <body>\n    <div id="app"></div>\n    <script type="module" src="${script}"></script>\n  </body>\n</html>\n`

export interface App {
  name: 'vite' | 'webpack' | 'esbuild'
  dir: string
  /** Folder served as the site root for models (Vite: public/, webpack: the build output). */
  publicDir: string
}

// esbuild does not bundle `new Worker(new URL(…))` or emit assets: the README's recipe builds
// the worker as a second entry and copies onnxruntime-web's runtime files beside it. The same
// build serves the no-bundler page, which maps the page's imports with an import map (module
// workers do not see import maps, so the worker must be bundled: WICG/import-maps#2).
const ESBUILD_PAGE = PAGE_CODE.replace(
  "const worker = own ? new Worker(new URL('./rerank-worker.js', import.meta.url), { type: 'module' }) : undefined",
  "const worker = new Worker(new URL('./rerank-worker.js', import.meta.url), { type: 'module' })",
).replace('...(worker ? { worker } : {})', "worker, wasmPaths: new URL('./', import.meta.url).href")

/** The no-bundler page: webrerank's own modules through an import map, the worker from the esbuild recipe. */
export const IMPORT_MAP_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <script type="importmap">
      {
        "imports": {
          "webrerank": "/node_modules/webrerank/dist/index.js",
          "comlink": "/node_modules/comlink/dist/esm/comlink.mjs",
          "minisearch": "/node_modules/minisearch/dist/es/index.js",
          "stemmer": "/node_modules/stemmer/index.js",
          "@orama/stemmers/german": "/node_modules/@orama/stemmers/dist/de.js",
          "@orama/stopwords/german": "/node_modules/@orama/stopwords/dist/de.js"
        }
      }
    </script>
  </head>
  <body>
    <script type="module">
${PAGE_CODE.replace(
  "const worker = own ? new Worker(new URL('./rerank-worker.js', import.meta.url), { type: 'module' }) : undefined",
  "const worker = new Worker('/dist/rerank-worker.js', { type: 'module' })",
)
  .replace('...(worker ? { worker } : {})', "worker, wasmPaths: '/dist/'")
  .replace("const SEARCH_LANGUAGE = 'auto'", "const SEARCH_LANGUAGE = 'de'")}
    </script>
  </body>
</html>
`

/** The commands of the README's esbuild recipe, run in the app folder. */
export const ESBUILD_BUILD = {
  command: 'node_modules/.bin/esbuild',
  args: ['src/main.js', 'src/rerank-worker.js', '--bundle', '--format=esm', '--outdir=dist'],
}
/** onnxruntime-web's runtime files the esbuild recipe copies (both builds: CPU-only and WebGPU-capable). */
export const ORT_FILES = [
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
]

const APPS: Record<App['name'], { packageJson: object; files: Record<string, string>; publicDir: string }> = {
  vite: {
    // create-vite's vanilla-ts template: package.json scripts, index.html, src/main.ts, tsconfig.
    packageJson: {
      name: 'vite-consumer',
      private: true,
      type: 'module',
      scripts: { dev: 'vite', build: 'tsc && vite build', preview: 'vite preview' },
      devDependencies: { typescript: '~5.9.3', vite: '^8.3.8' },
    },
    files: {
      'index.html': INDEX_HTML('/src/main.ts'),
      'src/main.ts': PAGE_CODE.replace('async function main() {', 'async function main(): Promise<unknown> {')
        .replace('(err) =>', '(err: { code?: string; message?: string } | undefined) =>')
        .replace(/^(const CALL = .*)$/m, '$1 as const'),
      'src/rerank-worker.ts': WORKER_CODE,
      'tsconfig.json': JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'ESNext',
            lib: ['ES2022', 'DOM', 'DOM.Iterable'],
            types: ['vite/client'],
            skipLibCheck: true,
            moduleResolution: 'bundler',
            allowImportingTsExtensions: true,
            verbatimModuleSyntax: true,
            noEmit: true,
            strict: true,
          },
          include: ['src'],
        },
        null,
        2,
      ),
    },
    publicDir: 'public',
  },
  webpack: {
    packageJson: {
      name: 'webpack-consumer',
      private: true,
      scripts: { build: 'webpack --mode production' },
      devDependencies: { webpack: '^5.100.0', 'webpack-cli': '^6.0.1' },
    },
    // webpack's zero-config entry is src/index.js, its output dist/main.js; the page is ours.
    files: { 'src/index.js': PAGE_CODE, 'src/rerank-worker.js': WORKER_CODE },
    publicDir: 'dist',
  },
  esbuild: {
    packageJson: { name: 'esbuild-consumer', private: true, type: 'module', devDependencies: { esbuild: '^0.28.0' } },
    files: {
      'src/main.js': ESBUILD_PAGE,
      'src/rerank-worker.js': WORKER_CODE,
      'dist/index.html': INDEX_HTML('./main.js'),
      'importmap.html': IMPORT_MAP_PAGE,
    },
    publicDir: 'dist',
  },
}

/**
 * Writes the app (fresh files every run), installs its bundler once per package.json, and
 * installs the tarball. Returns where it is.
 */
export async function prepareApp(name: App['name'], tarball: string): Promise<App> {
  const spec = APPS[name]
  const key = createHash('sha256').update(JSON.stringify(spec.packageJson)).digest('hex').slice(0, 12)
  const dir = path.join(APPS_DIR, `${name}-${key}`)
  await mkdir(dir, { recursive: true })
  for (const entry of await readdir(dir))
    if (entry !== 'node_modules' && entry !== 'package-lock.json')
      await rm(path.join(dir, entry), { recursive: true, force: true })
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(spec.packageJson, null, 2))
  for (const [file, text] of Object.entries(spec.files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), text)
  }
  if (!existsSync(path.join(dir, 'node_modules', name === 'vite' ? 'vite' : 'webpack')))
    await npm(['install', '--prefer-offline'], dir)
  await npm(['install', '--prefer-offline', '--no-save', tarball], dir)
  // Vite keeps pre-bundled dependencies between runs; a new tarball must not meet an old copy.
  await rm(path.join(dir, 'node_modules/.vite'), { recursive: true, force: true })
  return { name, dir, publicDir: path.join(dir, spec.publicDir) }
}

/** Copies a generated test model under `<publicDir>/models/<model>` (models are served, not bundled). */
export async function addModel(app: App, modelsRoot: string, model: string): Promise<void> {
  await cp(path.join(modelsRoot, model), path.join(app.publicDir, 'models', model), { recursive: true })
}

/** The webpack app's page: webpack with no config emits dist/main.js and no HTML. */
export async function writeWebpackPage(app: App): Promise<void> {
  await writeFile(path.join(app.dir, 'dist/index.html'), INDEX_HTML('./main.js'))
}

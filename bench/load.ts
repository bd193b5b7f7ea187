// `npm run bench -- --load [--before <checkout>] [--load-runs 3]`: where the time goes between
// createReranker() and the first answer, on the shared benchmark model at q8, in Chromium (WASM,
// 2 threads, devices 'wasm' and 'auto') with an empty and with a warm browser profile, and in
// Node (onnxruntime-node, a fresh process per run). With --before, the same page flow on another
// checkout of webrerank (e.g. `git worktree add /tmp/wr-before c40d526`), served by its own Vite
// server. Prints the tables and writes them into docs/benchmarks.md as its "Load time" section.

import { withSection } from './sections.js'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright'
import { createServer, type Plugin } from 'vite'
import { CHROMIUM_ARGS, CHROMIUM_PATH, ISOLATION_HEADERS } from '../test/support/chromium.js'
import { modelServer, REPO_ROOT } from '../test/support/model-server.js'
import type { LoadBenchApi, PageLoadResult } from './load-page.js'
import type { NodeLoadResult } from './load-node.js'
import type { WorkerMark } from './load-shared.js'
import { percentile } from './stats.js'

const MODEL = 'fixtures/ms-marco-MiniLM-L-6-v2-random'
const SHARED = path.resolve(REPO_ROOT, '../shared')
const THREADS = 2
const LOAD_SECTION = '## Load time'

/** The first call: one short query and 8 short documents. */
const QUERY = 'how do plants make food'
const DOCUMENTS = [
  'Plants make their food by photosynthesis, using sunlight, water and carbon dioxide.',
  'The Eiffel Tower is in Paris.',
  'Chlorophyll in leaves absorbs light energy.',
  'Bread is made from flour, water and yeast.',
  'Roots take up water and minerals from the soil.',
  'A car engine burns fuel to move the pistons.',
  'Glucose made in the leaves is stored as starch.',
  'The stock market fell sharply on Monday.',
]

export interface LoadBenchOptions {
  /** A checkout of the previous code to measure the same way (its `src/` is served instead of ours). */
  before?: string
  runs: number
  /** How long a cached-profile run keeps the page open after its first call (Chromium writes its WASM code cache then). */
  keepOpenMs: number
  out: string
  command: string
}

type Code = 'after' | 'before'
type Device = 'wasm' | 'auto'
type CacheState = 'empty' | 'cached'

/** One run's phases, in ms. `null`: not measured in this environment (see the notes under the tables). */
interface Phases {
  workerMs: number | null
  adapterMs: number | null
  tokenizerMs: number | null
  modelFileMs: number | null
  runtimeMs: number | null
  sessionMs: number | null
  loadMs: number
  readyMs: number
  firstCallMs: number
  /** Bytes of the model file that came over HTTP (Resource Timing transferSize, all its requests). */
  modelFetchedBytes: number | null
}

interface RuntimeFigures {
  /** Bytes in the profile's WASM code cache (Default/Code Cache/wasm) when the run started. */
  codeCacheBytes: number
  file: string
  bytes: number
  source: string
  fetchMs: number | null
  compileMs: number | null
  how: string
}

interface Scenario {
  code: Code
  env: string
  device: string
  cache: CacheState | 'n/a'
  /** Whether createReranker got an onProgress callback. */
  withProgress: boolean
  /** Cached profile with its WASM code cache deleted before each run (everything else kept). */
  dropCodeCache: boolean
  runs: Phases[]
  runtime: RuntimeFigures[]
  /** The reranker's own loadPhases (current code only). */
  loadPhases: { adapterMs: number; tokenizerMs: number; modelMs: number }[]
  info: Record<string, unknown>
}

// ── Chromium ─────────────────────────────────────────────────────────────────────────────────

/** Serves bench/load-page.html; with `sourceDir`, every `../src/` import of bench/ comes from that checkout. */
async function startServer(sourceDir: string | undefined): Promise<{ url: string; close: () => Promise<void> }> {
  const plugins: Plugin[] = [modelServer()]
  if (sourceDir) plugins.push(sourceFrom(sourceDir))
  const server = await createServer({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'error',
    // Each code's pre-bundled dependencies apart from the other's and from the tests'.
    cacheDir: path.join(REPO_ROOT, 'node_modules/.vite', sourceDir ? 'load-bench-before' : 'load-bench'),
    plugins,
    server: {
      port: 0,
      headers: { ...ISOLATION_HEADERS },
      hmr: false,
      watch: null,
      fs: { allow: [REPO_ROOT, ...(sourceDir ? [sourceDir] : [])] },
    },
    optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'], include: ['comlink'] },
    worker: { format: 'es' },
  })
  await server.listen()
  const address = server.httpServer!.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://localhost:${port}/bench/load-page.html`, close: () => server.close() }
}

function sourceFrom(dir: string): Plugin {
  const bench = path.join(REPO_ROOT, 'bench') + path.sep
  return {
    name: 'webrerank-load-bench-source',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer?.startsWith(bench) || !source.startsWith('../src/')) return null
      return this.resolve(path.join(dir, 'src', source.slice('../src/'.length)), importer, {
        ...options,
        skipSelf: true,
      })
    },
  }
}

/** One load in a Chromium on the profile `userDataDir`: launch, open the page, createReranker, first call. */
async function chromiumRun(
  url: string,
  userDataDir: string,
  device: Device,
  code: Code,
  keepOpenMs: number,
  withProgress = false,
): Promise<PageLoadResult> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (e) => {
      console.error('page error:', e.message)
    })
    await page.goto(url)
    await page.waitForFunction(() => 'loadBench' in globalThis)
    const options = {
      model: MODEL,
      localModelPath: '/shared-models/',
      allowRemoteModels: false,
      device,
      dtype: 'q8',
      threads: THREADS,
    } as const
    const result = await page.evaluate(
      ([o, q, d, how, p]) => (globalThis as unknown as { loadBench: LoadBenchApi }).loadBench.load(o, q, d, how, p),
      [options, QUERY, DOCUMENTS, code === 'after' ? 'option' : 'constructor', withProgress] as const,
    )
    if (!result.crossOriginIsolated)
      throw new Error('the page is not cross-origin isolated: WASM would run on 1 thread')
    if (keepOpenMs > 0) await page.waitForTimeout(keepOpenMs)
    return result
  } finally {
    await context.close()
  }
}

/** Bytes under `dir` (0 when it does not exist). */
async function duBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  let total = 0
  for (const e of entries) if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size
  return total
}

/** Chromium's WASM code cache in a profile: compiled code it keeps for modules compiled by streaming. */
const WASM_CODE_CACHE = 'Default/Code Cache/wasm'
const wasmCodeCacheBytes = (profile: string): Promise<number> => duBytes(path.join(profile, WASM_CODE_CACHE))

async function withProfile<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'webrerank-load-'))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const isModelFile = (url: string | undefined): boolean => /\/onnx\/[^/]+\.onnx$/.test(url ?? '')
const isWasm = (url: string | undefined): boolean => /\.wasm(\?|$)/.test(url ?? '')
const first = (marks: WorkerMark[], kind: WorkerMark['kind']): WorkerMark | undefined =>
  marks.find((m) => m.kind === kind)

/**
 * The run's timeline, cut where one phase hands over to the next (all on one clock):
 * call → worker answers (module loaded, load call received) → first config/tokenizer file →
 * model file → its `done` event → runtime compiled and instantiated → load reply → page ready.
 */
function phasesOf(r: PageLoadResult, codeCacheBytes = 0): { phases: Phases; runtime: RuntimeFigures | null } {
  const marks = r.worker?.marks ?? []
  const ready = first(marks, 'worker-ready')
  const messageIn = marks.find((m) => m.kind === 'message-in' && m.detail === 'load')
  const loadStart = ready && messageIn ? Math.max(ready.end, messageIn.start) : NaN
  const adapter = marks.filter((m) => m.kind === 'gpu-requestAdapter')
  const adapterMs = adapter.length ? adapter.reduce((a, m) => a + m.end - m.start, 0) : null
  const modelStart = marks.find((m) => (m.kind === 'fetch' || m.kind === 'cache-match') && isModelFile(m.url))
  // The model file is in memory when its body has been read and, on a first load, written to the
  // Cache API (with onProgress: at its `done` event, which follows both).
  const modelEnds = [
    ...marks
      .filter((m) => (m.kind === 'response-arrayBuffer' || m.kind === 'cache-put') && isModelFile(m.url))
      .map((m) => m.end),
    ...r.progress.filter((p) => p.status === 'done' && /^onnx\/.+\.onnx$/.test(p.file ?? '')).map((p) => p.at),
  ]
  const modelDone = modelEnds.length ? { at: Math.max(...modelEnds) } : undefined
  const compiled = marks.find(
    (m) =>
      (m.kind.startsWith('wasm-instantiate') || m.kind.startsWith('wasm-compile')) &&
      m.error === undefined &&
      modelStart &&
      m.start > modelStart.start,
  )
  const reply = marks.find((m) => m.kind === 'message-out' && m.detail === 'load-result')
  const span = (a: number | undefined, b: number | undefined): number | null =>
    a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) ? null : b - a
  // The old code checks the adapter after the tokenizer, the current one before: either way it
  // lies between the load call and the model file, and is taken out of config + tokenizer.
  const beforeModel = span(loadStart, modelStart?.start)
  const phases: Phases = {
    workerMs: span(r.called, loadStart),
    adapterMs,
    tokenizerMs: beforeModel === null ? null : beforeModel - (adapterMs ?? 0),
    modelFileMs: span(modelStart?.start, modelDone?.at),
    runtimeMs: span(modelDone?.at, compiled?.end),
    sessionMs: span(compiled?.end, reply?.start),
    loadMs: r.info.loadMs as number,
    readyMs: r.ready - r.called,
    firstCallMs: r.firstCallEnd - r.firstCallStart,
    modelFetchedBytes: (r.worker?.resources ?? [])
      .filter((e) => isModelFile(e.name))
      .reduce((a, e) => a + e.transferSize, 0),
  }
  const negative = PHASES.filter(([key]) => (phases[key] ?? 0) < 0).map(([, name]) => name)
  if (negative.length)
    console.warn(`  phases out of order (${negative.join(', ')}): the worker's records do not match this flow`)
  return { phases, runtime: runtimeOf(r, compiled, codeCacheBytes) }
}

function runtimeOf(r: PageLoadResult, compiled: WorkerMark | undefined, codeCacheBytes: number): RuntimeFigures | null {
  const resource = (r.worker?.resources ?? []).find((e) => isWasm(e.name))
  const cacheHit = (r.worker?.marks ?? []).find((m) => m.kind === 'cache-match' && isWasm(m.url) && m.hit)
  if (!resource && !cacheHit) return null
  const file = path.basename(new URL((resource?.name ?? cacheHit?.url)!).pathname)
  let source: string
  if (cacheHit) source = 'Cache API (transformers-cache)'
  else if (resource!.transferSize === 0) source = 'HTTP cache'
  else if (resource!.transferSize < resource!.encodedBodySize) source = 'HTTP cache after 304'
  else source = 'network'
  return {
    codeCacheBytes,
    file,
    bytes: compiled?.bytes ?? resource?.decodedBodySize ?? 0,
    source,
    fetchMs: cacheHit ? null : resource!.end - resource!.start,
    compileMs: compiled ? compiled.end - compiled.start : null,
    how: compiled ? compiled.kind.replace('wasm-', 'WebAssembly.') + (compiled.bytes ? '(bytes)' : '') : 'not seen',
  }
}

/**
 * Every Chromium scenario of every code, each code on its own Vite server. Runs alternate between
 * codes, devices and variants run by run, so a slow spell of the machine hits them alike.
 */
async function chromiumScenarios(
  codes: { code: Code; sourceDir: string | undefined }[],
  options: LoadBenchOptions,
): Promise<Scenario[]> {
  const servers = new Map<Code, { url: string; close: () => Promise<void> }>()
  const profiles: string[] = []
  const record = (scenario: Scenario, r: PageLoadResult, runName: string, codeCacheBytes = 0): void => {
    const { phases, runtime } = phasesOf(r, codeCacheBytes)
    scenario.runs.push(phases)
    if (runtime) scenario.runtime.push(runtime)
    const loadPhases = r.info.loadPhases as Scenario['loadPhases'][number] | undefined
    if (loadPhases) scenario.loadPhases.push(loadPhases)
    scenario.info = r.info
    console.log(
      `  ${label(scenario)} ${runName}: ready ${phases.readyMs.toFixed(0)} ms (loadMs ${phases.loadMs}), first call ${phases.firstCallMs.toFixed(0)} ms, runtime ${runtime ? `${runtime.file} from ${runtime.source}` : 'not seen'}${scenario.cache === 'cached' ? `, ${(codeCacheBytes / 1e6).toFixed(1)} MB WASM code cache at start` : ''}`,
    )
  }
  const run = (dir: string, s: Scenario): Promise<PageLoadResult> =>
    chromiumRun(
      servers.get(s.code)!.url,
      dir,
      s.device as Device,
      s.code,
      s.cache === 'cached' ? options.keepOpenMs : 0,
      s.withProgress,
    )
  const empty: Scenario[] = []
  const cached: { scenario: Scenario; profile: string }[] = []
  try {
    for (const { code, sourceDir } of codes) {
      const server = await startServer(sourceDir)
      servers.set(code, server)
      // Untimed: Vite transforms every module and pre-bundles its dependencies on the first visit.
      await withProfile((dir) => chromiumRun(server.url, dir, 'wasm', code, 0))
      const scenarioOf = (
        device: Device,
        cache: CacheState,
        withProgress: boolean,
        dropCodeCache = false,
      ): Scenario => ({
        code,
        env: 'Chromium',
        device,
        cache,
        withProgress,
        dropCodeCache,
        runs: [],
        runtime: [],
        loadPhases: [],
        info: {},
      })
      empty.push(scenarioOf('wasm', 'empty', false), scenarioOf('auto', 'empty', false))
      // The current code with onProgress too: transformers.js then loads differently (see load-page.ts).
      if (code === 'after') empty.push(scenarioOf('wasm', 'empty', true))
      // The current code also without its WASM code cache: how much of the cached load that cache is.
      const cachedKinds = [
        ['wasm', false],
        ['auto', false],
        ...(code === 'after' ? [['wasm', true] as const] : []),
      ] as const
      for (const [device, dropCodeCache] of cachedKinds) {
        const profile = await mkdtemp(path.join(os.tmpdir(), 'webrerank-load-'))
        profiles.push(profile)
        cached.push({ scenario: scenarioOf(device, 'cached', false, dropCodeCache), profile })
      }
    }
    for (let i = 0; i < options.runs; i++) {
      for (const s of empty) record(s, await withProfile((dir) => run(dir, s)), `run ${i + 1}`)
    }
    for (const { scenario, profile } of cached) {
      const warm = phasesOf(await run(profile, scenario)).phases
      console.log(`  ${label(scenario)}: warming run, ready ${warm.readyMs.toFixed(0)} ms (not counted)`)
    }
    for (let i = 0; i < options.runs; i++) {
      for (const { scenario, profile } of cached) {
        if (scenario.dropCodeCache) await rm(path.join(profile, WASM_CODE_CACHE), { recursive: true, force: true })
        const codeCache = await wasmCodeCacheBytes(profile)
        record(scenario, await run(profile, scenario), `run ${i + 1}`, codeCache)
      }
    }
  } finally {
    await Promise.all(profiles.map((dir) => rm(dir, { recursive: true, force: true })))
    for (const server of servers.values()) await server.close()
  }
  const order = (s: Scenario): number => (s.cache === 'empty' ? 0 : 2) + (s.code === 'after' ? 0 : 1)
  return [...empty, ...cached.map((c) => c.scenario)].sort((a, b) => order(a) - order(b))
}

// ── Node ─────────────────────────────────────────────────────────────────────────────────────

function nodeRun(): Promise<NodeLoadResult> {
  const args = JSON.stringify({
    model: MODEL,
    localModelPath: path.join(SHARED, 'models') + '/',
    dtype: 'q8',
    threads: THREADS,
    query: QUERY,
    documents: DOCUMENTS,
  })
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench/load-node.ts'), args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (status) => {
      const line = out.trim().split('\n').at(-1) ?? ''
      if (status !== 0 || !line.startsWith('{')) reject(new Error(`bench/load-node.ts exited with ${status}: ${out}`))
      else resolve(JSON.parse(line) as NodeLoadResult)
    })
  })
}

async function nodeScenario(runs: number): Promise<Scenario> {
  const scenario: Scenario = {
    code: 'after',
    env: 'Node (onnxruntime-node, fresh process)',
    device: 'cpu',
    cache: 'n/a',
    withProgress: false,
    dropCodeCache: false,
    runs: [],
    runtime: [],
    loadPhases: [],
    info: {},
  }
  for (let i = 0; i < runs; i++) {
    const r = await nodeRun()
    const loadPhases = r.info.loadPhases as Scenario['loadPhases'][number]
    scenario.loadPhases.push(loadPhases)
    scenario.info = r.info
    scenario.runs.push({
      workerMs: r.importMs,
      adapterMs: null,
      tokenizerMs: loadPhases.tokenizerMs,
      modelFileMs: null,
      runtimeMs: null,
      sessionMs: loadPhases.modelMs,
      loadMs: r.info.loadMs as number,
      readyMs: r.readyMs,
      firstCallMs: r.firstCallMs,
      modelFetchedBytes: null,
    })
    console.log(
      `  node run ${i + 1}: import ${r.importMs.toFixed(0)} ms, ready ${r.readyMs.toFixed(0)} ms (loadMs ${r.info.loadMs as number}), first call ${r.firstCallMs.toFixed(0)} ms`,
    )
  }
  return scenario
}

// ── Report ───────────────────────────────────────────────────────────────────────────────────

const median = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null)
  return known.length === values.length && known.length > 0 ? percentile(known, 50) : null
}
const ms = (v: number | null): string => (v === null ? '–' : Math.round(v).toLocaleString('en-US'))
const secs = (v: number | null): string => (v === null ? '–' : `${(v / 1000).toFixed(2)} s`)
const sum = (values: (number | null)[]): number => values.reduce<number>((a, v) => a + (v ?? 0), 0)

const PHASES: [keyof Phases, string][] = [
  ['workerMs', 'worker module load'],
  ['adapterMs', 'WebGPU adapter check'],
  ['tokenizerMs', 'config + tokenizer'],
  ['modelFileMs', 'model file'],
  ['runtimeMs', 'runtime fetch + compile'],
  ['sessionMs', 'OrtInit + session'],
]

function label(s: Scenario): string {
  if (s.env !== 'Chromium') return `${s.code}, ${s.env}`
  const cache = s.cache === 'empty' ? 'empty cache' : 'cached profile'
  return `${s.code}, Chromium ${cache}, ${s.device}${s.withProgress ? ', with onProgress' : ''}${s.dropCodeCache ? ', its WASM code cache deleted' : ''}`
}

/** A scenario without the extra variations (onProgress, code cache deleted). */
const plain = (s: Scenario): boolean => !s.withProgress && !s.dropCodeCache

function medianPhases(s: Scenario): Record<keyof Phases, number | null> {
  const out = {} as Record<keyof Phases, number | null>
  for (const key of Object.keys(s.runs[0]!) as (keyof Phases)[]) out[key] = median(s.runs.map((r) => r[key]))
  return out
}

interface LoadMeta {
  date: string
  machine: string
  /** What was measured as "after": a commit, and whether src/ had uncommitted changes. */
  afterCode: string
  beforeCommit: string | null
  /** 1-minute load average when the run started and when it ended (other processes share the 2 cores). */
  loadAverage: [number, number]
  seconds: number
}

function renderLoadSection(
  scenarios: Scenario[],
  options: Pick<LoadBenchOptions, 'runs' | 'keepOpenMs' | 'command'>,
  meta: LoadMeta,
): string {
  const lines: string[] = [
    LOAD_SECTION,
    '',
    `Generated by \`${options.command}\` on ${meta.date} (${Math.round(meta.seconds)} s; 1-minute load average ${meta.loadAverage[0].toFixed(1)} at the start, ${meta.loadAverage[1].toFixed(1)} at the end). Machine: ${meta.machine}. *after*: ${meta.afterCode}.` +
      (meta.beforeCommit ? ` *before*: commit ${meta.beforeCommit}, the same page flow on its own Vite server.` : ''),
    `Model: ${MODEL}, q8 (23 MB), from \`../shared/models/\` with \`allowRemoteModels: false\`. Chromium: WASM with ${THREADS} threads (page served with COOP/COEP), page and modules served by Vite's dev server (already warmed by one untimed visit), no onProgress unless the row says so. ${options.runs === 1 ? 'One run each' : `Medians of ${options.runs} runs each`}. *Empty cache*: a fresh profile (new persistent context on a new user-data-dir) per run; Chromium's own first-start work on a new profile shares the 2 cores with the load. *Cached profile*: one profile reused, warmed by one uncounted run; every run keeps its page open ${(options.keepOpenMs / 1000).toFixed(0)} s after the first call (Chromium writes its WASM code cache only then). *Node*: \`src/node.ts\` createReranker in a fresh \`node\` process per run.`,
    '',
    `| run | ${PHASES.map(([, name]) => name).join(' | ')} | sum of phases | info.loadMs | call → ready | first call (8 docs) | call → ready, each run |`,
    `| --- | ${PHASES.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | --- |`,
  ]
  for (const s of scenarios) {
    const m = medianPhases(s)
    lines.push(
      `| ${label(s)} | ${PHASES.map(([key]) => ms(m[key])).join(' | ')} | ${ms(sum(PHASES.map(([key]) => m[key])))} | ${ms(m.loadMs)} | ${ms(m.readyMs)} | ${ms(m.firstCallMs)} | ${s.runs.map((r) => ms(r.readyMs)).join(', ')} |`,
    )
  }
  lines.push(
    '',
    "All figures in ms, cut on one clock where each step hands over to the next: in each run the phases add up to call → ready, less the reply's trip back to the page (the table gives each column's median). " +
      '*Worker module load*: the createReranker call (before the Worker is constructed) → the worker has run its module (Vite serves it as separate modules) and received the load call (after any start-up handshake the code makes: the current code pings the worker first). ' +
      '*WebGPU adapter check*: `navigator.gpu.requestAdapter()` in the worker (the old code checks after the tokenizer; it is taken out of config + tokenizer either way). ' +
      '*Config + tokenizer*: the rest until the model file is first asked for. ' +
      '*Model file*: first Cache API lookup or fetch of `onnx/model_quantized.onnx` → its bytes read and, on an empty cache, written to the Cache API. ' +
      "*Runtime fetch + compile*: → onnxruntime's WebAssembly module compiled and instantiated: its `.mjs` glue, the `.wasm` fetch or Cache API read, and the WebAssembly call. " +
      '*OrtInit + session*: instantiated → the worker posts the load result. It holds the thread pool start, OrtInit and the session creation, which cannot be told apart from outside onnxruntime, and the compiling of the WebAssembly functions they run: V8 compiles them lazily, on first use, so that work lands here and in the first call rather than in the WebAssembly call (the row with the WASM code cache deleted shows what that cache saves). ' +
      '*Call → ready*: the page’s createReranker call → its promise resolved. *First call*: `rerank()` of one query and 8 short documents, right after. ' +
      'Node: *worker module load* is the import of `src/node.ts` (transformers.js, onnxruntime-node, tsx transpiling); onnxruntime-node reads the model file itself, so model file, runtime and session are one figure there (`info.loadPhases.modelMs`, shown under OrtInit + session), and there is no WASM runtime.',
  )
  const runtimeRows = scenarios.filter((s) => s.runtime.length)
  if (runtimeRows.length) {
    lines.push(
      '',
      '### The onnxruntime WebAssembly runtime',
      '',
      '| run | file | MB | read from | fetch (Resource Timing) | WebAssembly call | call → resolved | WASM code cache in the profile at start | model file over HTTP |',
      '| --- | --- | ---: | --- | ---: | --- | ---: | ---: | ---: |',
    )
    for (const s of runtimeRows) {
      const r = s.runtime[0]!
      const sources = [...new Set(s.runtime.map((x) => x.source))].join(' / ')
      const codeCache =
        s.cache === 'cached' ? `${(median(s.runtime.map((x) => x.codeCacheBytes))! / 1e6).toFixed(1)} MB` : '–'
      lines.push(
        `| ${label(s)} | ${r.file} | ${(r.bytes / 1e6).toFixed(1)} | ${sources} | ${ms(median(s.runtime.map((x) => x.fetchMs)))} | ${r.how} | ${ms(median(s.runtime.map((x) => x.compileMs)))} | ${codeCache} | ${(median(s.runs.map((x) => x.modelFetchedBytes))! / 1e6).toFixed(1)} MB |`,
      )
    }
    lines.push(
      '',
      "*Fetch*: the `.wasm` Resource Timing entry in the worker, start → response end (– when read from the Cache API; Vite answers `Cache-Control: no-cache`, so a cached profile revalidates it with a 304). *Call → resolved*: `instantiateStreaming` runs while the bytes arrive, so it includes the fetch; `instantiate(bytes)` starts once they are all in memory. *WASM code cache*: the size of `Default/Code Cache/wasm` in the profile before the run; only modules compiled by streaming from an HTTP response can use it. *Model file over HTTP*: the transfer size of every request for `model_quantized.onnx` (23.3 MB) in the worker's Resource Timing: with onProgress, transformers.js 4.3.1 first reads the size of a file under localModelPath from a plain GET (no Range header) whose body it does not cancel, so the whole file crosses twice on an empty cache.",
    )
  }
  const withLoadPhases = scenarios.filter((s) => s.loadPhases.length)
  if (withLoadPhases.length) {
    lines.push(
      '',
      "### The reranker's own `info.loadPhases` (current code)",
      '',
      '| run | adapterMs | tokenizerMs | modelMs | loadMs |',
      '| --- | ---: | ---: | ---: | ---: |',
    )
    for (const s of withLoadPhases) {
      lines.push(
        `| ${label(s)} | ${ms(median(s.loadPhases.map((p) => p.adapterMs)))} | ${ms(median(s.loadPhases.map((p) => p.tokenizerMs)))} | ${ms(median(s.loadPhases.map((p) => p.modelMs)))} | ${ms(median(s.runs.map((r) => r.loadMs)))} |`,
      )
    }
  }
  lines.push(...autoCheck(scenarios), ...beforeAfter(scenarios, options.command), '')
  return lines.join('\n')
}

/** device 'auto' with no WebGPU adapter: what it costs over 'wasm' (target ≤ 0.1 s). */
function autoCheck(scenarios: Scenario[]): string[] {
  const lines: string[] = []
  for (const code of ['after', 'before'] as const) {
    for (const cache of ['empty', 'cached'] as const) {
      const find = (device: Device): Scenario | undefined =>
        scenarios.find(
          (s) => s.code === code && s.env === 'Chromium' && s.cache === cache && s.device === device && plain(s),
        )
      const wasm = find('wasm')
      const auto = find('auto')
      if (!wasm || !auto) continue
      const diff = (key: 'readyMs' | 'loadMs'): string => {
        const d = median(auto.runs.map((r) => r[key]))! - median(wasm.runs.map((r) => r[key]))!
        return `${d >= 0 ? '+' : '−'}${secs(Math.abs(d))}`
      }
      const adapter = median(auto.runs.map((r) => r.adapterMs))
      const eachRun = auto.runs.map((r) => ms(r.adapterMs)).join(', ')
      const reason = typeof auto.info.fallbackReason === 'string' ? auto.info.fallbackReason : '–'
      const runtimes = (s: Scenario): string => [...new Set(s.runtime.map((r) => r.file))].join(', ')
      lines.push(
        `| ${code}, ${cache === 'empty' ? 'empty cache' : 'cached profile'} | ${auto.info.device as string}, ${runtimes(auto)} | ${runtimes(wasm)} | ${secs(adapter)} (${eachRun} ms) | ${adapter !== null && adapter <= 100 ? 'yes' : 'no'} | ${diff('readyMs')} | ${diff('loadMs')} | ${reason} |`,
      )
    }
  }
  if (!lines.length) return []
  return [
    '',
    "### device 'auto' without a WebGPU adapter",
    '',
    "| code, cache | 'auto' ran on | 'wasm' ran on | adapter check: median (each run) | adapter check ≤ 0.1 s | call → ready, auto − wasm | info.loadMs, auto − wasm | fallbackReason |",
    '| --- | --- | --- | ---: | --- | ---: | ---: | --- |',
    ...lines,
    '',
    "Without an adapter, the adapter check is the one step 'auto' adds in the current code (both devices then load the same CPU-only runtime). The auto − wasm differences compare medians of separate runs, so they carry the run-to-run spread shown in the first table (each run's call → ready).",
  ]
}

function beforeAfter(scenarios: Scenario[], command: string): string[] {
  const rows: string[] = []
  for (const cache of ['empty', 'cached'] as const) {
    for (const device of ['wasm', 'auto'] as const) {
      const find = (code: Code): Scenario | undefined =>
        scenarios.find(
          (s) => s.code === code && s.env === 'Chromium' && s.device === device && s.cache === cache && plain(s),
        )
      const before = find('before')
      const after = find('after')
      if (!before || !after) continue
      const b = medianPhases(before)
      const a = medianPhases(after)
      const cell = (key: keyof Phases): string => {
        const change =
          a[key] !== null && b[key] !== null
            ? ` (${a[key] <= b[key] ? '−' : '+'}${Math.abs((a[key] / b[key] - 1) * 100).toFixed(0)}%)`
            : ''
        return `${ms(b[key])} → ${ms(a[key])}${change}`
      }
      rows.push(
        `| Chromium ${cache === 'empty' ? 'empty cache' : 'cached profile'}, ${device} | ${cell('readyMs')} | ${cell('loadMs')} | ${cell('runtimeMs')} | ${cell('sessionMs')} | ${cell('firstCallMs')} |`,
      )
    }
  }
  if (!rows.length) return []
  const batch = (code: Code): string => {
    const info = scenarios.find((s) => s.code === code && s.env === 'Chromium')?.info
    const n = info?.maxBatchSize
    return typeof n === 'number' ? `≤ ${n} pair${n === 1 ? '' : 's'}` : 'unknown'
  }
  return [
    '',
    '### Before / after (medians, ms, before → after)',
    '',
    '| scenario | call → ready | info.loadMs | runtime fetch + compile | OrtInit + session | first call |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Both sides come from the same run of \`${command}\`. The first call uses each code's own micro-batches (\`info.maxBatchSize\`: before ${batch('before')}, after ${batch('after')}).`,
  ]
}

/** Replaces the "Load time" section of `markdown` (up to the next `## ` heading) or appends it. */
/** A command's stdout, or null when it fails. */
async function output(command: string, args: string[], cwd = REPO_ROOT): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('close', (status) => {
      resolve(status === 0 ? out.trim() : null)
    })
  })
}

export async function runLoadBench(options: LoadBenchOptions): Promise<void> {
  const started = performance.now()
  const loadAtStart = os.loadavg()[0]!
  if (loadAtStart > 1) {
    console.warn(
      `load average ${loadAtStart.toFixed(1)}: other processes are busy on this machine; the figures will show it`,
    )
  }
  if (options.before && !existsSync(path.join(options.before, 'src/index.ts'))) {
    throw new Error(`--before ${options.before}: no src/index.ts there (git worktree add ${options.before} <commit>)`)
  }
  const head = await output('git', ['rev-parse', '--short', 'HEAD'])
  const dirty = await output('git', ['status', '--porcelain', '--', 'src'])
  const browserVersion = /\d+\.\d+\.\d+\.\d+/.exec((await output(CHROMIUM_PATH, ['--version'])) ?? '')?.[0] ?? '?'
  const afterCode = `the working tree at ${head ?? 'an unknown commit'}${dirty ? ' with uncommitted changes in src/' : ''}`
  const beforeCommit = options.before ? await output('git', ['rev-parse', '--short', 'HEAD'], options.before) : null

  console.log(
    `load: Chromium, current code (${afterCode})${options.before ? ` and ${options.before} (${beforeCommit ?? '?'})` : ''}`,
  )
  const scenarios = await chromiumScenarios(
    [
      { code: 'after', sourceDir: undefined },
      ...(options.before ? [{ code: 'before' as const, sourceDir: path.resolve(options.before) }] : []),
    ],
    options,
  )
  console.log('load: Node')
  scenarios.push(await nodeScenario(options.runs))

  const section = renderLoadSection(scenarios, options, {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium ${browserVersion}; Node ${process.versions.node}`,
    afterCode,
    beforeCommit,
    loadAverage: [loadAtStart, os.loadavg()[0]!],
    seconds: (performance.now() - started) / 1000,
  })
  console.log(`\n${section}`)
  const file = path.join(options.out, 'benchmarks.md')
  const markdown = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmarks\n'
  await writeFile(file, withSection(markdown, LOAD_SECTION, section))
  console.log(`wrote the "Load time" section of ${file} (${((performance.now() - started) / 1000).toFixed(0)} s)`)
}

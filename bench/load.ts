// `npm run bench -- --load [--before <checkout>] [--load-runs 3]`: where the time goes between
// createReranker() and the first answer, on the shared benchmark model at q8, in Chromium (WASM,
// 2 threads, devices 'wasm' and 'auto') with an empty and with a warm browser profile, and in
// Node (onnxruntime-node, a fresh process per run). With --before, the same page flow on another
// checkout of webrerank (e.g. `git worktree add /tmp/wr-before c40d526`), served by its own Vite
// server. Prints the tables and writes them into docs/benchmarks.md as its "Load time" section.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright'
import { createServer, type Plugin } from 'vite'
import { CHROMIUM_ARGS, CHROMIUM_PATH, ISOLATION_HEADERS } from '../test/support/chromium.js'
import { modelServer, REPO_ROOT } from '../test/support/model-server.js'
import type { LoadBenchApi, PageLoadResult } from './load-page.js'
import type { NodeLoadResult } from './load-node.js'
import type { WorkerMark } from './load-worker.js'
import { percentile } from './stats.js'

const MODEL = 'fixtures/ms-marco-MiniLM-L-6-v2-random'
const SHARED = path.resolve(REPO_ROOT, '../shared')
const THREADS = 2
/** The Chromium version, from the pages' user agent. */
let browserVersion = 'Chromium'
export const LOAD_SECTION = '## Load time'

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
}

interface RuntimeFigures {
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
      ([o, q, d, how]) => (globalThis as unknown as { loadBench: LoadBenchApi }).loadBench.load(o, q, d, how),
      [options, QUERY, DOCUMENTS, code === 'after' ? 'option' : 'constructor'] as const,
    )
    browserVersion = /(Chrom\w+)\/([\d.]+)/.exec(result.userAgent)?.slice(1).join(' ') ?? browserVersion
    if (!result.crossOriginIsolated) throw new Error('the page is not cross-origin isolated: WASM would run on 1 thread')
    if (keepOpenMs > 0) await page.waitForTimeout(keepOpenMs)
    return result
  } finally {
    await context.close()
  }
}

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
function phasesOf(r: PageLoadResult): { phases: Phases; runtime: RuntimeFigures | null } {
  const marks = r.worker?.marks ?? []
  const ready = first(marks, 'worker-ready')
  const messageIn = first(marks, 'message-in')
  const loadStart = ready && messageIn ? Math.max(ready.end, messageIn.start) : NaN
  const adapter = marks.filter((m) => m.kind === 'gpu-requestAdapter')
  const adapterMs = adapter.length ? adapter.reduce((a, m) => a + m.end - m.start, 0) : null
  const modelStart = marks.find((m) => (m.kind === 'fetch' || m.kind === 'cache-match') && isModelFile(m.url))
  const modelDone = r.progress.find((p) => p.status === 'done' && /^onnx\/.+\.onnx$/.test(p.file ?? ''))
  const compiled = marks.find(
    (m) => m.kind.startsWith('wasm-') && m.error === undefined && modelStart && m.start > modelStart.start,
  )
  const reply = first(marks, 'message-out')
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
  }
  return { phases, runtime: runtimeOf(r, compiled) }
}

function runtimeOf(r: PageLoadResult, compiled: WorkerMark | undefined): RuntimeFigures | null {
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
    file,
    bytes: compiled?.bytes ?? resource?.decodedBodySize ?? 0,
    source,
    fetchMs: cacheHit ? null : resource!.end - resource!.start,
    compileMs: compiled ? compiled.end - compiled.start : null,
    how: compiled ? compiled.kind.replace('wasm-', 'WebAssembly.') + (compiled.bytes ? '(bytes)' : '') : 'not seen',
  }
}

async function chromiumScenarios(
  code: Code,
  sourceDir: string | undefined,
  options: LoadBenchOptions,
): Promise<Scenario[]> {
  const server = await startServer(sourceDir)
  const scenarios: Scenario[] = []
  try {
    // Untimed: Vite transforms every module and pre-bundles its dependencies on the first visit.
    await withProfile((dir) => chromiumRun(server.url, dir, 'wasm', code, 0))
    for (const device of ['wasm', 'auto'] as const) {
      for (const cache of ['empty', 'cached'] as const) {
        const scenario: Scenario = {
          code,
          env: 'Chromium',
          device,
          cache,
          runs: [],
          runtime: [],
          loadPhases: [],
          info: {},
        }
        const record = (r: PageLoadResult, label: string): void => {
          const { phases, runtime } = phasesOf(r)
          scenario.runs.push(phases)
          if (runtime) scenario.runtime.push(runtime)
          const loadPhases = r.info.loadPhases as Scenario['loadPhases'][number] | undefined
          if (loadPhases) scenario.loadPhases.push(loadPhases)
          scenario.info = r.info
          console.log(
            `  ${code} ${device} ${cache} ${label}: ready ${phases.readyMs.toFixed(0)} ms (loadMs ${phases.loadMs}), first call ${phases.firstCallMs.toFixed(0)} ms, runtime ${runtime ? `${runtime.file} from ${runtime.source}` : 'not seen'}`,
          )
        }
        if (cache === 'empty') {
          for (let i = 0; i < options.runs; i++) {
            record(await withProfile((dir) => chromiumRun(server.url, dir, device, code, 0)), `run ${i + 1}`)
          }
        } else {
          await withProfile(async (dir) => {
            const warm = phasesOf(await chromiumRun(server.url, dir, device, code, options.keepOpenMs)).phases
            console.log(`  ${code} ${device} cached: warming run ${warm.readyMs.toFixed(0)} ms (not counted)`)
            for (let i = 0; i < options.runs; i++) {
              record(await chromiumRun(server.url, dir, device, code, options.keepOpenMs), `run ${i + 1}`)
            }
          })
        }
        scenarios.push(scenario)
      }
    }
  } finally {
    await server.close()
  }
  return scenarios
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
  const code = s.code === 'before' ? 'before' : 'after'
  return s.env === 'Chromium' ? `${code}, Chromium ${s.cache} cache, ${s.device}` : `${code}, ${s.env}`
}

function medianPhases(s: Scenario): Record<keyof Phases, number | null> {
  const out = {} as Record<keyof Phases, number | null>
  for (const key of Object.keys(s.runs[0]!) as (keyof Phases)[]) out[key] = median(s.runs.map((r) => r[key]))
  return out
}

export function renderLoadSection(
  scenarios: Scenario[],
  options: Pick<LoadBenchOptions, 'runs' | 'keepOpenMs' | 'command' | 'before'>,
  meta: { date: string; machine: string; beforeCommit: string | null },
): string {
  const lines: string[] = [
    LOAD_SECTION,
    '',
    `Generated by \`${options.command}\` on ${meta.date}. Machine: ${meta.machine}. Model: ${MODEL}, q8 (23 MB), served from \`../shared/models/\` with \`allowRemoteModels: false\`; WASM with ${THREADS} threads (page served with COOP/COEP) by Vite's dev server, warmed by one untimed visit first.`,
    `Medians of ${options.runs} runs each. *Empty cache*: a fresh Chromium profile per run. *Cached*: one profile reused, warmed by one uncounted run; every run keeps its page open ${(options.keepOpenMs / 1000).toFixed(0)} s after the first call (Chromium writes its WASM code cache only then). *Node*: a fresh \`node\` process per run (${MODEL} read from disk).` +
      (meta.beforeCommit ? ` *before*: commit ${meta.beforeCommit}, the same page flow on its own Vite server.` : ''),
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
    'Phases, one after the other on one clock (ms): *worker module load* = createReranker call (before the Worker is constructed) → the worker has imported its module and received the load call; *WebGPU adapter check* = `navigator.gpu.requestAdapter()` in the worker; *config + tokenizer* = the rest until the model file is first asked for; *model file* = first fetch or Cache API lookup of `onnx/model_quantized.onnx` → its `done` progress event (an empty cache includes writing it to the Cache API); *runtime fetch + compile* = that `done` → onnxruntime\'s WebAssembly module compiled and instantiated (its `.mjs` glue, the `.wasm` fetch or Cache API read, and the compile); *OrtInit + session* = instantiated → the worker posts the load result (thread pool start, OrtInit and session creation: these three cannot be told apart from outside onnxruntime); *call → ready* = the page\'s createReranker call → its promise resolved; *first call* = `rerank()` of 8 short documents. Node: *worker module load* is the import of `src/node.ts` (transformers.js and onnxruntime-node, tsx transpiling included); onnxruntime-node reads the model file itself, so model file, runtime and session are one figure there (`loadPhases.modelMs`, under OrtInit + session); there is no WASM runtime to fetch.',
  )
  const runtimeRows = scenarios.filter((s) => s.runtime.length)
  if (runtimeRows.length) {
    lines.push(
      '',
      '### The onnxruntime WebAssembly runtime',
      '',
      '| run | file | MB | from | fetch (Resource Timing) | compile call | compile ms |',
      '| --- | --- | ---: | --- | ---: | --- | ---: |',
    )
    for (const s of runtimeRows) {
      const r = s.runtime[0]!
      const sources = [...new Set(s.runtime.map((x) => x.source))].join(' / ')
      lines.push(
        `| ${label(s)} | ${r.file} | ${(r.bytes / 1e6).toFixed(1)} | ${sources} | ${ms(median(s.runtime.map((x) => x.fetchMs)))} | ${r.how} | ${ms(median(s.runtime.map((x) => x.compileMs)))} |`,
      )
    }
    lines.push(
      '',
      '*fetch*: the `.wasm` Resource Timing entry in the worker, start → response end (– when read from the Cache API); *compile ms*: the WebAssembly call → its promise resolved (with `instantiateStreaming` it runs while the bytes arrive, so it includes the fetch).',
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
  lines.push(...autoCheck(scenarios), ...beforeAfter(scenarios, options.command))
  lines.push('')
  return lines.join('\n')
}

/** device 'auto' with no WebGPU adapter: what it costs over 'wasm' (target ≤ 0.1 s). */
function autoCheck(scenarios: Scenario[]): string[] {
  const lines: string[] = []
  for (const code of ['after', 'before'] as const) {
    for (const cache of ['empty', 'cached'] as const) {
      const wasm = scenarios.find((s) => s.code === code && s.env === 'Chromium' && s.cache === cache && s.device === 'wasm')
      const auto = scenarios.find((s) => s.code === code && s.env === 'Chromium' && s.cache === cache && s.device === 'auto')
      if (!wasm || !auto) continue
      const ready = median(auto.runs.map((r) => r.readyMs))! - median(wasm.runs.map((r) => r.readyMs))!
      const load = median(auto.runs.map((r) => r.loadMs))! - median(wasm.runs.map((r) => r.loadMs))!
      const adapter = median(auto.runs.map((r) => r.adapterMs))
      const reason = typeof auto.info.fallbackReason === 'string' ? auto.info.fallbackReason : 'none'
      lines.push(
        `| ${code}, ${cache} cache | ${auto.info.device as string} | ${secs(adapter)} | ${ready >= 0 ? '+' : ''}${secs(ready)} | ${load >= 0 ? '+' : ''}${secs(load)} | ${adapter !== null && adapter <= 100 ? 'yes' : 'no'} | ${reason} |`,
      )
    }
  }
  if (!lines.length) return []
  return [
    '',
    "### device 'auto' without a WebGPU adapter",
    '',
    "| code, cache | auto ran on | adapter check (median) | call → ready, auto − wasm | info.loadMs, auto − wasm | adapter check ≤ 0.1 s | fallbackReason |",
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
    ...lines,
    '',
    "The adapter check is the only step 'auto' adds when there is no adapter (both load the same runtime build in the current code); the differences of medians between separate runs also carry run-to-run noise.",
  ]
}

function beforeAfter(scenarios: Scenario[], command: string): string[] {
  const rows: string[] = []
  for (const device of ['wasm', 'auto'] as const) {
    for (const cache of ['empty', 'cached'] as const) {
      const find = (code: Code): Scenario | undefined =>
        scenarios.find((s) => s.code === code && s.env === 'Chromium' && s.device === device && s.cache === cache)
      const before = find('before')
      const after = find('after')
      if (!before || !after) continue
      const b = medianPhases(before)
      const a = medianPhases(after)
      for (const [key, name] of [
        ['readyMs', 'call → ready'],
        ['loadMs', 'info.loadMs'],
        ['runtimeMs', 'runtime fetch + compile'],
        ['firstCallMs', 'first call'],
      ] as const) {
        const change = a[key] !== null && b[key] !== null ? `${((a[key] / b[key] - 1) * 100).toFixed(0)}%` : '–'
        rows.push(`| Chromium ${cache} cache, ${device} | ${name} | ${ms(b[key])} | ${ms(a[key])} | ${change} |`)
      }
    }
  }
  if (!rows.length) return []
  return [
    '',
    '### Before / after',
    '',
    `| scenario | figure | before ms | after ms | change |`,
    '| --- | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `Both columns come from the same run of \`${command}\` (medians as above).`,
  ]
}

/** Replaces the "Load time" section of `markdown` (up to the next `## ` heading) or appends it. */
export function withLoadSection(markdown: string, section: string): string {
  const start = markdown.indexOf(`\n${LOAD_SECTION}\n`)
  if (start < 0) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`
  const next = markdown.indexOf('\n## ', start + LOAD_SECTION.length + 1)
  const rest = next < 0 ? '' : markdown.slice(next)
  return `${markdown.slice(0, start).trimEnd()}\n\n${section.trimEnd()}\n${rest}`
}

/** The "Load time" section of `markdown`, if it has one (so a rerun of the other benchmarks keeps it). */
export function loadSectionOf(markdown: string): string | undefined {
  const start = markdown.indexOf(`\n${LOAD_SECTION}\n`)
  if (start < 0) return undefined
  const next = markdown.indexOf('\n## ', start + LOAD_SECTION.length + 1)
  return markdown.slice(start + 1, next < 0 ? undefined : next)
}

async function gitCommit(dir: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
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
  if (options.before && !existsSync(path.join(options.before, 'src/index.ts'))) {
    throw new Error(`--before ${options.before}: no src/index.ts there (git worktree add ${options.before} <commit>)`)
  }
  const scenarios: Scenario[] = []
  console.log('load: current code in Chromium')
  scenarios.push(...(await chromiumScenarios('after', undefined, options)))
  if (options.before) {
    console.log(`load: ${options.before} in Chromium`)
    scenarios.push(...(await chromiumScenarios('before', path.resolve(options.before), options)))
  }
  console.log('load: Node')
  scenarios.push(await nodeScenario(options.runs))

  const section = renderLoadSection(scenarios, options, {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${browserVersion}, Node ${process.versions.node}`,
    beforeCommit: options.before ? await gitCommit(options.before) : null,
  })
  console.log(`\n${section}`)
  const file = path.join(options.out, 'benchmarks.md')
  const markdown = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmarks\n'
  await writeFile(file, withLoadSection(markdown, section))
  console.log(`wrote the "Load time" section of ${file} (${((performance.now() - started) / 1000).toFixed(0)} s)`)
}

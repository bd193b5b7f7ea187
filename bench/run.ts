// `npm run bench`: the model-card recipe (one padded batch) vs webrerank in Chromium WASM, and
// webrerank's Node entry (onnxruntime-node, the native ceiling), side by side and interleaved
// in one run on the shared benchmark model and real text. Writes docs/benchmarks.{json,md,svg}.
//
//   npm run bench -- [--datasets dl19,scifact] [--dtypes q8,fp32] [--repeats 2] [--sweep] [--webgpu] [--no-memory]
//   npm run bench -- --load [--before <checkout of older code>] [--load-runs 3]   (load time only: bench/load.ts)
//   npm run bench -- --server [--server-docs 20] [--server-requests 16]   (webrerank serve under load: bench/http-load.ts)

import { readFile, writeFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from 'playwright'
import { createReranker as createNodeReranker } from '../src/node.js'
import type { Dtype, RerankerOptions } from '../src/api/types.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.js'
import { REPO_ROOT } from '../test/support/model-server.js'
import { runServerBench } from './http-load.js'
import { runLoadBench } from './load.js'
import { KEPT_SECTIONS, sectionOf, withSection } from './sections.js'
import { startBenchServer } from './server.js'
import { runSoak } from './soak.js'
import type { BenchApi, CallFigures } from './page.js'
import { renderChart, renderMarkdown, type BenchReport, type BudgetRow, type Row, type SweepRow } from './report.js'
import { pairFlops, percentile, pssBytes, samplePeak, type BertDims } from './stats.js'

const MODEL = 'fixtures/ms-marco-MiniLM-L-6-v2-random'
const SHARED = path.resolve(REPO_ROOT, '../shared')

interface BenchQuery {
  qid: string
  query: string
  docs: string[]
  lens: number[]
}

type Config = 'recipe' | 'webrerank'

const { values: args } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'dl19,scifact' },
    dtypes: { type: 'string', default: 'q8,fp32' },
    repeats: { type: 'string', default: '2' },
    sweep: { type: 'boolean', default: false },
    'sweep-only': { type: 'boolean', default: false },
    'sweep-queries': { type: 'string', default: '2' },
    'scifact-repeats': { type: 'string' },
    webgpu: { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
    /** Re-renders docs/benchmarks.{md,svg} from docs/benchmarks.json without measuring. */
    'render-only': { type: 'boolean', default: false },
    /** Measures budgetMs (only this, with --budget-only) and adds it to docs/benchmarks.json. */
    'budget-only': { type: 'boolean', default: false },
    /** Load time only (bench/load.ts): writes the "Load time" section of docs/benchmarks.md. */
    load: { type: 'boolean', default: false },
    /** With --load: a checkout of older code measured the same way (e.g. `git worktree add /tmp/wr-before c40d526`). */
    before: { type: 'string' },
    'load-runs': { type: 'string', default: '3' },
    /** Soak only (bench/soak.ts): random calls for this many minutes in Node and Chromium; writes "Soak". */
    soak: { type: 'string' },
    /** `webrerank serve` at concurrency 1, 8 and 32 (bench/http-load.ts); writes "Server throughput". */
    server: { type: 'boolean', default: false },
    /** With --server: documents per request (the first N candidates) and requests per level. */
    'server-docs': { type: 'string', default: '20' },
    'server-requests': { type: 'string', default: '16' },
    out: { type: 'string', default: path.join(REPO_ROOT, 'docs') },
  },
})

const datasets = args.datasets.split(',') as ('dl19' | 'scifact')[]
const dtypes = args.dtypes.split(',') as ('q8' | 'fp32')[]
const repeats = Number(args.repeats)

/** The model-card recipe: every pair padded into one batch, all else as webrerank. */
function browserOptions(
  config: Config,
  device: 'wasm' | 'webgpu',
  dtype: string,
  extra: RerankerOptions = {},
): RerankerOptions {
  const base: RerankerOptions = {
    model: MODEL,
    localModelPath: '/shared-models/',
    allowRemoteModels: false,
    device,
    dtype: dtype as Dtype,
  }
  return config === 'recipe' ? { ...base, maxBatchSize: 100, batchTokenBudget: 100 * 512 } : { ...base, ...extra }
}

const bench = {
  load: (page: Page, name: string, options: RerankerOptions, warm?: BenchQuery) =>
    page.evaluate(([n, o, w]) => (globalThis as unknown as { bench: BenchApi }).bench.load(n, o, w), [
      name,
      options,
      warm ? { query: warm.query, docs: warm.docs } : undefined,
    ] as const),
  run: (page: Page, name: string, q: BenchQuery) =>
    page.evaluate(([n, query, docs]) => (globalThis as unknown as { bench: BenchApi }).bench.run(n, query, docs), [
      name,
      q.query,
      q.docs,
    ] as const),
  dispose: (page: Page, name: string) =>
    page.evaluate((n) => (globalThis as unknown as { bench: BenchApi }).bench.dispose(n), name),
}

const chromiumPss = (): number => pssBytes((cmd) => cmd.includes('chromium'))

interface Sample extends CallFigures {
  flops: number
}

function summarize(
  label: string,
  env: string,
  dtype: string,
  dataset: string,
  samples: Sample[],
  loadMs: number,
  peakBytes: number | null,
): Row {
  const ms = samples.map((s) => s.ms)
  const seconds = ms.reduce((a, b) => a + b, 0) / 1000
  const pairs = samples.length * 100
  const tokens = samples.reduce((a, s) => a + s.tokens, 0)
  const padded = samples.reduce((a, s) => a + s.paddedTokens, 0)
  return {
    label,
    env,
    dtype,
    dataset,
    calls: samples.length,
    medianMs: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    pairsPerS: pairs / seconds,
    tokensPerS: tokens / seconds,
    paddingFraction: padded > 0 ? 1 - tokens / padded : 0,
    gflopsPerS: samples.reduce((a, s) => a + s.flops, 0) / seconds / 1e9,
    peakMemoryMiB: peakBytes === null ? null : peakBytes / 2 ** 20,
    loadMs,
    inferenceShare: samples.reduce((a, s) => a + s.inferenceMs, 0) / samples.reduce((a, s) => a + s.ms, 0),
  }
}

async function main(): Promise<void> {
  const dims = await readDims()
  const data = Object.fromEntries(
    await Promise.all(
      datasets.map(
        async (d) =>
          [
            d,
            JSON.parse(await readFile(path.join(SHARED, 'data/bench', `${d}.json`), 'utf8')) as BenchQuery[],
          ] as const,
      ),
    ),
  ) as Record<string, BenchQuery[]>
  const flopsOf = (q: BenchQuery): number => q.lens.reduce((a, n) => a + pairFlops(n, dims), 0)

  const { server, browser, openPage } = await startBrowser()

  const rows: Row[] = []
  const sweep: SweepRow[] = []
  // Every fresh reranker makes one untimed call on this query first (see bench/page.ts).
  const warmQuery = (data.dl19 ?? Object.values(data)[0]!)[0]!
  let threads = 0
  try {
    for (const dtype of args['sweep-only'] ? [] : dtypes) {
      // Speed pass: recipe and webrerank loaded side by side (fresh workers), calls interleaved.
      const page = await openPage()
      const loads: Record<Config, number> = { recipe: 0, webrerank: 0 }
      for (const config of ['recipe', 'webrerank'] as const) {
        const { loadMs, warmMs, info } = await bench.load(
          page,
          config,
          browserOptions(config, 'wasm', dtype),
          warmQuery,
        )
        loads[config] = loadMs
        threads = info.threads
        console.log(
          `${config} ${dtype}: loaded in ${loadMs.toFixed(0)} ms on ${info.device} (${info.threads} threads, batches ≤ ${info.maxBatchSize} × ${info.batchTokenBudget} tokens), warm-up call ${warmMs.toFixed(0)} ms`,
        )
      }
      const nodeLoadStart = performance.now()
      const native = await createNodeReranker({
        model: MODEL,
        localModelPath: path.join(SHARED, 'models') + '/',
        allowRemoteModels: false,
        dtype,
      })
      await native.warmup()
      const nodeLoadMs = performance.now() - nodeLoadStart
      await native.rerank(warmQuery.query, warmQuery.docs)
      for (const dataset of datasets) {
        const samples: Record<Config | 'node', Sample[]> = { recipe: [], webrerank: [], node: [] }
        // SciFact calls take 10-40 s each: a separate repeat count keeps a full run under ~20 minutes.
        const datasetRepeats =
          dataset === 'scifact' && args['scifact-repeats'] ? Number(args['scifact-repeats']) : repeats
        for (let r = 0; r < datasetRepeats; r++) {
          for (const [qi, q] of data[dataset]!.entries()) {
            const order: Config[] = (r + qi) % 2 === 0 ? ['recipe', 'webrerank'] : ['webrerank', 'recipe']
            for (const config of order) {
              const figures = await bench.run(page, config, q)
              samples[config].push({ ...figures, flops: flopsOf(q) })
              console.log(
                `  ${dtype} ${dataset} q${qi} r${r} ${config.padEnd(9)} ${figures.ms.toFixed(0).padStart(6)} ms  ${figures.batches} batches`,
              )
            }
            let paddedTokens = 0
            let batches = 0
            let inferenceMs = 0
            const started = performance.now()
            const res = await native.rerank(q.query, q.docs, {
              returnDocuments: false,
              onBatch: (p) => {
                paddedTokens += p.paddedTokens
                inferenceMs += p.batchMs
                batches++
              },
            })
            const ms = performance.now() - started
            samples.node.push({
              ms,
              tokens: res.usage.prompt_tokens,
              paddedTokens,
              batches,
              inferenceMs,
              flops: flopsOf(q),
            })
            console.log(
              `  ${dtype} ${dataset} q${qi} r${r} node      ${ms.toFixed(0).padStart(6)} ms  ${batches} batches`,
            )
          }
        }
        rows.push(
          summarize(
            '(a) recipe: one padded batch',
            'Chromium WASM',
            dtype,
            dataset,
            samples.recipe,
            loads.recipe,
            null,
          ),
        )
        rows.push(summarize('(b) webrerank', 'Chromium WASM', dtype, dataset, samples.webrerank, loads.webrerank, null))
        rows.push(summarize('(c) webrerank Node', 'onnxruntime-node', dtype, dataset, samples.node, nodeLoadMs, null))
      }
      await native.dispose()
      await page.context().close()

      if (!args['no-memory']) await memoryPass(dtype, openPage, data, rows)
    }
    if (args.sweep || args['sweep-only']) await sweepPass(openPage, data, sweep)
    if (args.webgpu) await webgpuPass(openPage, data, rows, flopsOf)
  } finally {
    await browser.close()
    await server.close()
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium WASM ${threads} threads`,
    model: `${MODEL} (real MiniLM-L6 architecture and tokenizer, random weights)`,
    repeats,
    rows,
    sweep,
  }
  await mkdir(args.out, { recursive: true })
  await writeFile(path.join(args.out, 'benchmarks.json'), JSON.stringify(report, null, 2) + '\n')
  await writeFile(path.join(args.out, 'benchmarks.svg'), renderChart(report))
  await writeMarkdown(renderMarkdown(report))
  console.log(renderMarkdown(report))
}

/** Writes docs/benchmarks.md, keeping the "Load time" section that `--load` wrote there. */
async function writeMarkdown(markdown: string): Promise<void> {
  const file = path.join(args.out, 'benchmarks.md')
  const old = await readFile(file, 'utf8').catch(() => '')
  let updated = markdown
  for (const heading of KEPT_SECTIONS) {
    const section = sectionOf(old, heading)
    if (section !== undefined) updated = withSection(updated, heading, section)
  }
  await writeFile(file, updated)
}

/** The Vite server for bench/page.html and a Chromium to open it in, one fresh context per page. */
async function startBrowser() {
  const server = await startBenchServer()
  const url = `${server.origin}/bench/page.html`
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(args.webgpu ? ['--enable-unsafe-webgpu'] : [])],
  })
  const openPage = async (): Promise<Page> => {
    const page = await (await browser.newContext()).newPage()
    page.on('pageerror', (e) => {
      console.error('page error:', e.message)
    })
    await page.goto(url)
    await page.waitForFunction(() => 'bench' in globalThis)
    return page
  }
  return { server, browser, openPage }
}

/**
 * Peak memory, one configuration at a time in a fresh page (so nothing else is loaded): the
 * PSS of all Chromium processes above the idle page, while the longest inputs (SciFact,
 * ~100 × 512 tokens) run. WASM memory only grows, so the peak is reached and held.
 */
async function memoryPass(
  dtype: string,
  openPage: () => Promise<Page>,
  data: Record<string, BenchQuery[]>,
  rows: Row[],
): Promise<void> {
  const longest = (data.scifact ?? data.dl19)!
  for (const config of ['recipe', 'webrerank'] as const) {
    const page = await openPage()
    const baseline = chromiumPss()
    const sampler = samplePeak(chromiumPss)
    await bench.load(page, config, browserOptions(config, 'wasm', dtype))
    for (const q of longest.slice(0, 2)) await bench.run(page, config, q)
    const peak = sampler.stop() - baseline
    await page.context().close()
    for (const row of rows) {
      if (row.env === 'Chromium WASM' && row.dtype === dtype && row.label.includes(config))
        row.peakMemoryMiB = peak / 2 ** 20
    }
    console.log(`memory ${dtype} ${config}: peak ${(peak / 2 ** 20).toFixed(0)} MiB above the idle page`)
  }
  const baseline = process.memoryUsage().rss
  const sampler = samplePeak(() => process.memoryUsage().rss)
  const native = await createNodeReranker({
    model: MODEL,
    localModelPath: path.join(SHARED, 'models') + '/',
    allowRemoteModels: false,
    dtype: dtype as 'q8',
  })
  for (const q of longest.slice(0, 2)) await native.rerank(q.query, q.docs)
  const peak = sampler.stop() - baseline
  await native.dispose()
  for (const row of rows) if (row.env === 'onnxruntime-node' && row.dtype === dtype) row.peakMemoryMiB = peak / 2 ** 20
}

/**
 * Batch limits measured on WASM q8: which token budget and batch size are fastest. Each
 * configuration gets a fresh page: the third and fourth workers started in one page ran 2.5×
 * slower here whatever their settings. The grid runs twice, the second time in reverse order,
 * and each configuration keeps its better round.
 */
async function sweepPass(
  openPage: () => Promise<Page>,
  data: Record<string, BenchQuery[]>,
  sweep: SweepRow[],
): Promise<void> {
  // [max batch size, token budget]: the budget binds only for SciFact's long pairs.
  const grids: Record<string, readonly (readonly [number, number])[]> = {
    dl19: [
      [1, 8192],
      [2, 8192],
      [4, 8192],
      [8, 8192],
      [16, 8192],
      [32, 8192],
    ],
    scifact: [
      [1, 8192],
      [2, 8192],
      [4, 8192],
      [8, 8192],
      [16, 8192],
      [16, 4096],
    ],
  }
  const warm = data.dl19?.[4] ?? Object.values(data)[0]![4]!
  for (const dataset of Object.keys(data)) {
    const grid = grids[dataset] ?? []
    const queries = data[dataset]!.slice(0, Number(args['sweep-queries']))
    const best = new Map<string, number>()
    for (const round of [0, 1]) {
      for (const [maxBatchSize, batchTokenBudget] of round === 0 ? grid : [...grid].reverse()) {
        const name = `sweep-${maxBatchSize}-${batchTokenBudget}`
        const page = await openPage()
        await bench.load(
          page,
          name,
          browserOptions('webrerank', 'wasm', 'q8', { maxBatchSize, batchTokenBudget }),
          warm,
        )
        let total = 0
        for (const q of queries) total += (await bench.run(page, name, q)).ms
        await bench.dispose(page, name)
        await page.context().close()
        const msPer100 = total / queries.length
        best.set(name, Math.min(best.get(name) ?? Infinity, msPer100))
        console.log(
          `sweep ${dataset} round ${round} batch ≤ ${maxBatchSize}, budget ${batchTokenBudget}: ${msPer100.toFixed(0)} ms / 100 docs`,
        )
      }
    }
    for (const [maxBatchSize, batchTokenBudget] of grid) {
      sweep.push({
        dataset,
        maxBatchSize,
        batchTokenBudget,
        msPer100: best.get(`sweep-${maxBatchSize}-${batchTokenBudget}`)!,
      })
    }
  }
}

/** WebGPU rows when an adapter exists (here only SwiftShader, a CPU emulation: figures are not GPU figures). */
async function webgpuPass(
  openPage: () => Promise<Page>,
  data: Record<string, BenchQuery[]>,
  rows: Row[],
  flopsOf: (q: BenchQuery) => number,
): Promise<void> {
  const page = await openPage()
  if (!(await page.evaluate(() => (globalThis as unknown as { bench: BenchApi }).bench.hasWebGpuAdapter()))) {
    console.log('no WebGPU adapter: WebGPU rows skipped')
    return
  }
  for (const config of ['recipe', 'webrerank'] as const) {
    const { loadMs } = await bench.load(page, config, browserOptions(config, 'webgpu', 'fp32'), data.dl19![1])
    const samples: Sample[] = []
    const q = data.dl19![0]!
    for (let r = 0; r < 2; r++) samples.push({ ...(await bench.run(page, config, q)), flops: flopsOf(q) })
    rows.push(
      summarize(
        config === 'recipe' ? '(a) recipe: one padded batch' : '(b) webrerank',
        'Chromium WebGPU',
        'fp32',
        'dl19 (1 query)',
        samples,
        loadMs,
        null,
      ),
    )
    await bench.dispose(page, config)
  }
  await page.context().close()
}

/** How many of 100 candidates a latency budget lets WASM rerank, and how long the call takes. */
async function measureBudgets(): Promise<BudgetRow[]> {
  const { server, browser, openPage } = await startBrowser()
  const rows: BudgetRow[] = []
  try {
    const page = await openPage()
    const all = Object.fromEntries(
      await Promise.all(
        ['dl19', 'scifact'].map(
          async (d) =>
            [
              d,
              JSON.parse(await readFile(path.join(SHARED, 'data/bench', `${d}.json`), 'utf8')) as BenchQuery[],
            ] as const,
        ),
      ),
    )
    await bench.load(page, 'budget', browserOptions('webrerank', 'wasm', 'q8'), all.dl19![4])
    for (const dataset of ['dl19', 'scifact']) {
      const q = all[dataset]![0]!
      for (const budgetMs of [500, 1000, 2000, 4000]) {
        const r = await page.evaluate(
          ([query, docs, b]) =>
            (globalThis as unknown as { bench: BenchApi }).bench.runBudget('budget', query, docs, b),
          [q.query, q.docs, budgetMs] as const,
        )
        rows.push({ dataset, budgetMs, ...r })
        console.log(`budget ${dataset} ${budgetMs} ms: took ${r.ms.toFixed(0)} ms, reranked ${r.reranked}/100`)
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }
  return rows
}

async function readDims(): Promise<BertDims> {
  const config = JSON.parse(await readFile(path.join(SHARED, 'models', MODEL, 'config.json'), 'utf8')) as Record<
    string,
    number
  >
  return {
    layers: config.num_hidden_layers!,
    hidden: config.hidden_size!,
    intermediate: config.intermediate_size!,
  }
}

if (args['budget-only']) {
  const file = path.join(args.out, 'benchmarks.json')
  const report = JSON.parse(await readFile(file, 'utf8')) as BenchReport
  report.budget = await measureBudgets()
  await writeFile(file, JSON.stringify(report, null, 2) + '\n')
  await writeMarkdown(renderMarkdown(report))
} else if (args['render-only']) {
  const report = JSON.parse(await readFile(path.join(args.out, 'benchmarks.json'), 'utf8')) as BenchReport
  await writeFile(path.join(args.out, 'benchmarks.svg'), renderChart(report))
  await writeMarkdown(renderMarkdown(report))
} else if (args.server) {
  await runServerBench({
    docs: Number(args['server-docs']),
    requests: Number(args['server-requests']),
    datasets,
    out: args.out,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
  })
} else if (args.soak !== undefined) {
  await runSoak(Number(args.soak), args.out)
} else if (args.load) {
  await runLoadBench({
    ...(args.before === undefined ? {} : { before: args.before }),
    runs: Number(args['load-runs']),
    keepOpenMs: 5000,
    out: args.out,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
  })
} else {
  await main()
}

// npm run verify-models: loads each registry model from the hub (or a mirror) at its default dtype
// through webrerank's Node entry, scores the example pairs its model card publishes
// (scripts/model-card-scores.json cites each source) and prints expected vs got with a pass mark.
// Exits 1 when a score misses by more than the dtype's tolerance plus the reference's own precision,
// or a model fails to load.
//
//   npm run verify-models -- [--model <name>]... [--remote-host <url>] [--expectations <file>] [--cache-dir <dir>]

import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { env } from '@huggingface/transformers'
import { createReranker, findModel, MODELS } from '../src/node.js'
import { suggestModels } from '../src/models/registry.js'
import type { ResolvedDtype } from '../src/api/types.js'

/** One published example: a pair and the model's output for it. */
export interface CardPair {
  query: string
  document: string
  expected: number
}

/** A model's published scores; `pairs` empty = none could be found. */
export interface CardScores {
  /** A registry name (any alias). */
  model: string
  /** Where the numbers were published. */
  source: string
  reference: string
  /** What `expected` is: the raw logit, or sigmoid(logit) as CrossEncoder.rank / transformers.js print it. */
  output: 'logit' | 'score'
  /** The reference's own precision (e.g. fp16 printing), in the unit of `output`. */
  referenceTolerance: number
  pairs: CardPair[]
}

/**
 * How far webrerank's output may be from a PyTorch fp32 reference, in logits, per dtype:
 * - fp32: the same weights on onnxruntime agree with PyTorch to ~1e-5 (the MiniLM card's example is
 *   reproduced within 2.3e-6 elsewhere; the shared fixture's scores within 1e-4 here); 0.01 leaves room
 *   for printed rounding and other BLAS kernels while still catching a wrong model or a wrong pair encoding.
 * - fp16: about 3 significant digits per operation; 0.1 at logits of magnitude up to ~10.
 * - q8: quantize_dynamic rounds every MatMul's weights and activations to 8 bits; logits of real rerankers
 *   move by up to a few tenths. 0.5 still fails a wrong model, a swapped label or a broken template, whose
 *   logits are off by whole units.
 * - q4: 4-bit weights; 1.0.
 * Scores ('score' outputs) are compared in the same logit units, after logit(expected).
 */
export const DTYPE_TOLERANCE: Record<ResolvedDtype, number> = { fp32: 0.01, fp16: 0.1, q8: 0.5, q4: 1 }

const DEFAULT_EXPECTATIONS = join(dirname(fileURLToPath(import.meta.url)), 'model-card-scores.json')

interface Row {
  model: string
  dtype: string
  pair: string
  expected: string
  got: string
  diff: string
  tolerance: string
  mark: string
}

/** What one model's check found. */
interface Outcome {
  model: string
  status: 'pass' | 'fail' | 'no published scores' | 'load failed'
  rows: Row[]
}

function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p)
}

function fmt(x: number): string {
  return x.toFixed(4)
}

function short(text: string, n = 28): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`
}

async function checkModel(
  name: string,
  card: CardScores | undefined,
  remoteHost: string | undefined,
): Promise<Outcome> {
  let reranker
  try {
    reranker = await createReranker({ model: name, device: 'cpu', ...(remoteHost === undefined ? {} : { remoteHost }) })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { model: name, status: 'load failed', rows: [row(name, '-', message, '', '', '', '', 'FAIL')] }
  }
  const dtype = reranker.info.dtype
  try {
    if (!card || card.pairs.length === 0) {
      // Still score one pair: the model loads and answers with a finite score.
      const res = await reranker.rerank('what is a reranker?', ['A reranker orders documents by relevance.'])
      const got = res.results[0]!.relevance_score
      return {
        model: name,
        status: 'no published scores',
        rows: [row(name, dtype, 'smoke pair', '-', fmt(logit(got)), '-', '-', '—')],
      }
    }
    const tolerance = DTYPE_TOLERANCE[dtype] + (card.output === 'logit' ? card.referenceTolerance : 0)
    const rows: Row[] = []
    let pass = true
    for (const pair of card.pairs) {
      // One pair per call: what the card's code does, and q8 runs one pair per batch anyway.
      const res = await reranker.rerank(pair.query, [pair.document])
      const got = logit(res.results[0]!.relevance_score)
      const expected = card.output === 'logit' ? pair.expected : logit(pair.expected)
      // A score's own tolerance translates to logits through the sigmoid's slope there.
      const allowed =
        card.output === 'logit'
          ? tolerance
          : tolerance + card.referenceTolerance / (pair.expected * (1 - pair.expected))
      const diff = Math.abs(got - expected)
      const ok = diff <= allowed
      pass &&= ok
      rows.push(
        row(
          name,
          dtype,
          `${short(pair.query, 20)} | ${short(pair.document)}`,
          fmt(expected),
          fmt(got),
          fmt(diff),
          fmt(allowed),
          ok ? 'PASS' : 'FAIL',
        ),
      )
    }
    return { model: name, status: pass ? 'pass' : 'fail', rows }
  } finally {
    await reranker.dispose()
  }
}

function row(...cells: [string, string, string, string, string, string, string, string]): Row {
  const [model, dtype, pair, expected, got, diff, tolerance, mark] = cells
  return { model, dtype, pair, expected, got, diff, tolerance, mark }
}

function printTable(rows: Row[]): void {
  const header: Row = {
    model: 'model',
    dtype: 'dtype',
    pair: 'pair (query | document)',
    expected: 'expected logit',
    got: 'got logit',
    diff: '|diff|',
    tolerance: 'tolerance',
    mark: 'pass',
  }
  const keys = Object.keys(header) as (keyof Row)[]
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)))
  const line = (r: Row): string =>
    keys
      .map((k, i) => r[k].padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
}

async function loadExpectations(file: string): Promise<CardScores[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { models: CardScores[] }).models
}

const USAGE = `Usage: npm run verify-models -- [options]

Downloads each registry model at its default dtype, scores the example pairs its model card
publishes (scripts/model-card-scores.json) and prints expected vs got. Exit 0: all pass;
1: a model failed or did not load; 2: a bad command line.

  --model <registry name>   check this model (repeatable); default: every registry model
  --remote-host <url>       a hub mirror serving <org>/<repo>/resolve/main/<file>
                            (default https://huggingface.co/)
  --expectations <file>     expected scores replacing or adding to the published ones
  --cache-dir <dir>         where downloads are kept (default: transformers.js' cache,
                            node_modules/@huggingface/transformers/.cache)
  -h, --help                this text`

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

function parseCommand(): ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'] {
  try {
    return parseArgs({ options: OPTIONS }).values
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
}

const OPTIONS = {
  model: { type: 'string', multiple: true },
  'remote-host': { type: 'string' },
  expectations: { type: 'string' },
  'cache-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

async function main(): Promise<number> {
  const values = parseCommand()
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const host = values['remote-host']
  if (host !== undefined && !/^https?:\/\/[^/]/.test(host)) {
    throw new UsageError(`--remote-host "${host}": use an http(s) URL, e.g. http://localhost:8080/`)
  }
  // The mirror goes through createReranker's remoteHost; the download cache folder has no webrerank
  // option, so it is set on transformers.js' env (a mirror's files must not land in the hub's cache).
  if (values['cache-dir'] !== undefined) env.cacheDir = values['cache-dir']

  const cards = await loadExpectations(DEFAULT_EXPECTATIONS)
  if (values.expectations !== undefined) {
    for (const override of await loadExpectations(values.expectations)) {
      const at = cards.findIndex((c) => findModel(c.model) === findModel(override.model))
      if (at >= 0) cards[at] = override
      else cards.push(override)
    }
  }
  const names = values.model ?? MODELS.map((m) => m.aliases[0] ?? m.id)
  const outcomes: Outcome[] = []
  for (const name of names) {
    const entry = findModel(name)
    if (!entry) {
      const near = suggestModels(name)
      throw new UsageError(
        `--model "${name}" is not a registry model${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(', ')}?)` : ''}`,
      )
    }
    const card = cards.find((c) => findModel(c.model) === entry)
    console.error(`verify-models: ${name} (${entry.id}) …`)
    outcomes.push(await checkModel(name, card, values['remote-host']))
  }
  printTable(outcomes.flatMap((o) => o.rows))
  console.log('')
  for (const o of outcomes) {
    const card = cards.find((c) => findModel(c.model) === findModel(o.model))
    console.log(`${o.status.toUpperCase().padEnd(19)} ${o.model}${card?.pairs.length ? `  (${card.source})` : ''}`)
  }
  const failed = outcomes.filter((o) => o.status === 'fail' || o.status === 'load failed').map((o) => o.model)
  if (outcomes.every((o) => o.status === 'load failed')) {
    console.log(
      `\nverify-models: no model loaded; is ${host ?? 'https://huggingface.co/'} reachable? (--remote-host for a mirror)`,
    )
  }
  if (failed.length) console.log(`\nverify-models: FAILED ${failed.join(', ')}`)
  else console.log('\nverify-models: all checked models pass')
  return failed.length ? 1 : 0
}

process.exitCode = await main().catch((err: unknown) => {
  if (!(err instanceof UsageError)) throw err
  console.error(`verify-models: ${err.message}\n\n${USAGE}`)
  return 2
})

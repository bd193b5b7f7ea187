// Node: what batch-independent q8 (one pair per micro-batch, the default) costs against q8
// batched by 8 and against fp32, side by side in one run, on the shared bench sets.
//   npx tsx bench/batch-independence.ts
// (Chromium WASM: `npm run bench -- --sweep-only`, docs/batch-sweep.md.)

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createReranker } from '../src/node.js'
import type { RerankerOptions } from '../src/api/types.js'
import { REPO_ROOT } from '../test/support/model-server.js'

const SHARED = path.resolve(REPO_ROOT, '../shared')
const sets = ['dl19', 'scifact'].map((name) => ({
  name,
  queries: JSON.parse(readFileSync(path.join(SHARED, 'data/bench', `${name}.json`), 'utf8')) as {
    query: string
    docs: string[]
  }[],
}))
const base: RerankerOptions = {
  model: 'fixtures/ms-marco-MiniLM-L-6-v2-random',
  localModelPath: path.join(SHARED, 'models') + '/',
  allowRemoteModels: false,
}
const configs: [string, RerankerOptions][] = [
  ['q8, one pair per batch (default)', { dtype: 'q8' }],
  ['q8, batches of 8', { dtype: 'q8', maxBatchSize: 8 }],
  ['fp32 (default batches)', { dtype: 'fp32' }],
]
for (const [label, options] of configs) {
  const reranker = await createReranker({ ...base, ...options })
  for (const { name, queries } of sets) {
    const used = queries.slice(0, name === 'scifact' ? 2 : 3)
    await reranker.rerank(used[0]!.query, used[0]!.docs.slice(0, 8)) // warm-up
    const started = performance.now()
    for (const q of used) await reranker.rerank(q.query, q.docs)
    console.log(`${label} | ${name} | ${((performance.now() - started) / used.length).toFixed(0)} ms / 100 docs`)
  }
  await reranker.dispose()
}

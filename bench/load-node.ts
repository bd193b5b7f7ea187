// One Node run of the load benchmark (bench/load.ts starts a fresh process per run): imports
// webrerank's Node entry, loads the benchmark model in this process (onnxruntime-node) and makes
// one call, then prints its figures as one JSON line.
//
//   node --import tsx bench/load-node.ts '<options JSON>'

const options = JSON.parse(process.argv[2] ?? '{}') as {
  model: string
  localModelPath: string
  dtype: 'q8'
  threads: number
  query: string
  documents: string[]
}

export interface NodeLoadResult {
  importMs: number
  readyMs: number
  firstCallMs: number
  info: Record<string, unknown>
}

const started = performance.now()
const { createReranker } = await import('../src/node.ts')
const imported = performance.now()
const reranker = await createReranker({
  model: options.model,
  localModelPath: options.localModelPath,
  allowRemoteModels: false,
  dtype: options.dtype,
  threads: options.threads,
})
const ready = performance.now()
await reranker.rerank(options.query, options.documents)
const called = performance.now()
const result: NodeLoadResult = {
  importMs: imported - started,
  readyMs: ready - imported,
  firstCallMs: called - ready,
  info: { ...reranker.info },
}
await reranker.dispose()
console.log(JSON.stringify(result))

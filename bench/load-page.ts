// Browser side of the load benchmark (bench/load.ts): one createReranker call, timed from the
// call to `ready` and through the first rerank call, with the records of the instrumented worker
// (bench/load-worker.ts). The same page serves the previous code (`--before`): bench/load.ts then
// resolves `../src/` to that checkout, whose createReranker has no `worker` option, so the page
// substitutes the instrumented worker for the one it constructs.

import { createReranker, type ProgressEvent, type RerankerOptions } from '../src/index'
import { LOAD_BENCH_CHANNEL, type WorkerRecord } from './load-shared'

/** A progress event as the page received it, with its arrival time. */
export interface TimedProgress {
  status: string
  file?: string
  at: number
}

export interface PageLoadResult {
  /** Absolute ms (performance.timeOrigin + performance.now()) of the call, before the worker is constructed. */
  called: number
  ready: number
  firstCallStart: number
  firstCallEnd: number
  /** The reranker's `info`, as the code under test returns it. */
  info: Record<string, unknown>
  progress: TimedProgress[]
  worker: WorkerRecord | null
  crossOriginIsolated: boolean
}

const now = (): number => performance.timeOrigin + performance.now()

/** The instrumented worker, at the URL Vite's dev server gives a module worker. */
const benchWorker = (NativeWorker: typeof Worker): Worker =>
  new NativeWorker(new URL('./load-worker.ts?worker_file&type=module', import.meta.url), {
    type: 'module',
    name: 'webrerank',
  })

function collectWorkerRecord(timeoutMs = 5000): Promise<WorkerRecord | null> {
  const channel = new BroadcastChannel(LOAD_BENCH_CHANNEL)
  return new Promise<WorkerRecord | null>((resolve) => {
    const timer = setTimeout(() => {
      resolve(null)
    }, timeoutMs)
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data === 'collect') return
      clearTimeout(timer)
      resolve(event.data as WorkerRecord)
    }
    channel.postMessage('collect')
  }).finally(() => {
    channel.close()
  })
}

const api = {
  /**
   * `instrument`: 'option' passes the instrumented worker as `options.worker` (current code);
   * 'constructor' makes the page's `Worker` constructor build it instead (code without that option).
   * `withProgress`: pass an onProgress callback (transformers.js then reads bodies in chunks and,
   * for files under localModelPath, asks for each model file's size first with a GET of its own).
   */
  async load(
    options: RerankerOptions,
    query: string,
    documents: string[],
    instrument: 'option' | 'constructor',
    withProgress: boolean,
  ): Promise<PageLoadResult> {
    const progress: TimedProgress[] = []
    const NativeWorker = globalThis.Worker
    const called = now()
    if (instrument === 'constructor') {
      globalThis.Worker = function BenchWorker() {
        return benchWorker(NativeWorker)
      } as unknown as typeof Worker
    }
    let reranker
    try {
      reranker = await createReranker({
        ...options,
        ...(instrument === 'option' ? { worker: benchWorker(NativeWorker) } : {}),
        // Every event crosses from the worker as in an app with a progress bar; 'progress' ones are not kept.
        ...(withProgress
          ? {
              onProgress: (e: ProgressEvent) => {
                if (e.status !== 'progress')
                  progress.push({ status: e.status, ...('file' in e ? { file: e.file } : {}), at: now() })
              },
            }
          : {}),
      })
    } finally {
      globalThis.Worker = NativeWorker
    }
    const ready = now()
    const firstCallStart = now()
    await reranker.rerank(query, documents)
    const firstCallEnd = now()
    return {
      called,
      ready,
      firstCallStart,
      firstCallEnd,
      info: { ...reranker.info },
      progress,
      worker: await collectWorkerRecord(),
      crossOriginIsolated: globalThis.crossOriginIsolated,
    }
  },
}

;(globalThis as unknown as { loadBench: typeof api }).loadBench = api
export type LoadBenchApi = typeof api

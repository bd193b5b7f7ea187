// The Vite server the browser benchmarks load their pages from: the repository root, models from
// ../shared and test/.models, COOP/COEP for threads, and no file watching (edits elsewhere in the
// repository must not reload a page mid-run).

import { createServer } from 'vite'
import { ISOLATION_HEADERS } from '../test/support/chromium.js'
import { modelServer, REPO_ROOT } from '../test/support/model-server.js'

export async function startBenchServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = await createServer({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'error',
    plugins: [modelServer()],
    server: { port: 0, headers: { ...ISOLATION_HEADERS }, hmr: false, watch: null },
    optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'], include: ['comlink'] },
    worker: { format: 'es' },
  })
  await server.listen()
  const address = server.httpServer!.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { origin: `http://localhost:${port}`, close: () => server.close() }
}

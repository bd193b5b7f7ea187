// Vite plugin for tests and the demo: serves model folders with real 404s (Vite's SPA fallback
// would answer index.html for a missing file, which transformers.js would try to parse).
//   /models/         -> test/.models/ (generated test models)
//   /shared-models/  -> ../shared/models/ (real tokenizers and the benchmark fixture)
//   /shared-data/    -> ../shared/data/ (benchmark and evaluation data)
//   /faulty/<fault>-<run id>/ -> test/.models/, with a fault on every .onnx file:
//     truncate (half the bytes), cut (the connection drops half way), missing (404),
//     heal (truncated the first time a file is asked for, whole afterwards);
//     and on config.json: html (an SPA's index.html instead), htmlonce (that, the first time only)

import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const MOUNTS: Record<string, string> = {
  '/models/': path.join(REPO_ROOT, 'test/.models'),
  '/shared-models/': path.resolve(REPO_ROOT, '../shared/models'),
  '/shared-data/': path.resolve(REPO_ROOT, '../shared/data'),
}

export function modelServer(): Plugin {
  return {
    name: 'webrerank-model-server',
    configureServer(server) {
      server.middlewares.use(serveModels)
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveModels)
    },
  }
}

/** How often each faulty URL was asked for (for the `heal` fault). */
const faultyRequests = new Map<string, number>()

function serveModels(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = decodeURIComponent((req.url ?? '').split('?')[0]!)
  const faulty = /^\/faulty\/(truncate|cut|missing|heal|html|htmlonce)-[\w-]+(\/.*)$/.exec(url)
  if (faulty) {
    serveFaulty(faulty[1]!, url, path.join(REPO_ROOT, 'test/.models', faulty[2]!), res)
    return
  }
  const mount = Object.keys(MOUNTS).find((prefix) => url.startsWith(prefix))
  if (!mount) {
    next()
    return
  }
  const root = MOUNTS[mount]!
  const file = path.resolve(root, url.slice(mount.length))
  if (!file.startsWith(root + path.sep)) {
    res.statusCode = 403
    res.end()
    return
  }
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new Error('not a file')
    size = stat.size
  } catch {
    res.statusCode = 404
    res.end('not found')
    return
  }
  res.setHeader('Content-Length', size)
  res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  createReadStream(file).pipe(res)
}

function serveFaulty(fault: string, url: string, file: string, res: ServerResponse): void {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    res.statusCode = 404
    res.end('not found')
    return
  }
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  if (
    (fault === 'html' || fault === 'htmlonce') &&
    file.endsWith('config.json') &&
    !file.endsWith('tokenizer_config.json')
  ) {
    const seen = faultyRequests.get(url) ?? 0
    faultyRequests.set(url, seen + 1)
    if (fault === 'html' || seen === 0) {
      res.setHeader('Content-Type', 'text/html')
      res.end('<!doctype html><html><body>app</body></html>')
      return
    }
  }
  res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream')
  if (!file.endsWith('.onnx') || fault === 'html' || fault === 'htmlonce') {
    res.setHeader('Content-Length', size)
    createReadStream(file).pipe(res)
    return
  }
  const seen = faultyRequests.get(url) ?? 0
  faultyRequests.set(url, seen + 1)
  if (fault === 'missing') {
    res.statusCode = 404
    res.end('not found')
  } else if (fault === 'cut') {
    // Promise the whole file, send half, then drop the connection.
    res.setHeader('Content-Length', size)
    createReadStream(file, { end: Math.floor(size / 2) - 1 })
      .on('end', () => res.destroy())
      .pipe(res, { end: false })
  } else if (fault === 'truncate' || (fault === 'heal' && seen === 0)) {
    const half = Math.floor(size / 2)
    res.setHeader('Content-Length', half)
    createReadStream(file, { end: half - 1 }).pipe(res)
  } else {
    res.setHeader('Content-Length', size)
    createReadStream(file).pipe(res)
  }
}

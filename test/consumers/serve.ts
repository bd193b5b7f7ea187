// Serving a consumer app on loopback, the way its user would: `vite` (dev server), `vite build`
// + `vite preview`, or a static server for webpack's output. COOP/COEP come from a config file
// used only by these runs (for Vite) or the static server's headers: the app itself has none.

import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import sirv from 'sirv'
import { ISOLATION_HEADERS } from '../support/chromium.js'
import { NPM_ENV, type App } from './apps.js'

export interface Served {
  url: string
  close(): Promise<void>
}

/** Runs `cmd` in the app folder and resolves when it printed `ready` (a URL on stdout). */
function startProcess(
  app: App,
  args: string[],
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: app.dir,
      env: { ...NPM_ENV, NO_COLOR: '1', FORCE_COLOR: '0' },
      detached: true,
    })
    let output = ''
    const timer = setTimeout(() => {
      kill(child)
      reject(new Error(`timed out waiting for ${args.join(' ')}:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]! })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}

function kill(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

async function coiConfig(app: App): Promise<string> {
  const file = path.join(app.dir, 'coi.config.mjs')
  const headers = JSON.stringify(ISOLATION_HEADERS)
  await writeFile(
    file,
    `// test-only: COOP/COEP for threads, nothing else\nexport default { server: { headers: ${headers} }, preview: { headers: ${headers} } }\n`,
  )
  return file
}

const LOCAL_URL = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/

/** `vite` (dev) or `vite preview` (after a build) on a free loopback port. */
export async function serveVite(app: App, mode: 'dev' | 'preview', isolated: boolean): Promise<Served> {
  const vite = path.join(app.dir, 'node_modules/vite/bin/vite.js')
  const args = [vite, ...(mode === 'preview' ? ['preview'] : []), '--host', '127.0.0.1', '--port', '0']
  if (isolated) args.push('--config', await coiConfig(app))
  const { child, url } = await startProcess(app, args, LOCAL_URL)
  return {
    url,
    close: () => {
      kill(child)
      return Promise.resolve()
    },
  }
}

/** A static server (sirv, as many hosting setups) for a build folder. */
export async function serveStatic(dir: string, isolated: boolean): Promise<Served> {
  const files = sirv(dir, { dev: true, etag: true })
  const server: Server = createServer((req, res) => {
    if (isolated) for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value)
    files(req, res, () => {
      res.statusCode = 404
      res.end('not found')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve()
        }),
      ),
  }
}

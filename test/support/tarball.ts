// The packed tarball, as `npm publish` would upload it, shared by every test that installs it.
// Several test files (and several runs) need it at once, and `npm pack` rebuilds dist/ in place
// (prepack), so two packs at the same time would delete each other's build: one pack at a time,
// under a lock folder, and a tarball reused while the files it is built from are unchanged.

import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const STORE = path.join(tmpdir(), 'webrerank-tarballs')
const LOCK = path.join(STORE, 'pack.lock')
/** A pack takes ~30 s on 2 cores; a lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000

/** What the tarball is built from: any change to these makes a new one. */
const INPUTS = ['src', 'package.json', 'tsconfig.build.json', 'README.md', 'LICENSE']

async function listFiles(entry: string): Promise<string[]> {
  const full = path.join(ROOT, entry)
  if (!(await stat(full)).isDirectory()) return [entry]
  const names = await readdir(full, { recursive: true, withFileTypes: true })
  return names
    .filter((d) => d.isFile())
    .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)))
    .sort()
}

async function inputsKey(): Promise<string> {
  const hash = createHash('sha256')
  for (const entry of INPUTS) {
    for (const file of await listFiles(entry))
      hash
        .update(file)
        .update('\0')
        .update(await readFile(path.join(ROOT, file)))
  }
  return hash.digest('hex').slice(0, 16)
}

async function acquireLock(): Promise<void> {
  await mkdir(STORE, { recursive: true })
  for (;;) {
    try {
      await mkdir(LOCK)
      return
    } catch {
      const age = Date.now() - (await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs
      if (age > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true })
      else await new Promise((r) => setTimeout(r, 500))
    }
  }
}

/**
 * Path of `webrerank-<version>.tgz` packed from the working tree (`npm pack`, which runs the
 * prepack build). Reused while src/, package.json, tsconfig.build.json, README.md and LICENSE are
 * unchanged; never delete it (other test files may be installing it).
 */
export async function packedTarball(): Promise<string> {
  const key = await inputsKey()
  const dir = path.join(STORE, key)
  const done = path.join(dir, 'tarball-path')
  if (existsSync(done)) return (await readFile(done, 'utf8')).trim()
  await acquireLock()
  try {
    if (existsSync(done)) return (await readFile(done, 'utf8')).trim()
    const work = await mkdtemp(path.join(STORE, 'pack-'))
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    }).catch(async (err: unknown) => {
      // A failed build (e.g. a type error in src/) leaves nothing worth keeping.
      await rm(work, { recursive: true, force: true })
      throw err
    })
    const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string }]
    await rm(dir, { recursive: true, force: true })
    await rename(work, dir)
    const tarball = path.join(dir, path.basename(filename))
    await writeFile(done, tarball)
    return tarball
  } finally {
    await rm(LOCK, { recursive: true, force: true })
  }
}

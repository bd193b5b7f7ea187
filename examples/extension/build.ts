// Builds the example extension into examples/extension/dist/, which Chrome loads unpacked.
// webrerank comes from an installed package, never from ../../src: by default the tarball
// `npm pack` makes of this checkout, or a published version with --webrerank.
//
//   npm run build:extension                                  hub model, downloaded on first use
//   npm run build:extension -- --webrerank 0.1.0             a published webrerank
//   npm run build:extension -- --model webrerank-test/bert-tiny \
//     --package-model test/.models/webrerank-test/bert-tiny --dtype fp32   packaged model, offline

import { execFile } from 'node:child_process'
import { cp, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'

const run = promisify(execFile)
const HERE = import.meta.dirname
const ENV = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_audit: 'false', npm_config_fund: 'false' }

const { values } = parseArgs({
  options: {
    webrerank: { type: 'string' },
    model: { type: 'string' },
    'package-model': { type: 'string' },
    dtype: { type: 'string' },
  },
})
if (values['package-model'] && !values.model) throw new Error('--package-model needs --model (its name under models/).')

// Without --webrerank: this checkout's packed tarball (loaded only then, so a copy of this
// folder outside the repository builds with --webrerank <version or .tgz>).
const spec = values.webrerank ?? (await (await import('../../test/support/tarball.js')).packedTarball())
console.log(`installing webrerank from ${spec}`)
// --no-save: package.json keeps the published range; the tarball stands in for it.
await run('npm', ['install', '--no-save', '--prefer-offline', spec], { cwd: HERE, env: ENV, maxBuffer: 64 << 20 })
// Vite keeps pre-bundled dependencies between runs; a new tarball must not meet an old copy.
await rm(path.join(HERE, 'node_modules/.vite'), { recursive: true, force: true })

const viteEnv = {
  ...ENV,
  ...(values.model ? { VITE_MODEL: values.model } : {}),
  ...(values.dtype ? { VITE_DTYPE: values.dtype } : {}),
  ...(values['package-model'] ? { VITE_PACKAGED_MODEL: '1' } : {}),
}
const { stdout } = await run(process.execPath, [path.join(HERE, 'node_modules/vite/bin/vite.js'), 'build'], {
  cwd: HERE,
  env: viteEnv,
  maxBuffer: 64 << 20,
})
console.log(stdout)

// Content scripts are classic scripts: an import in content.js (a chunk shared with a page)
// would break it silently in the browser, so refuse the build here.
if (/^\s*import[\s{*"']/m.test(await readFile(path.join(HERE, 'dist/content.js'), 'utf8')))
  throw new Error('dist/content.js imports a chunk: content scripts cannot be modules.')

if (values['package-model']) {
  const target = path.join(HERE, 'dist/models', values.model!)
  await cp(path.resolve(values['package-model']), target, { recursive: true })
  console.log(`packaged ${values['package-model']} as ${path.relative(HERE, target)}`)
}
console.log(`built ${path.join(HERE, 'dist')}: load it in chrome://extensions ("Load unpacked")`)

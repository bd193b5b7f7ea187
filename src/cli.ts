#!/usr/bin/env node
// `webrerank serve`: loads models on onnxruntime-node and serves them with webrerank/server until
// SIGTERM or SIGINT, which drain requests in flight before the process exits 0.

import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import { DEFAULTS, DTYPES } from './api/defaults.js'
import type { Dtype, RerankerOptions } from './api/types.js'
import { createReranker, RerankError } from './node.js'
import { startServer, SERVER_DEFAULTS, type RunningServer } from './server/index.js'
import { loadModels, parseModelSpec, type ModelSpec } from './server/models.js'

const USAGE = `Usage: webrerank serve [options]

Serves rerank models over HTTP: POST /v1/rerank, /v2/rerank (Cohere v2), /rerank (TEI),
GET /v1/models.

Options:
  --model <spec>             a model to serve; repeatable. <spec> is a registry name, a hub id,
                             a folder under --local-model-path or a path (./x, /x), optionally
                             prefixed with a request name: name=model. The first model answers
                             requests that name none. Default: ${DEFAULTS.model}
  --local-model-path <dir>   folder holding <model id>/ folders, looked up before the hub
  --no-remote                never download from the Hugging Face hub
  --remote-host <url>        a hub mirror (default https://huggingface.co/)
  --dtype <dtype>            ${DTYPES.join(', ')} (default auto: q8 on CPU)
  --port <n>                 default ${SERVER_DEFAULTS.port}; 0 picks a free port
  --host <address>           default ${SERVER_DEFAULTS.host}; 0.0.0.0 listens on every interface
  --api-key <key>            require "Authorization: Bearer <key>" (default: $WEBRERANK_API_KEY)
  --quiet                    no request log
  -h, --help                 this text
  -v, --version              webrerank's version
`

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

interface Command {
  specs: ModelSpec[]
  /** Local models only: the server runs them on this machine. */
  rerankerOptions: RerankerOptions
  port: number
  host: string
  apiKey: string | undefined
  quiet: boolean
}

function parseCommand(argv: string[]): Command | 'help' | 'version' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string', multiple: true },
        'local-model-path': { type: 'string' },
        'no-remote': { type: 'boolean' },
        'remote-host': { type: 'string' },
        dtype: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const { values, positionals } = parsed
  if (values.help) return 'help'
  if (values.version) return 'version'
  if (positionals.length !== 1 || positionals[0] !== 'serve') {
    throw new UsageError(positionals.length === 0 ? 'no command given.' : `unknown command "${positionals.join(' ')}".`)
  }
  const specs = (values.model ?? [DEFAULTS.model]).map((value) => {
    const spec = parseModelSpec(value)
    if (typeof spec === 'string') throw new UsageError(spec)
    return spec
  })
  const dtype = values.dtype
  if (dtype !== undefined && !(DTYPES as readonly string[]).includes(dtype)) {
    throw new UsageError(`--dtype "${dtype}": use one of ${DTYPES.join(', ')}.`)
  }
  const port = values.port === undefined ? SERVER_DEFAULTS.port : Number(values.port)
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) {
    throw new UsageError(`--port "${values.port ?? ''}": use an integer from 0 to 65535.`)
  }
  const apiKey = values['api-key'] ?? (process.env.WEBRERANK_API_KEY === '' ? undefined : process.env.WEBRERANK_API_KEY)
  if (apiKey !== undefined && !/^[A-Za-z0-9._~+/-]+=*$/.test(apiKey)) {
    throw new UsageError('--api-key: use letters, digits and ._~+/- (a bearer token).')
  }
  const rerankerOptions: RerankerOptions = {
    ...(values['local-model-path'] === undefined ? {} : { localModelPath: withSlash(values['local-model-path']) }),
    ...(values['no-remote'] ? { allowRemoteModels: false } : {}),
    ...(values['remote-host'] === undefined ? {} : { remoteHost: values['remote-host'] }),
    ...(dtype === undefined ? {} : { dtype: dtype as Dtype }),
  }
  return {
    specs,
    rerankerOptions,
    port,
    host: values.host ?? SERVER_DEFAULTS.host,
    apiKey,
    quiet: values.quiet ?? false,
  }
}

/** transformers.js joins localModelPath and the model id as strings. */
function withSlash(dir: string): string {
  return /[/\\]$/.test(dir) ? dir : dir + '/'
}

async function main(): Promise<number> {
  let command
  try {
    command = parseCommand(process.argv.slice(2))
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`webrerank: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if (command === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  if (command === 'version') {
    const { version } = createRequire(import.meta.url)('../package.json') as { version: string }
    process.stdout.write(`${version}\n`)
    return 0
  }

  let models
  try {
    models = await loadModels(command.specs, command.rerankerOptions, createReranker)
  } catch (err) {
    process.stderr.write(`${err instanceof RerankError ? err.message : String(err)}\n`)
    return 1
  }
  let server: RunningServer
  try {
    server = await startServer(models.rerankers, {
      models: models.names,
      port: command.port,
      host: command.host,
      ...(command.apiKey === undefined ? {} : { apiKey: command.apiKey }),
      log: command.quiet ? false : (line) => process.stdout.write(`${line}\n`),
    })
  } catch (err) {
    process.stderr.write(
      `webrerank: cannot listen on ${command.host}:${command.port}: ${err instanceof Error ? err.message : String(err)}\n`,
    )
    await models.dispose()
    return 1
  }
  const served = models.rerankers.map(({ info }) => `${info.model} (${info.device}, ${info.dtype})`).join(', ')
  const aliases = Object.keys(models.names)
  process.stdout.write(
    `webrerank: serving ${served}${aliases.length ? `; also as ${aliases.join(', ')}` : ''}\n` +
      `webrerank: listening on ${server.url}\n`,
  )

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve)
    process.once('SIGINT', resolve)
  })
  process.stdout.write(`webrerank: ${signal}: draining ${server.inFlight} request(s) in flight\n`)
  // A second signal means "now": the operator gave up on the drain.
  const force = (): void => process.exit(1)
  process.once('SIGTERM', force)
  process.once('SIGINT', force)
  await server.close()
  await models.dispose()
  process.stdout.write('webrerank: stopped\n')
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`webrerank: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)

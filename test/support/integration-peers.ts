// The AI SDK and LangChain packages webrerank/ai-sdk and webrerank/langchain are tested with:
// the versions installed here, so that a consumer project installs them from the npm cache.

import { readFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')

function installed(name: string): string {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string
  }
  return `${name}@${version}`
}

/** `name@version` of `ai`, `@ai-sdk/provider` and `@langchain/core`, for `npm install`. */
export const INTEGRATION_PEERS = ['ai', '@ai-sdk/provider', '@langchain/core'].map(installed)

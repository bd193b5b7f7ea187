// Vite plugin for browser tests of the remote backend: a stand-in rerank server on the test
// page's own origin. POST /stub/v1/rerank answers in the /v1/rerank shape with a score that
// only depends on the text (longer documents first), so tests can predict the order.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Plugin } from 'vite'

/** The stub's score of a document: its length over 1,000 (in 0..1 for the tests' texts). */
export function stubScore(text: string): number {
  return Math.min(text.length / 1000, 1)
}

export function rerankStub(): Plugin {
  return {
    name: 'webrerank-rerank-stub',
    configureServer(server) {
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        if (req.url !== '/stub/v1/rerank' || req.method !== 'POST') {
          next()
          return
        }
        let raw = ''
        req.setEncoding('utf8')
        req.on('data', (chunk: string) => (raw += chunk))
        req.on('end', () => {
          const body = JSON.parse(raw) as { model?: string; documents: string[]; top_n?: number }
          const results = body.documents
            .map((text, index) => ({ index, relevance_score: stubScore(text) }))
            .sort((a, b) => b.relevance_score - a.relevance_score)
            .slice(0, body.top_n)
          const tokens = body.documents.join(' ').split(/\s+/).length
          res.setHeader('Content-Type', 'application/json')
          res.end(
            JSON.stringify({
              id: 'rerank-stub',
              model: body.model ?? 'stub',
              results,
              usage: { prompt_tokens: tokens, total_tokens: tokens },
            }),
          )
        })
      })
    },
  }
}

// The wire formats a remote backend speaks: each turns a checked request into the server's body
// and the server's answer back into webrerank's /v1/rerank response. Answers are checked, not
// trusted: every index must name a document once, every score must be a number.

import { DEFAULTS } from '../api/defaults.js'
import type { NormalizedRequest } from '../api/request.js'
import { responseId } from '../api/response.js'
import type { RemoteFormat, RerankResponse } from '../api/types.js'
import { fail } from '../api/validate.js'

/** One format: the request body, and the response read back. */
export interface WireFormat {
  body(request: NormalizedRequest, model: string | undefined): unknown
  parse(answer: unknown, request: NormalizedRequest, model: string | undefined): RerankResponse
}

/** A server's scored document, whatever the format called its fields. */
interface Scored {
  index: number
  score: number
}

/** max_tokens_per_doc only when the caller changed it: not every v1 server knows the field. */
function maxTokensField(request: NormalizedRequest): { max_tokens_per_doc?: number } {
  const n = request.long.maxTokensPerDoc
  return n === DEFAULTS.maxTokensPerDoc ? {} : { max_tokens_per_doc: n }
}

const FORMATS: Record<RemoteFormat, WireFormat> = {
  // Cohere v1, Jina, Voyage (results under `data`), vLLM, Infinity, webrerank.
  v1: {
    body: (request, model) => ({
      ...(model === undefined ? {} : { model }),
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
      return_documents: false,
      ...maxTokensField(request),
    }),
    parse: (answer, request, model) => {
      const body = record(answer)
      const list = body.results ?? body.data
      const usage = record(body.usage ?? {})
      const tokens = numberOr(usage.prompt_tokens, numberOr(usage.total_tokens, 0))
      return respond(request, scored(list, 'relevance_score', request), {
        id: stringOr(body.id, responseId()),
        model: stringOr(body.model, model ?? ''),
        tokens,
      })
    },
  },
  // Cohere's /v2/rerank: no model echo, token counts under meta.
  'cohere-v2': {
    body: (request, model) => ({
      ...(model === undefined ? {} : { model }),
      query: request.query,
      documents: request.documents,
      top_n: request.topN,
      ...maxTokensField(request),
    }),
    parse: (answer, request, model) => {
      const body = record(answer)
      const meta = record(body.meta ?? {})
      const tokens = record(meta.tokens ?? {})
      return respond(request, scored(body.results, 'relevance_score', request), {
        id: stringOr(body.id, responseId()),
        model: model ?? '',
        tokens: numberOr(tokens.input_tokens, 0),
      })
    },
  },
  // Hugging Face TEI's /rerank: a bare array of { index, score }, no top_n, no token counts.
  tei: {
    body: (request) => ({ query: request.query, texts: request.documents, raw_scores: false, truncate: true }),
    parse: (answer, request, model) =>
      respond(request, scored(answer, 'score', request), { id: responseId(), model: model ?? '', tokens: 0 }),
  },
}

/** The wire format of `format`. */
export function wireFormat(format: RemoteFormat): WireFormat {
  return FORMATS[format]
}

/** Best first (ties by index), cut to top_n, texts from the request (never the server's echo). */
function respond(
  request: NormalizedRequest,
  results: Scored[],
  meta: { id: string; model: string; tokens: number },
): RerankResponse {
  const ranked = [...results].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, request.topN)
  return {
    id: meta.id,
    model: meta.model,
    results: ranked.map(({ index, score }) => ({
      index,
      relevance_score: score,
      ...(request.returnDocuments ? { document: { text: request.documents[index]! } } : {}),
    })),
    usage: { prompt_tokens: meta.tokens, total_tokens: meta.tokens },
  }
}

/** The scored documents of an answer, checked against the request. */
function scored(list: unknown, scoreField: string, request: NormalizedRequest): Scored[] {
  if (!Array.isArray(list)) throw malformed('no list of results')
  const seen = new Set<number>()
  return list.map((item) => {
    const entry = record(item)
    const index = entry.index
    const score = entry[scoreField]
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= request.documents.length) {
      throw malformed(
        `a result's index is ${JSON.stringify(index)}, not one of the ${request.documents.length} documents`,
      )
    }
    if (seen.has(index)) throw malformed(`document ${index} is ranked twice`)
    seen.add(index)
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw malformed(`document ${index} has ${scoreField} ${JSON.stringify(score)}`)
    }
    return { index, score }
  })
}

function malformed(what: string): Error {
  return fail('inference_failed', `the rerank server's answer is malformed: ${what}.`)
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw malformed(`expected an object, got ${typeof value}`)
  return value as Record<string, unknown>
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

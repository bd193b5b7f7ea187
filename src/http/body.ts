// Reads a request body as JSON under a size limit: Content-Type, Content-Length and the bytes
// actually read are all checked, so a lying or missing Content-Length cannot exceed the limit.

import { abortError } from '../api/errors.js'
import { fail } from '../api/validate.js'
import { HttpError } from './responses.js'

/**
 * The body parsed as JSON. Throws HttpError 415 for a Content-Type other than JSON (`application/json`
 * or `*+json`; a missing one is read as JSON), 413 past `maxBytes`, RerankError `invalid_request`
 * (400) for bytes that are not UTF-8 JSON, `aborted` when the request's signal fires.
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('Content-Type')
  if (type !== null && !isJson(type)) {
    throw new HttpError(
      'unsupported_media_type',
      `the body must be JSON (Content-Type: application/json), not "${type}".`,
    )
  }
  const declared = request.headers.get('Content-Length')
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes)
  const text = await readText(request, maxBytes)
  if (request.signal.aborted) throw abortError()
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    const detail = err instanceof Error ? ` (${err.message})` : ''
    throw fail('invalid_request', `the request body is not valid JSON${detail}.`)
  }
}

function isJson(contentType: string): boolean {
  const mime = contentType.split(';')[0]!.trim().toLowerCase()
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'))
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError('payload_too_large', `the request body is larger than ${maxBytes} bytes.`)
}

/** Reads the body stream chunk by chunk, stopping (and cancelling it) as soon as it passes `maxBytes`. */
async function readText(request: Request, maxBytes: number): Promise<string> {
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel()
        throw tooLarge(maxBytes)
      }
      chunks.push(value)
    }
  } catch (err) {
    if (request.signal.aborted) throw abortError()
    throw err
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw fail('invalid_request', 'the request body is not valid UTF-8.')
  }
}

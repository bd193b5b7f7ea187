// Reads a corpus file: JSONL (one `{ "text", "title"?, "id"? }` object a line) or plain text
// (one document a line). Bad lines fail the whole file with their line number, so nothing half-loads.

import type { SearchDocumentInput } from '../src/index'

/** JSONL when the name says so or the first non-empty line opens an object; text otherwise. */
export function parseCorpus(name: string, content: string): SearchDocumentInput[] {
  const lines = content.split(/\r?\n/)
  const firstLine = lines.find((line) => line.trim() !== '') ?? ''
  const jsonl = /\.(jsonl|ndjson)$/i.test(name) || firstLine.trimStart().startsWith('{')
  const documents: SearchDocumentInput[] = []
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim()
    if (line === '') continue
    documents.push(jsonl ? parseJsonLine(line, `${name}, line ${i + 1}`) : line)
  }
  if (documents.length === 0) throw new Error(`${name}: no documents found.`)
  return documents
}

function parseJsonLine(line: string, where: string): SearchDocumentInput {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new Error(`${where}: not valid JSON.`)
  }
  const { text, title, id, _id } = (value ?? {}) as Record<string, unknown>
  if (typeof text !== 'string') throw new Error(`${where}: expected an object with a "text" string.`)
  const doc: { id?: string; text: string; title?: string } = { text }
  if (typeof title === 'string' && title !== '') doc.title = title
  // BEIR corpora name it "_id"; numbers are common too.
  const docId = id ?? _id
  if (typeof docId === 'string' || typeof docId === 'number') doc.id = String(docId)
  return doc
}

// Reads the shared benchmark fixture's reference.jsonl (212 real pairs with PyTorch logits and
// Hugging Face token ids), in Node from disk and in the browser through the model server.

export const SHARED_FIXTURE = 'fixtures/ms-marco-MiniLM-L-6-v2-random'

export interface ReferencePair {
  id: number
  source: string
  how: string
  qid: string
  query: string
  document: string
  input_ids: number[]
  token_type_ids: number[]
  truncated: boolean
  logit: number
}

export function parseReference(text: string): ReferencePair[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ReferencePair)
}

/** Pairs grouped by query, so one rerank call scores all documents of a query. */
export function groupByQuery(pairs: ReferencePair[]): { query: string; pairs: ReferencePair[] }[] {
  const groups = new Map<string, ReferencePair[]>()
  for (const pair of pairs) groups.set(pair.query, [...(groups.get(pair.query) ?? []), pair])
  return [...groups].map(([query, group]) => ({ query, pairs: group }))
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

// Builds model inputs for (query, document) pairs the way Hugging Face `tokenizers` and
// sentence-transformers do: each text is tokenized alone, the two are truncated together
// (`longest_first`) to leave room for the special tokens, then the pair template is applied.
// transformers.js 4.3.1 instead cuts the finished sequence, losing the final separator and,
// with a long query, the whole document; doing it here keeps scores equal to Python's.

/** One slot of a pair template: the query (A), the document (B), or a special token. */
export type TemplateItem =
  { kind: 'A'; typeId: number } | { kind: 'B'; typeId: number } | { kind: 'special'; id: number; typeId: number }

/** How a model lays out a pair, e.g. BERT's `[CLS] A [SEP] B [SEP]` with type ids 0,0,0,1,1. */
export interface PairTemplate {
  items: TemplateItem[]
  /** Number of special tokens the template adds. */
  specialTokens: number
}

export function makeTemplate(items: TemplateItem[]): PairTemplate {
  return { items, specialTokens: items.filter((item) => item.kind === 'special').length }
}

/** An encoded pair, ready to be batched. */
export interface EncodedPair {
  inputIds: number[]
  tokenTypeIds: number[]
}

/**
 * Lengths to keep of two sequences of lengths `n1`, `n2` so they fit in `maxLength`, following
 * `tokenizers`' `longest_first` strategy: cut only the longer one when that is enough, otherwise
 * give each half (the longer one the odd token).
 */
export function truncateLongestFirst(n1: number, n2: number, maxLength: number): [number, number] {
  if (n1 + n2 <= maxLength) return [n1, n2]
  const swap = n1 > n2
  let short = swap ? n2 : n1
  // The longer one keeps what the shorter leaves (at least as much as the shorter keeps).
  let long = short > maxLength ? short : Math.max(short, maxLength - short)
  if (short + long > maxLength) {
    short = Math.floor(maxLength / 2)
    long = short + (maxLength % 2)
  }
  return swap ? [long, short] : [short, long]
}

/**
 * Encodes one pair from already-tokenized texts (no special tokens), truncating so the whole
 * sequence, special tokens included, fits in `maxTokens`.
 */
export function encodePair(
  template: PairTemplate,
  queryIds: readonly number[],
  documentIds: readonly number[],
  maxTokens: number,
): EncodedPair {
  const room = Math.max(0, maxTokens - template.specialTokens)
  const [qLen, dLen] = truncateLongestFirst(queryIds.length, documentIds.length, room)
  const inputIds: number[] = []
  const tokenTypeIds: number[] = []
  for (const item of template.items) {
    if (item.kind === 'special') {
      inputIds.push(item.id)
      tokenTypeIds.push(item.typeId)
      continue
    }
    const ids = item.kind === 'A' ? queryIds : documentIds
    const len = item.kind === 'A' ? qLen : dLen
    for (let i = 0; i < len; i++) {
      inputIds.push(ids[i]!)
      tokenTypeIds.push(item.typeId)
    }
  }
  return { inputIds, tokenTypeIds }
}

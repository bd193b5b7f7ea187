// Builds model inputs for a request (query + documents), per model family:
// - cross-encoders: the tokenizer's own pair template, HF-exact truncation (pair-template.ts);
// - Qwen3-Reranker: the model card's chat prompt around an Instruct/Query/Document block.
// Long documents are either truncated or split into overlapping windows (chunk mode).

import type { LongDocumentOptions } from '../api/options.js'
import type { EncodedPair } from './pair-template.js'
import type { PairTokenizer } from './tokenizer.js'

/** An encoded pair and the request document it belongs to (several in chunk mode). */
export interface DocumentPair extends EncodedPair {
  doc: number
}

/** Builds the model inputs of a request's pairs for one model family. */
export interface InputBuilder {
  readonly maxTokens: number
  readonly padId: number
  /** Causal LMs read the last position, so they pad on the left; encoders on the right. */
  readonly padSide: 'left' | 'right'
  encodeRequest(query: string, documents: readonly string[], long: LongDocumentOptions): DocumentPair[]
}

/** One pair exactly as a one-document request encodes it (no per-document cap, truncated to fit). */
export function buildOnePair(encoder: InputBuilder, query: string, document: string): DocumentPair {
  return encoder.encodeRequest(query, [document], { maxTokensPerDoc: Infinity, mode: 'truncate' })[0]!
}

/** Fraction of a window repeated in the next one, so an answer spanning a cut is seen whole once. */
const CHUNK_OVERLAP = 1 / 8

/** Start offsets of windows of `size` over `length` tokens, overlapping by CHUNK_OVERLAP. */
export function windowStarts(length: number, size: number): number[] {
  if (length <= size) return [0]
  const stride = Math.max(1, size - Math.floor(size * CHUNK_OVERLAP))
  const starts: number[] = []
  for (let start = 0; ; start += stride) {
    if (start + size >= length) {
      starts.push(Math.max(0, length - size)) // the last window ends at the document's end
      break
    }
    starts.push(start)
  }
  return starts
}

/** What every encoder reads off its tokenizer. */
abstract class TokenizerEncoder implements InputBuilder {
  abstract readonly padSide: 'left' | 'right'

  constructor(protected readonly tokenizer: PairTokenizer) {}

  get maxTokens(): number {
    return this.tokenizer.maxTokens
  }

  get padId(): number {
    return this.tokenizer.padId
  }

  abstract encodeRequest(query: string, documents: readonly string[], long: LongDocumentOptions): DocumentPair[]
}

/** BERT, XLM-RoBERTa and other sequence-classification cross-encoders. */
export class CrossEncoderInputs extends TokenizerEncoder {
  readonly padSide = 'right'

  encodeRequest(query: string, documents: readonly string[], long: LongDocumentOptions): DocumentPair[] {
    const t = this.tokenizer
    // The query is tokenized once and reused for every pair; each document once.
    // Only the first maxTokens of a query can survive truncation (longest_first keeps at most that much).
    const queryIds = t.encodePrefix(query, this.maxTokens)
    // In chunk mode the query keeps at most half the room, the document windows get the rest.
    const room = this.maxTokens - t.template.specialTokens
    const window = room - Math.min(queryIds.length, Math.floor(room / 2))
    return documents.flatMap((text, doc) => {
      const ids = t.encodePrefix(text, long.maxTokensPerDoc)
      if (long.mode === 'truncate' || queryIds.length + ids.length <= room)
        return [{ ...t.encodePair(queryIds, ids), doc }]
      return windowStarts(ids.length, window).map((start) => ({
        ...t.encodePair(queryIds, ids.slice(start, start + window)),
        doc,
      }))
    })
  }
}

/** The Qwen3-Reranker prompt pieces and the answer tokens, from its model card. */
export interface Qwen3PromptSpec {
  prefix: string
  suffix: string
  instruction: string
  block: (instruction: string, query: string, document: string) => string
}

/**
 * Qwen3-Reranker: `prefix + "<Instruct>: …\n<Query>: …\n<Document>: …" + suffix`, the block
 * tokenized as one string (as the card does: BPE merges cross the field boundaries) and cut at
 * its end to fit, prefix and suffix always kept.
 */
export class Qwen3Inputs extends TokenizerEncoder {
  readonly padSide = 'left'
  private readonly prefixIds: number[]
  private readonly suffixIds: number[]

  constructor(
    tokenizer: PairTokenizer,
    private readonly prompt: Qwen3PromptSpec,
  ) {
    super(tokenizer)
    this.prefixIds = tokenizer.encodeText(prompt.prefix)
    this.suffixIds = tokenizer.encodeText(prompt.suffix)
  }

  encodeRequest(query: string, documents: readonly string[], long: LongDocumentOptions): DocumentPair[] {
    const t = this.tokenizer
    const room = this.maxTokens - this.prefixIds.length - this.suffixIds.length
    const pair = (text: string, doc: number): DocumentPair => {
      const ids = [
        ...this.prefixIds,
        ...t.encodePrefix(this.prompt.block(this.prompt.instruction, query, text), room),
        ...this.suffixIds,
      ]
      return { inputIds: ids, tokenTypeIds: ids.map(() => 0), doc }
    }
    // Room left for the document once the instruction and query are in the block.
    const window = room - t.encodePrefix(this.prompt.block(this.prompt.instruction, query, ''), room + 1).length
    return documents.flatMap((text, doc) => {
      const allIds = t.encodePrefix(text, long.maxTokensPerDoc + 1)
      const docIds = allIds.slice(0, long.maxTokensPerDoc)
      const capped = docIds.length < allIds.length ? t.decode(docIds) : text
      if (long.mode === 'truncate' || docIds.length <= window || window < 16) return [pair(capped, doc)]
      // Windows are cut on token ids and decoded back to text for the prompt.
      return windowStarts(docIds.length, window).map((start) =>
        pair(t.decode(docIds.slice(start, start + window)), doc),
      )
    })
  }
}

// Adapts a transformers.js tokenizer to what pair encoding needs: ids of one text without
// special tokens, and the model's pair template. Also repairs two places where transformers.js'
// BERT normalizer differs from Hugging Face `tokenizers` (see normalizeForBert).

import { encodePair, makeTemplate, type EncodedPair, type PairTemplate, type TemplateItem } from './pair-template.js'

/**
 * The parts of a transformers.js 4.x `PreTrainedTokenizer` we use, typed structurally so its
 * types never reach our API. `_tokenizer` is the underlying `@huggingface/tokenizers` object:
 * its post-processor is the only place the pair template is available.
 */
export interface HfTokenizerLike {
  encode(text: string, options: { add_special_tokens: boolean }): number[]
  decode(ids: number[], options: { skip_special_tokens: boolean }): string
  model_max_length?: number
  pad_token_id?: number | null
  _tokenizer: {
    post_processor:
      | ((
          a: string[],
          b: string[] | null,
          addSpecial: boolean,
        ) => {
          tokens: string[]
          token_type_ids?: number[]
          tokens_pair?: string[]
        })
      | null
    normalizer: { config?: { type?: string; lowercase?: boolean; handle_chinese_chars?: boolean } } | null
    token_to_id(token: string): number | undefined
    added_tokens: { content: string }[]
  }
}

/** Tokens beyond the limit that a prefix must yield, so a word split by the cut is never kept. */
const PREFIX_MARGIN = 16

const MARK_A = '\u0000webrerank:A'
const MARK_B = '\u0000webrerank:B'

/** Reads the pair template by running the post-processor on two marker tokens. */
export function readPairTemplate(tokenizer: HfTokenizerLike): PairTemplate {
  const post = tokenizer._tokenizer.post_processor
  if (!post)
    return makeTemplate([
      { kind: 'A', typeId: 0 },
      { kind: 'B', typeId: 1 },
    ])
  const out = post([MARK_A], [MARK_B], true)
  const tokens = out.tokens_pair ? [...out.tokens, ...out.tokens_pair] : out.tokens
  const typeIds = out.token_type_ids ?? tokens.map(() => 0)
  const items: TemplateItem[] = tokens.map((token, i) => {
    const typeId = typeIds[i] ?? 0
    if (token === MARK_A) return { kind: 'A', typeId }
    if (token === MARK_B) return { kind: 'B', typeId }
    const id = tokenizer._tokenizer.token_to_id(token)
    if (id === undefined)
      throw new Error(`Special token ${JSON.stringify(token)} of the pair template is not in the vocabulary.`)
    return { kind: 'special', id, typeId }
  })
  return makeTemplate(items)
}

// CJK Unified Ideographs outside the BMP, as `tokenizers`' is_chinese_char lists them.
const ASTRAL_CJK =
  /([\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{2F800}-\u{2FA1F}])/gu

/**
 * Pre-normalizes text for a BERT normalizer so transformers.js tokenizes it as `tokenizers` does:
 * - lowercases code point by code point (`tokenizers` does; JS `toLowerCase()` on the whole
 *   string applies the Greek final-sigma rule, turning a final `Σ` into `ς` instead of `σ`);
 * - puts spaces around CJK ideographs outside the BMP (transformers.js walks UTF-16 code units
 *   and misses them, so `𠮷x` would become one unknown word instead of two).
 * Both are idempotent under the real normalizer, so this changes nothing else.
 */
export function normalizeForBert(text: string, lowercase: boolean, chineseChars: boolean): string {
  let out = chineseChars ? text.replace(ASTRAL_CJK, ' $1 ') : text
  if (lowercase) out = Array.from(out, (ch) => ch.toLowerCase()).join('')
  return out
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Tokenizes texts and encodes pairs for one model. */
export class PairTokenizer {
  readonly template: PairTemplate
  readonly maxTokens: number
  /** Id used to pad batches (masked out, so its value only has to be a valid id). */
  readonly padId: number
  private readonly fixBert: { lowercase: boolean; chineseChars: boolean } | null
  private readonly addedTokens: RegExp | null

  constructor(
    private readonly tokenizer: HfTokenizerLike,
    maxTokens: number,
  ) {
    this.template = readPairTemplate(tokenizer)
    this.maxTokens = maxTokens
    this.padId = tokenizer.pad_token_id ?? 0
    const config = tokenizer._tokenizer.normalizer?.config
    this.fixBert =
      config?.type === 'BertNormalizer'
        ? { lowercase: config.lowercase === true, chineseChars: config.handle_chinese_chars === true }
        : null
    // Added tokens (e.g. a literal "[SEP]" in a document) are matched before normalization, so
    // the pre-normalization must leave them untouched: split them out first.
    const contents = tokenizer._tokenizer.added_tokens.map((t) => t.content).filter((c) => c.length > 0)
    contents.sort((a, b) => b.length - a.length)
    this.addedTokens = contents.length ? new RegExp(`(${contents.map(escapeRegExp).join('|')})`) : null
  }

  /** Token ids of one text, without special tokens and without truncation. */
  encodeText(text: string): number[] {
    if (text === '') return []
    return this.tokenizer.encode(this.prepare(text), { add_special_tokens: false })
  }

  /**
   * The first `limit` token ids of `text` (fewer if it has fewer), without tokenizing all of a
   * huge text: a 10 MB document would otherwise take seconds though only its first tokens are
   * used. Tokenizes a prefix cut at whitespace (where the pre-tokenizers of our families split,
   * so the tokens before the cut do not change) that is long enough to hold `limit` tokens plus
   * a margin, doubling it until it does.
   */
  encodePrefix(text: string, limit: number): number[] {
    // Most tokens span under 8 characters; 16 per token rarely needs a second round.
    for (let chars = 16 * (limit + PREFIX_MARGIN); ; chars *= 2) {
      if (chars >= text.length) return this.encodeText(text).slice(0, limit)
      const space = text.lastIndexOf(' ', chars)
      // No whitespace to cut at (e.g. CJK text): cut at a character; the margin absorbs the word it splits.
      const cut = space > chars / 2 ? space : chars
      const ids = this.encodeText(text.slice(0, cut))
      if (ids.length >= limit + PREFIX_MARGIN) return ids.slice(0, limit)
    }
  }

  /** Id of one vocabulary token (e.g. an answer token of an LLM reranker). */
  tokenId(token: string): number {
    const id = this.tokenizer._tokenizer.token_to_id(token)
    if (id === undefined) throw new Error(`Token ${JSON.stringify(token)} is not in the vocabulary.`)
    return id
  }

  /** Text of token ids (used to turn token windows of a document back into text for prompts). */
  decode(ids: number[]): string {
    return ids.length ? this.tokenizer.decode(ids, { skip_special_tokens: false }) : ''
  }

  /** Encodes a pair from ids returned by {@link encodeText}. */
  encodePair(queryIds: readonly number[], documentIds: readonly number[]): EncodedPair {
    return encodePair(this.template, queryIds, documentIds, this.maxTokens)
  }

  private prepare(text: string): string {
    const fix = this.fixBert
    if (!fix || (!fix.lowercase && !fix.chineseChars)) return text
    const parts = this.addedTokens ? text.split(this.addedTokens) : [text]
    // split() with a capture group puts the matched added tokens at odd indexes.
    return parts
      .map((part, i) => (i % 2 === 1 ? part : normalizeForBert(part, fix.lowercase, fix.chineseChars)))
      .join('')
  }
}

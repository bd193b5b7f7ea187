// The Qwen3-Reranker prompt as a test-side oracle: the library builds its own and is compared
// against this string (and the token ids expected.json derives from it).
//
// Source: the "Transformers Usage" example of the Qwen/Qwen3-Reranker-0.6B model card
// (/work/shared/models/Qwen/Qwen3-Reranker-0.6B/README.md), which defines `prefix`, `suffix` and
// `format_instruction` and scores with the logits of "yes" and "no" at the last position. The card
// tokenizes prefix, block and suffix apart and joins the ids; the joined string gives the same ids
// (test/qwen3-model.test.ts checks it), so one string per pair is a faithful oracle. The same
// bytes come out of tokenizer_config.json's chat template for a system message (the judge line) and
// a user message (the Instruct/Query/Document block) with add_generation_prompt=True and
// enable_thinking=False: '<|im_start|>system\n…<|im_end|>\n<|im_start|>user\n…<|im_end|>\n'
// + '<|im_start|>assistant\n' + '<think>\n\n</think>\n\n'.
// Not the card's vLLM example: that one separates Instruct/Query/Document with "\n\n" and, by appending
// `suffix` to a chat-template rendering that already ends in '<|im_end|>\n', repeats '<|im_end|>\n'.

/** The system turn's content. */
export const QWEN3_RERANKER_SYSTEM =
  'Judge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
  'Note that the answer can only be "yes" or "no".'

/** Everything before the Instruct/Query/Document block, special tokens included. */
export const QWEN3_RERANKER_PREFIX = `<|im_start|>system\n${QWEN3_RERANKER_SYSTEM}<|im_end|>\n<|im_start|>user\n`

/** Closes the user turn and opens an assistant turn with an empty think block; the next token is the answer. */
export const QWEN3_RERANKER_SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n'

/** format_instruction's default when no instruction is given. */
export const DEFAULT_INSTRUCTION = 'Given a web search query, retrieve relevant passages that answer the query'

/** The answer tokens whose last-position logits make the score (1_LogitScore/config.json: true 9693, false 2152). */
export const QWEN3_YES_TOKEN_ID = 9693
export const QWEN3_NO_TOKEN_ID = 2152

/** The user turn's content: format_instruction in the model card. */
export function formatQwen3Block(query: string, document: string, instruction: string = DEFAULT_INSTRUCTION): string {
  return `<Instruct>: ${instruction}\n<Query>: ${query}\n<Document>: ${document}`
}

/** The whole prompt for one pair, exactly as prefix + format_instruction(...) + suffix in the model card. */
export function formatQwen3Pair(query: string, document: string, instruction: string = DEFAULT_INSTRUCTION): string {
  return `${QWEN3_RERANKER_PREFIX}${formatQwen3Block(query, document, instruction)}${QWEN3_RERANKER_SUFFIX}`
}

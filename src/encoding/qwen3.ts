// The Qwen3-Reranker prompt, from the model card's "Transformers Usage" example
// (Qwen/Qwen3-Reranker-0.6B): a system turn that asks for "yes" or "no", a user turn with the
// Instruct/Query/Document block, and an assistant turn opened after an empty think block.
// The score is P("yes") from the logits of "yes" and "no" at the last position.

import type { Qwen3PromptSpec } from './inputs.js'

export const QWEN3_DEFAULT_INSTRUCTION = 'Given a web search query, retrieve relevant passages that answer the query'

const SYSTEM =
  'Judge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
  'Note that the answer can only be "yes" or "no".'

/** The card's example truncates prompts to 8192 tokens. */
export const QWEN3_MAX_TOKENS = 8192

export function qwen3Prompt(instruction: string = QWEN3_DEFAULT_INSTRUCTION): Qwen3PromptSpec {
  return {
    prefix: `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n`,
    suffix: '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    instruction,
    block: (instr, query, document) => `<Instruct>: ${instr}\n<Query>: ${query}\n<Document>: ${document}`,
  }
}

/** The answer tokens, as the card names them. */
export const QWEN3_ANSWERS = { yes: 'yes', no: 'no' } as const

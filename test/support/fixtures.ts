// Inputs and an assertion the API, AI SDK and LangChain suites share.

import { expect } from 'vitest'
import type { RerankError as RerankErrorClass } from '../../src/index'

export const QUERY = 'capital of France'

/** Five one-sentence documents: two about Paris, one about Berlin, two unrelated. */
export const DOCS = [
  'Paris is the capital and most populous city of France.',
  'The mitochondria is the powerhouse of the cell.',
  'Berlin is the capital of Germany.',
  'Photosynthesis converts light energy into chemical energy.',
  'The Eiffel Tower is a wrought-iron lattice tower in Paris.',
]

/**
 * Runs `fn`, expecting a RerankError; returns it. The class comes from `ctx` because in Chromium it is
 * the one the page's bundle loaded, not this module's.
 */
export async function rejection(
  ctx: { readonly RerankError: typeof RerankErrorClass },
  fn: () => Promise<unknown>,
): Promise<RerankErrorClass> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ctx.RerankError)
    return err as RerankErrorClass
  }
  throw new Error('expected a rejection')
}

// Generates the random-weight test models once before any project runs (skipped when fresh).

import { ensureTestModels } from '../models/generate'

export default async function setup(): Promise<void> {
  await ensureTestModels()
}

// Generates the random-weight test models (skipped when fresh), the broken model and the
// expected scores, once before any project runs.

import { ensureTestModels } from '../models/generate'
import { writeBrokenModel, writeExpectations } from '../models/expectations'

export default async function setup(): Promise<void> {
  await ensureTestModels()
  await writeBrokenModel()
  await writeExpectations()
}

// Generates the random-weight test models (skipped when fresh), the broken model and the
// expected scores, once before any project runs.

import { ensureDebertaJinaModels } from '../models/deberta-jina'
import { ensureTestModels } from '../models/generate'
import { writeBrokenModel, writeExpectations } from '../models/expectations'
import { ensureQwen3Model } from '../models/qwen3'
import { writeXlmrExpectations } from '../models/xlmr-expectations'

export default async function setup(): Promise<void> {
  await ensureTestModels()
  await ensureQwen3Model()
  await ensureDebertaJinaModels()
  // After ensureTestModels: a regeneration replaces the model folders these files live in.
  await writeBrokenModel()
  await writeExpectations()
  await writeXlmrExpectations()
}

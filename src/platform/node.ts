// Node platform: onnxruntime-node on the CPU, no WebGPU.

import { availableParallelism } from 'node:os'
import path from 'node:path'
import type { Platform } from './types.js'

/** onnxruntime-node's pool is sized explicitly (see transformers.ts), to the machine unless the caller says. */
export function nodeThreads(requested: number | undefined): number {
  return requested ?? availableParallelism()
}

export const nodePlatform: Platform = {
  kind: 'node',
  prepare: () => undefined,
  threadsNote: () => undefined,
  webGpuAdapter: () => Promise.resolve({ ok: false, reason: 'WebGPU is not used in Node.' }),
}

/** A model given as a folder path (`./models/x`, `/abs/x`): hub ids never start with `.` or `/`. */
export function isFolderPath(model: string): boolean {
  return model.startsWith('.') || path.isAbsolute(model)
}

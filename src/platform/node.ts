// Node platform: onnxruntime-node on the CPU, no WebGPU.

import { availableParallelism } from 'node:os'
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

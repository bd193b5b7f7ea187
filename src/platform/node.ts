// Node platform: onnxruntime-node on the CPU, no WebGPU.

import { availableParallelism } from 'node:os'
import type { Platform } from '../engine/device.js'

export const nodePlatform: Platform = {
  kind: 'node',
  // onnxruntime-node sizes its own thread pool to the machine; we report what it sees.
  prepare: () => availableParallelism(),
  webGpuAdapter: () => Promise.resolve({ ok: false, reason: 'WebGPU is not used in Node.' }),
}

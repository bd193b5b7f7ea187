// Chooses where the model runs. WebGPU is used only when it demonstrably works: an adapter
// exists, the model loads on it, and a probe pair scores like WASM does. Anything else falls
// back to WASM with the reason recorded, because `'gpu' in navigator` says nothing about that.

import { DEFAULTS, PROBE_PAIRS } from '../api/defaults.js'
import { RerankError } from '../api/errors.js'
import type { ResolvedOptions } from '../api/options.js'
import type { ProgressEvent, ResolvedDevice, ResolvedDtype } from '../api/types.js'
import { fail } from '../api/validate.js'
import { buildOnePair } from '../encoding/inputs.js'
import { loadSession, type ModelInputs, type ScoringSession } from '../platform/transformers.js'
import type { Platform, WebGpuAdapterCheck } from '../platform/types.js'

export interface DeviceChoice {
  session: ScoringSession
  fallbackReason?: string
}

/**
 * The dtype to load: the caller's, else the `'auto'` dtype of the device (registry's, else ours).
 * fp16 on WebGPU needs the adapter's `shader-f16`; without it the next available of fp32, q8 is used.
 */
export function resolveDtype(options: ResolvedOptions, device: ResolvedDevice, shaderF16 = false): ResolvedDtype {
  const { dtype, autoDtype, availableDtypes } = options
  let chosen: ResolvedDtype = dtype === 'auto' ? autoDtype[device] : dtype
  if (dtype === 'auto' && device === 'webgpu' && chosen === 'fp16' && !shaderF16) {
    chosen = (['fp32', 'q8'] as const).find((t) => !availableDtypes || availableDtypes.includes(t)) ?? chosen
  }
  if (availableDtypes && !availableDtypes.includes(chosen)) {
    throw fail(
      'invalid_request',
      `"${options.modelId}" has no ${chosen} weights; use dtype ${availableDtypes.map((d) => `"${d}"`).join(', ')} or "auto".`,
    )
  }
  return chosen
}

/** Scores of the probe pairs, in one padded batch. */
async function probeScores(session: ScoringSession, inputs: ModelInputs): Promise<number[]> {
  return Array.from(await session.score(PROBE_PAIRS.map((p) => buildOnePair(inputs.builder, p.query, p.document))))
}

/** Loads the model where it works best, following the rules above. */
export async function chooseDevice(
  options: ResolvedOptions,
  inputs: ModelInputs,
  platform: Platform,
  adapter: WebGpuAdapterCheck,
  onProgress?: (e: ProgressEvent) => void,
): Promise<DeviceChoice> {
  const { device } = options
  const load = (d: ResolvedDevice, t: ResolvedDtype): Promise<ScoringSession> =>
    loadSession(options.source, d, t, inputs, onProgress, options.threads)

  if (platform.kind === 'node') {
    if (device !== 'auto' && device !== 'cpu') {
      throw fail('invalid_request', `device "${device}" is not available in Node; use "auto" or "cpu".`)
    }
    return { session: await load('cpu', resolveDtype(options, 'cpu')) }
  }
  if (device === 'cpu') {
    throw fail('invalid_request', 'device "cpu" is for Node; in the browser use "auto", "webgpu" or "wasm".')
  }
  if (device === 'wasm') return { session: await load('wasm', resolveDtype(options, 'wasm')) }

  const strict = device === 'webgpu'
  const fallback = async (reason: string): Promise<DeviceChoice> => {
    if (strict) throw fail('webgpu_unavailable', reason)
    return { session: await load('wasm', resolveDtype(options, 'wasm')), fallbackReason: reason }
  }

  if (!adapter.ok) return fallback(adapter.reason)
  const gpuDtype = resolveDtype(options, 'webgpu', adapter.shaderF16)
  const admitted = await admitWebGpu(load, gpuDtype, inputs, strict)
  if ('session' in admitted) return { session: admitted.session }
  if (admitted.sessionFailed && !strict) {
    // transformers.js cannot create another session in this worker after a failed one (see
    // RerankError.retry): the page loads the model again, on WASM, in a fresh worker.
    throw fail('model_load_failed', admitted.reason, { retry: { device: 'wasm', reason: admitted.reason } })
  }
  return fallback(admitted.reason)
}

/**
 * Loads the model on WebGPU and checks it on the probe pair: a finite score and, unless the
 * caller insisted on WebGPU, within the tolerance of WASM with the same dtype. Returns the
 * session, or why WebGPU was not admitted.
 */
async function admitWebGpu(
  load: (d: ResolvedDevice, t: ResolvedDtype) => Promise<ScoringSession>,
  dtype: ResolvedDtype,
  inputs: ModelInputs,
  strict: boolean,
): Promise<{ session: ScoringSession } | { reason: string; sessionFailed: boolean }> {
  let gpu: ScoringSession
  try {
    gpu = await load('webgpu', dtype)
  } catch (err) {
    return {
      reason: `The model failed to load on WebGPU: ${err instanceof Error ? err.message : String(err)}`,
      sessionFailed: true,
    }
  }
  let reason: string | undefined
  try {
    const gpuScores = await probeScores(gpu, inputs)
    const bad = gpuScores.findIndex((s) => !Number.isFinite(s))
    if (bad >= 0) reason = `WebGPU scored probe pair ${bad + 1} of ${gpuScores.length} as ${gpuScores[bad]}.`
    else if (!strict) {
      // Same dtype on both sides, so only the backend differs.
      const cpu = await load('wasm', dtype)
      const cpuScores = await probeScores(cpu, inputs).finally(() => cpu.dispose())
      const tolerance = dtype === 'fp32' ? DEFAULTS.probeTolerance : DEFAULTS.probeTolerance * 5
      const worst = gpuScores.reduce(
        (w, s, i) => (Math.abs(s - cpuScores[i]!) > Math.abs(gpuScores[w]! - cpuScores[w]!) ? i : w),
        0,
      )
      if (Math.abs(gpuScores[worst]! - cpuScores[worst]!) > tolerance) {
        reason =
          `WebGPU disagreed with WASM on probe pair ${worst + 1} of ${gpuScores.length} ` +
          `(${gpuScores[worst]!.toFixed(4)} vs ${cpuScores[worst]!.toFixed(4)}).`
      }
    }
  } catch (err) {
    await gpu.dispose().catch(() => undefined)
    if (err instanceof RerankError && err.code !== 'inference_failed') throw err
    return {
      reason: `WebGPU failed on the probe pairs: ${err instanceof Error ? err.message : String(err)}`,
      sessionFailed: false,
    }
  }
  if (reason === undefined) return { session: gpu }
  await gpu.dispose()
  return { reason, sessionFailed: false }
}

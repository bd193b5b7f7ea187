// Chooses where the model runs. WebGPU is used only when it demonstrably works: an adapter
// exists, the model loads on it, and a probe pair scores like WASM does. Anything else falls
// back to WASM with the reason recorded, because `'gpu' in navigator` says nothing about that.

import { AUTO_DTYPE, DEFAULTS, PROBE_PAIR } from '../api/defaults.js'
import { encodeOnePair } from '../encoding/inputs.js'
import { RerankError } from '../api/errors.js'
import type { EngineOptions } from './engine.js'
import { loadSession, type LoadedEncoder, type ModelSource, type ScoringSession } from '../platform/transformers.js'
import type { Device, Dtype, ProgressEvent, ResolvedDevice, ResolvedDtype } from '../api/types.js'

/** What differs between the browser worker and Node. */
export interface Platform {
  kind: 'browser' | 'node'
  /** Configures the runtime for these options before any load; returns the threads it will use. */
  prepare(options: EngineOptions): number
  /** A WebGPU adapter and whether it can run fp16 shaders, or why there is none. */
  webGpuAdapter(): Promise<WebGpuAdapterCheck>
}

export type WebGpuAdapterCheck = { ok: true; shaderF16: boolean } | { ok: false; reason: string }

export interface DeviceChoice {
  session: ScoringSession
  fallbackReason?: string
}

interface ChooseOptions {
  source: ModelSource
  device: Device
  dtype: Dtype
  loaded: LoadedEncoder
  platform: Platform
  threads: number
  /** Registry: the dtype `'auto'` means per device, and the dtypes the repo has files for. */
  autoDtype?: { webgpu: ResolvedDtype; wasm: ResolvedDtype }
  availableDtypes?: ResolvedDtype[]
  onProgress?: (e: ProgressEvent) => void
}

/**
 * The dtype to load: the caller's, else the registry's default for the device, else ours. fp16
 * on WebGPU needs the adapter's `shader-f16`; without it the next available of fp32, q8 is used.
 */
function resolveDtype(options: ChooseOptions, device: ResolvedDevice, shaderF16 = false): ResolvedDtype {
  const { dtype, autoDtype, availableDtypes } = options
  let chosen: ResolvedDtype
  if (dtype !== 'auto') chosen = dtype
  else if (autoDtype) chosen = device === 'webgpu' ? autoDtype.webgpu : autoDtype.wasm
  else chosen = AUTO_DTYPE[device]
  if (dtype === 'auto' && device === 'webgpu' && chosen === 'fp16' && !shaderF16) {
    chosen = (['fp32', 'q8'] as const).find((t) => !availableDtypes || availableDtypes.includes(t)) ?? chosen
  }
  if (availableDtypes && !availableDtypes.includes(chosen)) {
    throw new RerankError(
      'invalid_request',
      `"${options.source.model}" has no ${chosen} weights; use one of ${availableDtypes.join(', ')} (or dtype "auto").`,
    )
  }
  return chosen
}

/** Asks the browser for a real adapter: `navigator.gpu` exists in Chromium even when there is none. */
export async function browserWebGpuAdapter(): Promise<WebGpuAdapterCheck> {
  type Adapter = { features?: { has(name: string): boolean } }
  const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }) | undefined)?.gpu
  if (!gpu) return { ok: false, reason: 'WebGPU is not supported by this browser (navigator.gpu is missing).' }
  try {
    const adapter = await gpu.requestAdapter()
    if (!adapter) return { ok: false, reason: 'No WebGPU adapter: navigator.gpu.requestAdapter() returned null.' }
    return { ok: true, shaderF16: adapter.features?.has('shader-f16') ?? false }
  } catch (err) {
    return { ok: false, reason: `No WebGPU adapter: requestAdapter() failed (${err instanceof Error ? err.message : String(err)}).` }
  }
}

async function probeScore(session: ScoringSession, loaded: LoadedEncoder): Promise<number> {
  const [score] = await session.score([encodeOnePair(loaded.encoder, PROBE_PAIR.query, PROBE_PAIR.document)])
  return score!
}

/** Loads the model where it works best, following the rules above. */
export async function chooseDevice(options: ChooseOptions): Promise<DeviceChoice> {
  const { source, device, loaded, platform, onProgress, threads } = options
  const load = (d: ResolvedDevice, t: ResolvedDtype) => loadSession(source, d, t, loaded, onProgress, threads)

  if (platform.kind === 'node') {
    if (device !== 'auto' && device !== 'cpu') {
      throw new RerankError('invalid_request', `device "${device}" is not available in Node; use "auto" or "cpu".`)
    }
    return { session: await load('cpu', resolveDtype(options, 'cpu')) }
  }
  if (device === 'cpu') {
    throw new RerankError('invalid_request', 'device "cpu" is for Node; in the browser use "auto", "webgpu" or "wasm".')
  }
  if (device === 'wasm') return { session: await load('wasm', resolveDtype(options, 'wasm')) }

  const strict = device === 'webgpu'
  const fallback = async (reason: string): Promise<DeviceChoice> => {
    if (strict) throw new RerankError('webgpu_unavailable', reason)
    return { session: await load('wasm', resolveDtype(options, 'wasm')), fallbackReason: reason }
  }

  const adapter = await platform.webGpuAdapter()
  if (!adapter.ok) return fallback(adapter.reason)

  const gpuDtype = resolveDtype(options, 'webgpu', adapter.shaderF16)
  let gpu: ScoringSession
  try {
    gpu = await load('webgpu', gpuDtype)
  } catch (err) {
    return fallback(`The model failed to load on WebGPU: ${err instanceof Error ? err.message : String(err)}`)
  }
  try {
    const gpuScore = await probeScore(gpu, loaded)
    if (!Number.isFinite(gpuScore)) {
      await gpu.dispose()
      return fallback(`WebGPU scored the probe pair as ${gpuScore}.`)
    }
    if (!strict) {
      // Same dtype on both sides, so only the backend differs.
      const cpu = await load('wasm', gpuDtype)
      const cpuScore = await probeScore(cpu, loaded).finally(() => cpu.dispose())
      const tolerance = gpuDtype === 'fp32' ? DEFAULTS.probeTolerance : DEFAULTS.probeTolerance * 5
      if (Math.abs(gpuScore - cpuScore) > tolerance) {
        await gpu.dispose()
        return fallback(
          `WebGPU disagreed with WASM on the probe pair (${gpuScore.toFixed(4)} vs ${cpuScore.toFixed(4)}).`,
        )
      }
    }
  } catch (err) {
    await gpu.dispose().catch(() => undefined)
    if (err instanceof RerankError && err.code !== 'inference_failed') throw err
    return fallback(`WebGPU failed on the probe pair: ${err instanceof Error ? err.message : String(err)}`)
  }
  return { session: gpu }
}

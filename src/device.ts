// Chooses where the model runs. WebGPU is used only when it demonstrably works: an adapter
// exists, the model loads on it, and a probe pair scores like WASM does. Anything else falls
// back to WASM with the reason recorded, because `'gpu' in navigator` says nothing about that.

import { AUTO_DTYPE, DEFAULTS, PROBE_PAIR } from './defaults.js'
import { RerankError } from './errors.js'
import type { EngineOptions } from './engine.js'
import { loadSession, type LoadedEncoder, type ModelSource, type ScoringSession } from './runtime.js'
import type { Device, Dtype, ProgressEvent, ResolvedDevice, ResolvedDtype } from './types.js'

/** What differs between the browser worker and Node. */
export interface Platform {
  kind: 'browser' | 'node'
  /** Configures the runtime for these options before any load; returns the threads it will use. */
  prepare(options: EngineOptions): number
  /** `null` when a WebGPU adapter is available, else why not. */
  webGpuUnavailableReason(): Promise<string | null>
}

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
  onProgress?: (e: ProgressEvent) => void
}

function resolveDtype(dtype: Dtype, device: ResolvedDevice): ResolvedDtype {
  return dtype === 'auto' ? AUTO_DTYPE[device] : dtype
}

/** Asks the browser for a real adapter: `navigator.gpu` exists in Chromium even when there is none. */
export async function browserWebGpuUnavailableReason(): Promise<string | null> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu
  if (!gpu) return 'WebGPU is not supported by this browser (navigator.gpu is missing).'
  try {
    const adapter = await gpu.requestAdapter()
    return adapter ? null : 'No WebGPU adapter: navigator.gpu.requestAdapter() returned null.'
  } catch (err) {
    return `No WebGPU adapter: requestAdapter() failed (${err instanceof Error ? err.message : String(err)}).`
  }
}

async function probeScore(session: ScoringSession, loaded: LoadedEncoder): Promise<number> {
  const pairs = loaded.encoder.encodeRequest(PROBE_PAIR.query, [PROBE_PAIR.document], { maxTokensPerDoc: Infinity, mode: 'truncate' })
  const [score] = await session.score(pairs)
  return score!
}

/** Loads the model where it works best, following the rules above. */
export async function chooseDevice(options: ChooseOptions): Promise<DeviceChoice> {
  const { source, device, dtype, loaded, platform, onProgress, threads } = options
  const load = (d: ResolvedDevice, t: ResolvedDtype) => loadSession(source, d, t, loaded, onProgress, threads)

  if (platform.kind === 'node') {
    if (device !== 'auto' && device !== 'cpu') {
      throw new RerankError('invalid_request', `device "${device}" is not available in Node; use "auto" or "cpu".`)
    }
    return { session: await load('cpu', resolveDtype(dtype, 'cpu')) }
  }
  if (device === 'cpu') {
    throw new RerankError('invalid_request', 'device "cpu" is for Node; in the browser use "auto", "webgpu" or "wasm".')
  }
  if (device === 'wasm') return { session: await load('wasm', resolveDtype(dtype, 'wasm')) }

  const strict = device === 'webgpu'
  const fallback = async (reason: string): Promise<DeviceChoice> => {
    if (strict) throw new RerankError('webgpu_unavailable', reason)
    return { session: await load('wasm', resolveDtype(dtype, 'wasm')), fallbackReason: reason }
  }

  const unavailable = await platform.webGpuUnavailableReason()
  if (unavailable) return fallback(unavailable)

  const gpuDtype = resolveDtype(dtype, 'webgpu')
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

// Model presets and the load form's state: presets, URL query overrides, and the default choice
// (the offline fixture when this server has it, since the hub is often unreachable in dev setups).

import type { Device, Dtype, RerankerOptions } from '../src/index'

export interface Preset {
  id: string
  label: string
  options: Pick<RerankerOptions, 'model' | 'localModelPath' | 'allowRemoteModels'>
  /** Random-weight models rank meaninglessly; the page warns about them. */
  randomWeights: boolean
}

const OFFLINE_MODEL = 'fixtures/ms-marco-MiniLM-L-6-v2-random'
const OFFLINE_PATH = '/shared-models/'

export const PRESETS: Preset[] = [
  {
    id: 'offline',
    label: 'Offline test model (random weights)',
    options: { model: OFFLINE_MODEL, localModelPath: OFFLINE_PATH, allowRemoteModels: false },
    randomWeights: true,
  },
  {
    id: 'hub',
    label: 'ms-marco-MiniLM-L-6-v2 (Hugging Face hub)',
    options: { model: 'Xenova/ms-marco-MiniLM-L-6-v2' },
    randomWeights: false,
  },
]

export const DEVICES: readonly Device[] = ['auto', 'webgpu', 'wasm']
export const DTYPES: readonly Dtype[] = ['auto', 'fp32', 'q8']

export interface FormState {
  presetId: string
  device: Device
  dtype: Dtype
  autoload: boolean
}

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback
}

/** A preset for `?model=…&localModelPath=…`: an existing one when it matches, else a custom one appended to PRESETS. */
function presetFromUrl(params: URLSearchParams): Preset | undefined {
  const model = params.get('model')
  if (!model) return undefined
  const localModelPath = params.get('localModelPath') ?? undefined
  const known = PRESETS.find((p) => p.options.model === model && p.options.localModelPath === localModelPath)
  if (known) return known
  const custom: Preset = {
    id: 'url',
    label: `${model}${localModelPath ? ` (from ${localModelPath})` : ''}`,
    // A local path in the URL means "serve it from here": do not silently go to the hub instead.
    options: localModelPath ? { model, localModelPath, allowRemoteModels: false } : { model },
    randomWeights: model.includes('random'),
  }
  PRESETS.push(custom)
  return custom
}

async function offlineModelServed(): Promise<boolean> {
  try {
    const res = await fetch(`${OFFLINE_PATH}${OFFLINE_MODEL}/config.json`, { method: 'HEAD' })
    return res.ok
  } catch {
    return false
  }
}

/** The form's initial state: URL parameters first, then the default preset. */
export async function initialState(search: string): Promise<FormState> {
  const params = new URLSearchParams(search)
  const fromUrl = presetFromUrl(params)
  const presetId = fromUrl?.id ?? ((await offlineModelServed()) ? 'offline' : 'hub')
  return {
    presetId,
    device: pick(params.get('device'), DEVICES, 'auto'),
    dtype: pick(params.get('dtype'), DTYPES, 'auto'),
    autoload: params.get('autoload') === '1',
  }
}

export function presetById(id: string): Preset {
  return PRESETS.find((p) => p.id === id) ?? PRESETS[0]!
}

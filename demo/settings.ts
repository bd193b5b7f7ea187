// The load form's state: URL query overrides first, then the defaults (the offline model when
// this server has it, else webrerank's default model from the hub).

import { DEFAULTS, findModel, type Device, type Dtype } from '../src/index'
import { choiceFromUrl, offlineModelServed } from './models'

export const DEVICES: readonly Device[] = ['auto', 'webgpu', 'wasm']
export const DTYPES: readonly Dtype[] = ['auto', 'fp32', 'fp16', 'q8', 'q4']
export const MODES = ['documents', 'corpus'] as const
export type Mode = (typeof MODES)[number]

export interface FormState {
  choiceId: string
  device: Device
  dtype: Dtype
  autoload: boolean
  mode: Mode
}

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback
}

/** The form's initial state, e.g. from `?model=bge-reranker-base&device=wasm&autoload=1&mode=corpus`. */
export async function initialState(search: string): Promise<FormState> {
  const params = new URLSearchParams(search)
  const fromUrl = choiceFromUrl(params)
  const choiceId =
    fromUrl?.id ?? ((await offlineModelServed()) ? 'offline' : (findModel(DEFAULTS.model)?.id ?? 'offline'))
  return {
    choiceId,
    device: pick(params.get('device'), DEVICES, 'auto'),
    dtype: pick(params.get('dtype'), DTYPES, 'auto'),
    autoload: params.get('autoload') === '1',
    mode: pick(params.get('mode'), MODES, 'documents'),
  }
}

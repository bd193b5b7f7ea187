// The model picker's choices: the offline test model (served by the dev server, random weights)
// first, then every entry of webrerank's registry, then a model named in the URL if none matches.

import { findModel, MODELS, type ModelEntry, type RerankerOptions } from '../src/index'

export interface ModelChoice {
  id: string
  /** Short name for the select. */
  label: string
  /** One line under the select: languages, download size, license. */
  details: string
  options: Pick<RerankerOptions, 'model' | 'localModelPath' | 'allowRemoteModels'>
  /** Random-weight models rank meaninglessly; the page warns about them. */
  randomWeights: boolean
  nonCommercial: boolean
}

export const OFFLINE_MODEL = 'fixtures/ms-marco-MiniLM-L-6-v2-random'
export const OFFLINE_PATH = '/shared-models/'

const OFFLINE: ModelChoice = {
  id: 'offline',
  label: 'Offline test model (random weights)',
  details: 'English · 23.3 MB q8 · served by this dev server, no network needed',
  options: { model: OFFLINE_MODEL, localModelPath: OFFLINE_PATH, allowRemoteModels: false },
  randomWeights: true,
  nonCommercial: false,
}

/** The source repo's own name reads better than the ONNX port's (e.g. "bge-reranker-v2-m3"). */
function shortName(entry: ModelEntry): string {
  return entry.source.split('/').pop() ?? entry.id
}

function fromRegistry(entry: ModelEntry): ModelChoice {
  const q8 = entry.approxDownloadMB.q8
  const size = q8 === undefined ? 'size unknown' : `~${q8 < 100 ? q8.toFixed(1) : Math.round(q8)} MB q8`
  return {
    id: entry.id,
    label: `${shortName(entry)}${entry.nonCommercial ? ' (non-commercial)' : ''}`,
    details: [entry.languages, size, entry.license, `${entry.maxTokens} tokens`, 'from the Hugging Face hub'].join(
      ' · ',
    ),
    options: { model: entry.id },
    randomWeights: false,
    nonCommercial: entry.nonCommercial,
  }
}

export const CHOICES: ModelChoice[] = [OFFLINE, ...MODELS.map(fromRegistry)]

/**
 * The choice for `?model=…&localModelPath=…`: the offline model or a registry entry (by id or
 * alias) when it matches, else a custom choice appended to CHOICES.
 */
export function choiceFromUrl(params: URLSearchParams): ModelChoice | undefined {
  const model = params.get('model')
  if (!model) return undefined
  const localModelPath = params.get('localModelPath') ?? undefined
  if (model === OFFLINE_MODEL && localModelPath === OFFLINE_PATH) return OFFLINE
  const entry = localModelPath ? undefined : findModel(model)
  if (entry) return CHOICES.find((c) => c.id === entry.id)
  const custom: ModelChoice = {
    id: 'url',
    label: model,
    details: localModelPath ? `served from ${localModelPath}` : 'from the Hugging Face hub (not in the registry)',
    // A local path in the URL means "serve it from here": do not silently go to the hub instead.
    options: localModelPath ? { model, localModelPath, allowRemoteModels: false } : { model },
    randomWeights: model.includes('random'),
    nonCommercial: false,
  }
  CHOICES.push(custom)
  return custom
}

/** Whether this server has the offline model: then it is the default, since the hub is often unreachable in dev setups. */
export async function offlineModelServed(): Promise<boolean> {
  try {
    const res = await fetch(`${OFFLINE_PATH}${OFFLINE_MODEL}/config.json`, { method: 'HEAD' })
    return res.ok
  } catch {
    return false
  }
}

export function choiceById(id: string): ModelChoice {
  return CHOICES.find((c) => c.id === id) ?? CHOICES[0]!
}

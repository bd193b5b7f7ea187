// `webrerank serve --model` specs: `name=model` serves a model under a request name, a plain
// `model` under its own names; a model given by several specs is loaded once.

import path from 'node:path'
import type { RerankerOptions } from '../api/types.js'
import { isFolderPath } from '../platform/node.js'
import type { RerankerLike } from '../http/index.js'

/** One `--model` value, parsed. */
export interface ModelSpec {
  /** The request name (`name=` part), if any. */
  name?: string
  /** What createReranker gets as `model` (a registry name, hub id, folder name or folder path). */
  model: string
}

/**
 * Parses `name=model` or `model`. A model written as a path (starting with `.` or `/`) is a local
 * folder: createReranker loads it from there whatever `--local-model-path` says. Returns an error
 * message for an empty name or model.
 */
export function parseModelSpec(value: string): ModelSpec | string {
  const eq = value.indexOf('=')
  const name = eq < 0 ? undefined : value.slice(0, eq).trim()
  const model = (eq < 0 ? value : value.slice(eq + 1)).trim()
  if (name === '' || model === '') return `--model "${value}": expected name=model or model.`
  // A folder path stays as given: createReranker (Node) loads a path from that folder alone.
  return name === undefined ? { model } : { name, model }
}

/**
 * Creates one reranker per distinct model of `specs` with `options`, one after another (so a
 * failure names its model and peak memory stays one load). `rerankers` keep spec order (the first
 * answers requests without `model`); `names` maps each `name=` to its reranker. On a failure,
 * disposes what loaded and rethrows.
 */
export async function loadModels<O extends RerankerOptions, R extends RerankerLike & { dispose(): Promise<void> }>(
  specs: readonly ModelSpec[],
  options: O,
  create: (options: O) => Promise<R>,
): Promise<{ rerankers: R[]; names: Record<string, R>; dispose(): Promise<void> }> {
  const byKey = new Map<string, R>()
  const names: Record<string, R> = {}
  const dispose = async (): Promise<void> => {
    await Promise.all([...byKey.values()].map((r) => r.dispose()))
  }
  try {
    for (const spec of specs) {
      // A path is keyed resolved, so ./bt and its absolute form load once.
      const key = isFolderPath(spec.model) ? path.resolve(spec.model) : spec.model
      let reranker = byKey.get(key)
      if (!reranker) {
        reranker = await create({ ...options, model: spec.model })
        byKey.set(key, reranker)
      }
      if (spec.name !== undefined) names[spec.name] = reranker
    }
  } catch (err) {
    await dispose()
    throw err
  }
  return { rerankers: [...byKey.values()], names, dispose }
}

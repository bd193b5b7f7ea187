// Node entry: the same API, running in-process on onnxruntime-node (device 'cpu').

import path from 'node:path'
import { makeOneShot } from './api/one-shot.js'
import { createWithPolicy } from './remote/policy.js'
import { makeStorage } from './api/storage.js'
import { resolveOptions } from './api/options.js'
import { Reranker } from './api/reranker.js'
import type { AnyRerankerInfo, RemoteRerankerOptions, RerankerOptions } from './api/types.js'
import { EngineHost } from './engine/host.js'
import { isFolderPath, nodePlatform, nodeThreads } from './platform/node.js'

export { RerankError, type RerankErrorBody, type RerankErrorCode, type RerankErrorType } from './api/errors.js'
export { Reranker } from './api/reranker.js'
export { DEFAULTS } from './api/defaults.js'
export { MODELS, findModel, type ModelEntry, type ModelFamily } from './models/registry.js'
export * from './search/index.js'
export type * from './api/types.js'
export type { ModelStorage } from './api/storage.js'

/**
 * Loads the model in this process and resolves when it is ready to rerank.
 *
 * @example
 * const reranker = await createReranker({ localModelPath: './models/', allowRemoteModels: false })
 * console.log(reranker.info.device) // 'cpu'
 *
 * With `endpoint`, calls go to a rerank server instead (`policy: 'remote'`), or to either
 * (`policy: 'auto'`; see README, "Remote backend"): `info.backend` says which. Further codes
 * then: `invalid_api_key`, `rate_limited`, `timeout`, `remote_unavailable`.
 */
export async function createReranker(options: RemoteRerankerOptions): Promise<Reranker<AnyRerankerInfo>>
export async function createReranker(options?: RerankerOptions): Promise<Reranker>
export async function createReranker(options: RerankerOptions = {}): Promise<Reranker<AnyRerankerInfo>> {
  return createWithPolicy(options, createLocalReranker)
}

/** The model on this device (policy 'local'). */
async function createLocalReranker(options: RerankerOptions): Promise<Reranker> {
  const { resolved, onProgress } = resolveOptions(folderPathOptions(options), { threads: nodeThreads })
  const host = new EngineHost(nodePlatform)
  const info = await host.load(resolved, onProgress)
  return new Reranker(host, info, resolved)
}

/**
 * A model given as a folder path (`./models/x`, `/abs/x`; see isFolderPath) loads from that
 * folder alone: its parent becomes localModelPath, its name the model, and the hub is not asked
 * (a path that is not there must say so, not fail as a download).
 */
function folderPathOptions(options: RerankerOptions): RerankerOptions {
  const { model } = options
  if (typeof model !== 'string' || !isFolderPath(model)) return options
  const folder = path.resolve(model)
  return {
    ...options,
    model: path.basename(folder),
    localModelPath: path.dirname(folder) + path.sep,
    allowRemoteModels: false,
  }
}

/**
 * The browser's model cache functions, for code shared with the browser: in Node there is no
 * Cache API, so they reject with `invalid_request` (Node reads local models from disk).
 */
export const { modelCacheStatus, isCached, prefetch, clearCache } = makeStorage(
  { threads: nodeThreads },
  () => new EngineHost(nodePlatform),
)

/** One-shot reranking on a shared reranker with default options (created on first use). */
export const rerank = makeOneShot(createReranker)

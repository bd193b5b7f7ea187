// Which backend a reranker uses (README, "Remote backend"): the local model, a rerank server, or
// — with policy 'auto' — the local model when this device runs it well, the server otherwise.

import { checkOptionsObject } from '../api/options.js'
import { Reranker } from '../api/reranker.js'
import { RerankError } from '../api/errors.js'
import type { AnyRerankerInfo, RemoteRerankerInfo, RerankerInfo, RerankerOptions } from '../api/types.js'
import { positiveNumber } from '../api/validate.js'
import { RemoteHost } from './host.js'
import { resolvePolicy, resolveRemoteOptions } from './options.js'

/** createReranker's own local path (the worker in the browser, in-process in Node). */
export type LocalFactory = (options: RerankerOptions) => Promise<Reranker>

/**
 * createReranker for every policy: `'local'` loads the model here, `'remote'` talks to
 * `endpoint`, `'auto'` loads it here and keeps it when WebGPU passed its probe (or its warmup
 * is within `autoMaxWarmupMs`), else disposes it and talks to `endpoint`.
 */
export async function createWithPolicy(
  options: RerankerOptions,
  createLocal: LocalFactory,
): Promise<Reranker<AnyRerankerInfo>> {
  checkOptionsObject(options)
  const policy = resolvePolicy(options)
  if (policy === 'local') return createLocal(options)
  const started = performance.now()
  const remote = resolveRemoteOptions(options, policy)
  const remoteReranker = (policyReason?: string): Reranker<RemoteRerankerInfo> => {
    const info: RemoteRerankerInfo = {
      backend: 'remote',
      model: remote.model ?? '',
      modelId: remote.model ?? '',
      endpoint: remote.url,
      format: remote.format,
      ...(policyReason === undefined ? {} : { policyReason }),
      loadMs: performance.now() - started,
    }
    return new Reranker(new RemoteHost(remote), info, {
      model: info.model,
      modelId: info.modelId,
      maxDocuments: remote.maxDocuments,
      long: remote.long,
    })
  }
  if (policy === 'remote') return remoteReranker()

  const maxWarmupMs = positiveNumber(options.autoMaxWarmupMs, 'autoMaxWarmupMs')
  let local: Reranker
  try {
    local = await createLocal(options)
  } catch (err) {
    // Bad options are the caller's to fix, not a reason to go remote.
    if (err instanceof RerankError && err.code === 'invalid_request') throw err
    const why = err instanceof Error ? err.message : String(err)
    return remoteReranker(`the local model failed to load: ${why}`)
  }
  const keep = await keepLocal(local, maxWarmupMs)
  if (keep.local) {
    setReason(local.info, keep.reason)
    return local
  }
  await local.dispose()
  return remoteReranker(keep.reason)
}

/** Whether `auto` keeps the loaded local model, and why (or why not). */
async function keepLocal(
  local: Reranker,
  maxWarmupMs: number | undefined,
): Promise<{ local: boolean; reason: string }> {
  const { device, fallbackReason } = local.info
  if (device === 'webgpu') return { local: true, reason: 'WebGPU passed its probe.' }
  const noGpu = `no WebGPU (${fallbackReason ?? `the model runs on ${device}`})`
  if (maxWarmupMs === undefined) return { local: false, reason: `${noGpu} and no autoMaxWarmupMs is set.` }
  const ms = await local.warmup()
  const took = `warmup took ${Math.round(ms)} ms`
  return ms <= maxWarmupMs
    ? { local: true, reason: `${noGpu}, but ${took}, within autoMaxWarmupMs (${maxWarmupMs} ms).` }
    : { local: false, reason: `${noGpu} and ${took}, over autoMaxWarmupMs (${maxWarmupMs} ms).` }
}

/** `info` is built by the engine before the policy decides; the reason is added once, here. */
function setReason(info: RerankerInfo, reason: string): void {
  ;(info as { policyReason?: string }).policyReason = reason
}

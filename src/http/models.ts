// Which reranker answers a request's `model`: the names in `options.models`, each reranker's own
// names and registry aliases, then `options.load` for anything else.

import { findModel } from '../models/registry.js'
import { RerankError } from '../api/errors.js'
import { describe, fail } from '../api/validate.js'
import type { RerankerLike, ResolvedHandlerOptions } from './options.js'

/** The reranker chosen for a request, and the name to echo in its response. */
export interface Served {
  reranker: RerankerLike
  name: string
}

/** The rerankers a handler serves, looked up by name. */
export class ModelTable {
  /** Loads started by `options.load`, by requested name; a rejected one is removed. */
  private readonly loading = new Map<string, Promise<RerankerLike | undefined>>()
  /** The loads that have resolved (to list their names). */
  private readonly loaded = new WeakSet<Promise<RerankerLike | undefined>>()

  constructor(
    private readonly rerankers: readonly RerankerLike[],
    private readonly options: Pick<ResolvedHandlerOptions, 'models' | 'load'>,
  ) {}

  /**
   * The reranker for `model` (a body's field, unchecked). A missing (or null) `model` picks the
   * first reranker given, else the first of `options.models`. Throws `invalid_request` for a
   * non-string and `model_not_found` for a name nothing serves.
   */
  async resolve(model: unknown): Promise<Served> {
    if (model === undefined || model === null) {
      const first = this.rerankers[0] ?? this.options.models.values().next().value
      if (!first) throw fail('invalid_request', 'model is required: this server has no default model.')
      return { reranker: first, name: first.info.model }
    }
    if (typeof model !== 'string') throw fail('invalid_request', `model must be a string (got ${describe(model)}).`)
    const found = this.find(model) ?? (await this.loadOnce(model))
    if (!found) {
      throw fail('model_not_found', `this server does not serve "${model}"; GET /v1/models lists the models it serves.`)
    }
    return { reranker: found, name: model }
  }

  /** The names to list in GET /v1/models: each reranker's name and id, the `models` keys, loaded names. */
  names(): string[] {
    const names = new Set<string>()
    for (const { info } of this.rerankers) {
      names.add(info.model)
      names.add(info.modelId)
    }
    for (const name of this.options.models.keys()) names.add(name)
    for (const [name, pending] of this.loading) if (this.loaded.has(pending)) names.add(name)
    return [...names]
  }

  private find(name: string): RerankerLike | undefined {
    const mapped = this.options.models.get(name)
    if (mapped) return mapped
    const all = [...this.rerankers, ...this.options.models.values()]
    const exact = all.find(({ info }) => info.model === name || info.modelId === name)
    if (exact) return exact
    const entry = findModel(name)
    if (!entry) return undefined
    const byInfo = all.find(({ info }) => info.modelId === entry.id || findModel(info.model)?.id === entry.id)
    if (byInfo) return byInfo
    // A name mapped in `models` answers for its registry aliases too: mapping 'bge-reranker-v2'
    // serves 'BAAI/bge-reranker-v2-m3', as a hosted API would.
    for (const [mapped, reranker] of this.options.models) if (findModel(mapped)?.id === entry.id) return reranker
    return undefined
  }

  private async loadOnce(name: string): Promise<RerankerLike | undefined> {
    const { load } = this.options
    if (!load) return undefined
    const pending = this.loading.get(name)
    if (pending) return pending
    const started = (async () => {
      try {
        const loaded = await load(name)
        if (loaded !== undefined) checkLoaded(loaded, name)
        return loaded
      } catch (err) {
        if (err instanceof RerankError) throw err
        const message = err instanceof Error ? err.message : String(err)
        throw fail('model_load_failed', `options.load("${name}") failed: ${message}`, { cause: err })
      }
    })()
    this.loading.set(name, started)
    // Forget failures and misses, so a later request asks again.
    started.then(
      (loaded) => (loaded === undefined ? this.loading.delete(name) : this.loaded.add(started)),
      () => this.loading.delete(name),
    )
    return started
  }
}

function checkLoaded(value: unknown, name: string): void {
  const candidate = value as Partial<RerankerLike> | null
  if (typeof candidate?.rerank !== 'function' || typeof candidate.info?.model !== 'string') {
    throw fail('model_load_failed', `options.load("${name}") did not resolve to a reranker.`)
  }
}

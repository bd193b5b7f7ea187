// Model files in the browser's cache, managed on top of transformers.js's own cache (the Cache
// API store `env.cacheKey`, keys as transformers.js writes them) rather than beside it: a model
// prefetched here loads from the cache, and one loaded by createReranker counts as cached.
// transformers.js lists the files a model needs (ModelRegistry.get_files) and checks them
// (is_cached_files); it has no download-without-session, so prefetch fetches and stores the
// files itself under the keys transformers.js looks up.

import { ModelRegistry } from '@huggingface/transformers'
import type { ModelSource } from '../api/options.js'
import type { ModelCacheStatus, ProgressEvent, ResolvedDtype } from '../api/types.js'
import { fail } from '../api/validate.js'
import { deleteCachedModel, entryBytes, fileUrls, modelCache } from './cache.js'
import { applySource, loads } from './transformers.js'

async function openCache(): Promise<Cache> {
  const cache = await modelCache()
  if (!cache) {
    throw fail('invalid_request', 'the Cache API is not available here (Node, or a page that is not a secure context).')
  }
  return cache
}

/** The files `dtype` needs: config, tokenizer and ONNX file(s), as transformers.js would load them. */
async function neededFiles(source: ModelSource, dtype: ResolvedDtype): Promise<string[]> {
  try {
    return await ModelRegistry.get_files(source.model, { dtype, include_processor: false })
  } catch (err) {
    throw fail('model_not_found', `could not list the files of "${source.model}": ${String(err)}`, { cause: err })
  }
}

/** Which of the model's files are in the cache, and their sizes in bytes. */
export function cacheStatus(source: ModelSource, dtype: ResolvedDtype, model: string): Promise<ModelCacheStatus> {
  return loads.run(async () => {
    applySource(source)
    const cache = await openCache()
    // Listing the files reads config.json (transformers.js caches it). Offline with no cached
    // config, the list cannot be had, and the model is not cached: say so instead of failing.
    const listed = await neededFiles(source, dtype).catch(() => undefined)
    if (!listed) {
      // A config that could not be read must not stay cached (e.g. an HTML page a server answered).
      for (const url of fileUrls(source, 'config.json')) await cache.delete(url)
      return {
        model,
        modelId: source.model,
        dtype,
        cached: false,
        bytes: 0,
        files: [{ file: 'config.json', cached: false }],
      }
    }
    const files = await Promise.all(
      listed.map(async (file) => {
        const bytes = await entryBytes(cache, fileUrls(source, file))
        return bytes === undefined ? { file, cached: false } : { file, cached: true, bytes }
      }),
    )
    return {
      model,
      modelId: source.model,
      dtype,
      cached: files.every((f) => f.cached),
      bytes: files.reduce((sum, f) => sum + (f.bytes ?? 0), 0),
      files,
    }
  })
}

/** Downloads every file the model needs into the cache without creating a session. */
export async function prefetchFiles(
  source: ModelSource,
  dtype: ResolvedDtype,
  model: string,
  onProgress?: (e: ProgressEvent) => unknown,
): Promise<ModelCacheStatus> {
  const before = await cacheStatus(source, dtype, model)
  await loads.run(async () => {
    applySource(source)
    const cache = await openCache()
    for (const { file } of before.files.filter((f) => !f.cached)) {
      // Awaited: across the worker the callback is a comlink proxy whose messages use another
      // port than the result's, so unawaited events could arrive after the call settles.
      await onProgress?.({ status: 'initiate', file })
      await storeFile(cache, source, file, onProgress)
      await onProgress?.({ status: 'done', file })
    }
  })
  return cacheStatus(source, dtype, model)
}

async function storeFile(
  cache: Cache,
  source: ModelSource,
  file: string,
  onProgress?: (e: ProgressEvent) => unknown,
): Promise<void> {
  const tried: string[] = []
  for (const url of fileUrls(source, file)) {
    const response = await fetch(url).catch(() => undefined)
    if (!response?.ok || !response.body) {
      tried.push(`${url} (${response ? `HTTP ${response.status}` : 'network error'})`)
      continue
    }
    const total = Number(response.headers.get('content-length')) || 0
    let loaded = 0
    // Count bytes as they stream into the cache, so a progress bar moves during large files.
    const counting = new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        loaded += chunk.byteLength
        await onProgress?.({ status: 'progress', file, loaded, total, progress: total ? (100 * loaded) / total : 0 })
        controller.enqueue(chunk)
      },
    })
    try {
      await cache.put(url, new Response(response.body.pipeThrough(counting), { headers: response.headers }))
    } catch (err) {
      // A failed put leaves no entry (Cache.put is atomic): nothing half-written to clean up.
      throw fail('model_load_failed', `could not store ${url} in the cache: ${String(err)}`, { cause: err })
    }
    return
  }
  throw fail('model_not_found', `"${source.model}/${file}" was not found: tried ${tried.join(', ')}.`)
}

/** Deletes every cached file of the model (all dtypes, local and hub keys). Returns what it freed. */
export function clearFiles(source: ModelSource): Promise<{ deletedFiles: number; bytes: number }> {
  return loads.run(async () => {
    await openCache() // refuses where there is no Cache API
    return deleteCachedModel(source)
  })
}

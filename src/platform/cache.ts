// Where transformers.js keeps a model's files in the browser's Cache API, and how to remove
// them. Shared by the model cache functions (storage.ts) and by the load path, which drops a
// model's cached files when they turn out to be corrupt so that the next load fetches them again.

import { env } from '@huggingface/transformers'
import type { ModelSource } from '../api/options.js'

/** Joins URL parts with single slashes, as transformers.js does for its keys. */
function join(...parts: string[]): string {
  return parts
    .map((part, i) => {
      let p = i > 0 ? part.replace(/^\//, '') : part
      if (i < parts.length - 1) p = p.replace(/\/$/, '')
      return p
    })
    .join('/')
}

/** Where a file is fetched from, in the order transformers.js tries (local folder, then hub); also its cache keys. */
export function fileUrls(source: ModelSource, file: string): string[] {
  const urls: string[] = []
  if (source.localModelPath !== undefined) urls.push(join(source.localModelPath, source.model, file))
  if (source.allowRemoteModels) {
    const path = env.remotePathTemplate.replaceAll('{model}', source.model).replaceAll('{revision}', 'main')
    urls.push(join(source.remoteHost, path, file))
  }
  return urls
}

/** The browser's cache of model files, or undefined where there is none (Node, insecure pages). */
export async function modelCache(): Promise<Cache | undefined> {
  return typeof caches === 'undefined' ? undefined : caches.open(env.cacheKey)
}

/** Size in bytes of the first of `urls` the cache holds, or undefined. */
export async function entryBytes(cache: Cache, urls: string[]): Promise<number | undefined> {
  for (const url of urls) {
    const hit = await cache.match(url)
    if (!hit) continue
    const length = Number(hit.headers.get('content-length'))
    return Number.isFinite(length) && length > 0 ? length : (await hit.blob()).size
  }
  return undefined
}

/** Deletes every cached file of the model (all dtypes, local and hub keys); what it freed. */
export async function deleteCachedModel(source: ModelSource): Promise<{ deletedFiles: number; bytes: number }> {
  const cache = await modelCache()
  if (!cache) return { deletedFiles: 0, bytes: 0 }
  const base = globalThis.location.href
  const prefixes = fileUrls(source, '').map((url) => new URL(url, base).href)
  let deletedFiles = 0
  let bytes = 0
  for (const request of await cache.keys()) {
    if (!prefixes.some((prefix) => request.url.startsWith(prefix))) continue
    bytes += (await entryBytes(cache, [request.url])) ?? 0
    if (await cache.delete(request)) deletedFiles++
  }
  return { deletedFiles, bytes }
}

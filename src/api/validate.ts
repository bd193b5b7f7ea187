// Input checks, one helper per kind of value. Each names the option the way the caller spelled
// it (`topN` in a call, `top_n` in a request body) and every message starts with "webrerank:",
// so an error seen in a log says where it came from and what to change.

import { RerankError, type RerankErrorCode } from './errors.js'

/** Builds a RerankError whose message carries the library prefix. */
export function fail(
  code: RerankErrorCode,
  message: string,
  options?: ConstructorParameters<typeof RerankError>[2],
): RerankError {
  return new RerankError(code, `webrerank: ${message}`, options)
}

/** An optional positive integer: `undefined` passes through, anything else must be 1, 2, 3… */
export function positiveInteger(
  value: unknown,
  name: string,
  code: RerankErrorCode = 'invalid_request',
): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw fail(code, `${name} must be a positive integer (got ${describe(value)}).`)
  }
  return value
}

/** An optional positive finite number (e.g. a time budget in ms). */
export function positiveNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw fail('invalid_request', `${name} must be a positive number (got ${describe(value)}).`)
  }
  return value
}

/** An optional value from a fixed set. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw fail(
      'invalid_request',
      `unknown ${name} ${describe(value)}; use one of ${allowed.map((a) => `"${a}"`).join(', ')}.`,
    )
  }
  return value as T
}

/** Optional strings, given as `{ name: value }`: each must be a string or absent. */
export function optionalStrings(values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && typeof value !== 'string')
      throw fail('invalid_request', `${name} must be a string (got ${describe(value)}).`)
  }
}

/** An optional boolean. */
export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw fail('invalid_request', `${name} must be a boolean (got ${describe(value)}).`)
  return value
}

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value)
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}

/**
 * Refuses a key of `given` that is not in `known`, naming the nearest known one: a misspelt
 * option is a mistake to report, not a setting to ignore.
 */
export function refuseUnknownKeys(given: object, known: readonly string[], kind: string, prefix = ''): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue
    const near = known.find((name) => name.toLowerCase() === key.toLowerCase() || editDistance(name, key) <= 2)
    throw fail('invalid_request', `${prefix}unknown ${kind} "${key}"${near ? ` (did you mean "${near}"?)` : ''}.`)
  }
}

/** Levenshtein distance, for "did you mean" on option names (a dozen short strings: no library needed). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]!
}

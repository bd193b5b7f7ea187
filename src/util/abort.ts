// Abort plumbing shared by the reranker and the search: one way to race work against a signal.

import { abortError, RerankError } from '../api/errors.js'

/**
 * The error an aborted signal stands for: its reason when that is a RerankError (webrerank
 * aborts its own controllers with e.g. `disposed`), else the `aborted` error.
 */
export function abortReason(signal: AbortSignal): RerankError {
  return signal.reason instanceof RerankError ? signal.reason : abortError()
}

/** Throws the abort error when `signal` has fired; call between steps of long work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal)
}

/**
 * Settles with `work`, or rejects with the abort error (`code: 'aborted'`) as soon as `signal`
 * fires, whichever comes first. `onAbort` runs once when the signal wins (e.g. to cancel the
 * work itself); the listener is removed when `work` settles, so nothing leaks per call.
 */
export async function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort?: () => void,
): Promise<T> {
  if (!signal) return work
  throwIfAborted(signal)
  let listener = (): void => undefined
  const aborted = new Promise<never>((_, reject) => {
    listener = () => {
      onAbort?.()
      reject(abortReason(signal))
    }
    signal.addEventListener('abort', listener, { once: true })
  })
  try {
    return await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', listener)
  }
}

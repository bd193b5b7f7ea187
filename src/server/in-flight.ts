// Requests in flight, counted from the moment the server hands a request to Hono until its
// response has been handed to the OS or its connection has closed, so close() can drain them.

import type { ServerResponse } from 'node:http'
import type { Http2ServerResponse } from 'node:http2'

export class InFlight {
  private count = 0
  private waiters: (() => void)[] = []

  get size(): number {
    return this.count
  }

  /** Counts `outgoing` until it emits `close` (response sent, or client gone). */
  track(outgoing: ServerResponse | Http2ServerResponse): void {
    this.count++
    outgoing.once('close', () => {
      this.count--
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve()
    })
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve))
  }
}

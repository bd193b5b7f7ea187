// Makes RerankError keep its class and code across the worker boundary. comlink's built-in
// "throw" handler sends only name/message/stack; this wraps it for our errors and defers to
// it for everything else. Registered on both sides (worker and page).

import { transferHandlers, type TransferHandler } from 'comlink'
import { deserializeError, RerankError, serializeError, type SerializedRerankError } from './api/errors.js'

type Thrown = { value: unknown }
type Wire = { rerankError: SerializedRerankError } | { other: unknown }

let registered = false

export function registerErrorTransfer(): void {
  if (registered) return
  registered = true
  const builtin = transferHandlers.get('throw') as TransferHandler<Thrown, unknown>
  const handler: TransferHandler<Thrown, Wire> = {
    canHandle: (value): value is Thrown => builtin.canHandle(value),
    serialize(thrown) {
      if (thrown.value instanceof RerankError) return [{ rerankError: serializeError(thrown.value) }, []]
      const [wire, transfer] = builtin.serialize(thrown)
      return [{ other: wire }, transfer]
    },
    deserialize(wire) {
      if ('rerankError' in wire) throw deserializeError(wire.rerankError)
      return builtin.deserialize(wire.other)
    },
  }
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>)
}

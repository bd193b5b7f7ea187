// The load benchmark's worker module (bench/load.ts): the instrumentation first, then webrerank's
// own worker module, loaded statically as in an app (so messages wait until it has run), then a
// mark that the worker is ready. Module evaluation follows the import order.

import { markWorkerReady } from './load-instrument.ts'
import '../src/worker.ts'

markWorkerReady()

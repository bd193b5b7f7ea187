// The soak loop in Chromium, engine in a worker; the Node script starts it and reads the result.
import { createReranker } from '../src/index'
import { soak, type SoakStats } from './soak-loop'

Reflect.set(globalThis, 'runSoak', (durationMs: number): Promise<SoakStats> =>
  soak(
    createReranker,
    { model: 'webrerank-test/bert-tiny', localModelPath: '/models/', allowRemoteModels: false },
    { durationMs },
  ),
)

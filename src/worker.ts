// The Web Worker: exposes one engine host over comlink. Everything else is in ordinary modules.

import { expose } from 'comlink'
import { EngineHost } from './engine/host.js'
import { browserPlatform } from './platform/browser.js'
import { registerErrorTransfer } from './boundary.js'

registerErrorTransfer()
expose(new EngineHost(browserPlatform))

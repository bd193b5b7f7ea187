// The Web Worker: serves one in-process engine host to the page. Everything else is in ordinary modules.

import { serveHost } from './boundary.js'
import { EngineHost } from './engine/host.js'
import { browserPlatform } from './platform/browser.js'

serveHost(new EngineHost(browserPlatform))

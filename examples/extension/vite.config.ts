// Two pages (popup, offscreen document) and two scripts at fixed names the manifest points to:
// the service worker (an ES module) and the content script (no imports, so a classic script).

import { defineConfig } from 'vite'

const FIXED_NAMES = new Set(['background', 'content'])

export default defineConfig({
  build: {
    rolldownOptions: {
      input: {
        popup: 'popup.html',
        offscreen: 'offscreen.html',
        background: 'src/background.ts',
        content: 'src/content.ts',
      },
      output: {
        entryFileNames: (chunk) => (FIXED_NAMES.has(chunk.name) ? '[name].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
})

// How tests and benchmarks start Debian's Chromium on this closed network, and the headers that
// make a page cross-origin isolated (so onnxruntime-web can use threads). One place for both.

/** Debian's Chromium (Playwright's own browser download does not work here); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags for a headless Chromium with no network beyond localhost (see README, "Testing"). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** COOP + COEP: required for SharedArrayBuffer, hence for multi-threaded WASM. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

// What differs between the browser worker and Node, as the engine sees it.

/** Runtime settings applied before any model load. */
export interface RuntimeSettings {
  /** WASM/CPU threads to use (already resolved for this environment). */
  threads: number
  /** Browser: where the caller serves onnxruntime-web's runtime files (absent: the bundled ones). */
  wasmPaths?: string | { mjs: string; wasm: string }
  /** Whether a WebGPU session may be created (picks the runtime build that supports it). */
  webgpu: boolean
}

export type WebGpuAdapterCheck = { ok: true; shaderF16: boolean } | { ok: false; reason: string }

export interface Platform {
  kind: 'browser' | 'node'
  /** Configures the runtime before any load. */
  prepare(settings: RuntimeSettings): void
  /** Why WASM runs on fewer threads than it could, when it does (reported in `info.threadsNote`). */
  threadsNote(threads: number): string | undefined
  /** A WebGPU adapter and whether it can run fp16 shaders, or why there is none. */
  webGpuAdapter(): Promise<WebGpuAdapterCheck>
}

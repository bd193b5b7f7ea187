// The one place for webrerank's defaults. Everything else reads them from here.

export const DEFAULTS = {
  /** Small English cross-encoder; its ONNX port on the hub (transformers.js layout). */
  model: 'Xenova/ms-marco-MiniLM-L-6-v2',
  device: 'auto',
  dtype: 'auto',
  allowRemoteModels: true,
  remoteHost: 'https://huggingface.co/',
  /** The hosted APIs' limit. */
  maxDocuments: 100,
  returnDocuments: true,
  /** Used when a model's config says nothing about its maximum length. */
  maxTokens: 512,
  /** Most WASM threads; more rarely helps a model this small and costs memory per thread. */
  maxThreads: 4,
  /** Documents are cut to this many tokens before pairing, like Cohere's `max_tokens_per_doc` default. */
  maxTokensPerDoc: 4096,
  /** What to do with a document longer than the room left after the query. */
  longDocuments: 'truncate' as 'truncate' | 'chunk',
  /** Largest |score difference| between WebGPU and WASM on the probe pair that still counts as agreeing. */
  probeTolerance: 0.02,
} as const

/**
 * Micro-batch limits per device: rows × padded length per batch, and rows per batch. Small
 * length-sorted batches waste little on padding and keep attention memory bounded; the figures
 * come from `npm run bench -- --sweep` (docs/benchmarks.md).
 */
export const BATCHING = {
  wasm: { tokenBudget: 4096, maxBatchSize: 16 },
  webgpu: { tokenBudget: 8192, maxBatchSize: 32 },
  cpu: { tokenBudget: 4096, maxBatchSize: 16 },
} as const

/** dtype chosen by `dtype: 'auto'` for each device. */
export const AUTO_DTYPE = { webgpu: 'fp32', wasm: 'q8', cpu: 'q8' } as const

/** The pair scored to check that a WebGPU adapter computes what WASM computes. */
export const PROBE_PAIR = {
  query: 'how do plants make food',
  document: 'Photosynthesis converts light energy into chemical energy stored in glucose.',
} as const

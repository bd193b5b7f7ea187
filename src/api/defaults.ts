// The one place for webrerank's defaults. They are applied once, by resolveOptions (options.ts)
// for a reranker and by the request checks (request.ts) for a call; later code reads resolved values.

import type { LongDocumentMode, Policy, RemoteFormat, ResolvedDevice, ResolvedDtype } from './types.js'

export const DEFAULTS = {
  /** Small English cross-encoder (a registry name; it loads Xenova/ms-marco-MiniLM-L-6-v2, 23 MB at q8). */
  model: 'ms-marco-MiniLM-L-6-v2',
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
  longDocuments: 'truncate' as LongDocumentMode,
  /**
   * How long a worker may take to start running webrerank's code (its modules, transformers.js
   * among them, are fetched and evaluated first) before the load fails.
   */
  workerStartMs: 60_000,
  /** Largest |score difference| between WebGPU and WASM on the probe pair that still counts as agreeing. */
  probeTolerance: 0.02,
} as const

/** The remote backend's defaults (see RerankerOptions: endpoint, format, timeoutMs, maxRetries). */
export const REMOTE_DEFAULTS = {
  format: 'v1' as RemoteFormat,
  /** Per attempt. Hosted APIs answer 100 documents in well under a second; 30 s covers a cold server. */
  timeoutMs: 30_000,
  maxRetries: 2,
  /** First wait before a retry; doubled each time (500 ms, 1 s, 2 s…), with ±20% jitter. */
  retryBaseMs: 500,
  /** A server's `Retry-After` is honoured up to this many ms. */
  maxRetryAfterMs: 10_000,
} as const

/** The route each format's servers answer on, appended to an endpoint given as a base URL. */
export const REMOTE_ROUTES: Readonly<Record<RemoteFormat, string>> = {
  v1: '/v1/rerank',
  'cohere-v2': '/v2/rerank',
  tei: '/rerank',
}

/** HTTP statuses worth a retry: rate limits and a server or gateway that is (maybe briefly) unavailable. */
export const RETRY_STATUSES: readonly number[] = [429, 502, 503, 504]

export const REMOTE_FORMATS: readonly RemoteFormat[] = ['v1', 'cohere-v2', 'tei']
export const POLICIES: readonly Policy[] = ['local', 'remote', 'auto']

export const DEVICES = ['auto', 'webgpu', 'wasm', 'cpu'] as const
export const DTYPES = ['auto', 'fp32', 'fp16', 'q8', 'q4'] as const
export const LONG_DOCUMENT_MODES: readonly LongDocumentMode[] = ['truncate', 'chunk']

/** Micro-batch limits: rows × padded length per batch, and rows per batch. */
export interface BatchLimits {
  tokenBudget: number
  maxBatchSize: number
}

/**
 * Micro-batch limits per device: rows × padded length per batch, and rows per batch. Small
 * length-sorted batches waste little on padding and keep attention memory bounded.
 * WASM: measured by `npm run bench -- --sweep-only` (docs/batch-sweep.md): on 100 TREC DL
 * passages batches of 4–8 took 2.48 s, 16 took 2.83 s, 32 took 3.10 s; on SciFact abstracts
 * 2–16 were within 8% of each other, smaller slightly faster. CPU (onnxruntime-node): the same
 * kernels natively; batches of 8 measured 1.2 s vs 3.2 s for one padded batch.
 * WebGPU: not measured on a real GPU here (no GPU in this environment); GPUs amortise launch
 * overhead over larger batches, so it gets twice the WASM limits until measured.
 */
export const BATCHING: Readonly<Record<ResolvedDevice, BatchLimits>> = {
  wasm: { tokenBudget: 4096, maxBatchSize: 8 },
  webgpu: { tokenBudget: 8192, maxBatchSize: 16 },
  cpu: { tokenBudget: 4096, maxBatchSize: 8 },
}

/**
 * dtypes whose ONNX files quantize activations dynamically (`DynamicQuantizeLinear`, as
 * onnxruntime's `quantize_dynamic` writes transformers.js' `model_quantized.onnx`). The
 * quantization scale is computed over the whole input tensor, padding rows included, so a pair's
 * score would depend on the other pairs in its batch (issue 11: a 0.003319 score became 0.003980
 * next to one other document). These run one pair per micro-batch: no padding, no neighbours.
 * Measured cost (docs/batch-sweep.md): on Chromium WASM 24% on short TREC DL passages against
 * batches of 8 (1,980 vs 1,593 ms per 100), none on SciFact abstracts; natively 2-18% on DL19
 * across runs, none on SciFact (bench/batch-independence.ts). Both stay faster than fp32.
 */
export const PER_PAIR_DTYPES: readonly ResolvedDtype[] = ['q8']

/** dtype chosen by `dtype: 'auto'` for each device (a registry entry may say otherwise). */
export const AUTO_DTYPE: Readonly<Record<ResolvedDevice, ResolvedDtype>> = { webgpu: 'fp32', wasm: 'q8', cpu: 'q8' }

/** The pair warmup() scores, and the first of the WebGPU admission probe. */
export const PROBE_PAIR = {
  query: 'how do plants make food',
  document: 'Photosynthesis converts light energy into chemical energy stored in glucose.',
} as const

/**
 * Pairs scored on WebGPU and on WASM before WebGPU is admitted: short, medium and long (about
 * 10, 60 and 300 tokens), because fp16 overflow and shader bugs often show only on longer
 * sequences, and scored together so padding is exercised too.
 */
export const PROBE_PAIRS: readonly { query: string; document: string }[] = [
  PROBE_PAIR,
  {
    query: 'what causes the seasons on earth',
    document:
      "The seasons are caused by the tilt of Earth's rotational axis relative to its orbital plane. " +
      'When the Northern Hemisphere leans toward the Sun it receives more direct sunlight and longer days, ' +
      'so it is summer there, while the Southern Hemisphere has winter.',
  },
  {
    query: 'how does a transformer model process text',
    document: Array.from(
      { length: 12 },
      (_, i) =>
        `Layer ${i + 1} applies self-attention, in which every token attends to every other token with weights ` +
        'computed from queries and keys, followed by a feed-forward network and a residual connection.',
    ).join(' '),
  },
]

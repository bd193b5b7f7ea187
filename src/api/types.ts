// Public types of webrerank: options, the /v1/rerank request and response shapes, progress events.
// None of them mention transformers.js, so our API stays stable when it changes.

/** Where the model runs. Browser: `'auto'` (WebGPU when it works, else WASM), `'webgpu'`, `'wasm'`. Node: `'auto'` or `'cpu'`. */
export type Device = 'auto' | 'webgpu' | 'wasm' | 'cpu'

/** The device a loaded reranker actually uses. */
export type ResolvedDevice = 'webgpu' | 'wasm' | 'cpu'

/** Weight precision. `'auto'` picks per device (see README: q8 on WASM and CPU, fp32 on WebGPU). */
export type Dtype = 'auto' | 'fp32' | 'fp16' | 'q8' | 'q4'

/** The precision a loaded reranker actually uses. */
export type ResolvedDtype = Exclude<Dtype, 'auto'>

/**
 * What to do with a document longer than the room left after the query: `'truncate'` keeps its
 * start; `'chunk'` scores overlapping windows and keeps the best (what Cohere documents).
 */
export type LongDocumentMode = 'truncate' | 'chunk'

/** A document: a plain string or an object with a `text` field, as the hosted APIs accept. */
export type RerankDocumentInput = string | { text: string }

/** Load progress, a tagged union on `status` (one event per file, then `ready`). */
export type ProgressEvent =
  | { status: 'initiate'; file: string }
  | { status: 'download'; file: string }
  | { status: 'progress'; file: string; loaded: number; total: number; progress: number }
  | { status: 'done'; file: string }
  | { status: 'ready'; model: string; device: ResolvedDevice; dtype: ResolvedDtype; loadMs: number }

/**
 * A module Worker, described by what webrerank uses of it, so that webrerank's types need no DOM
 * library in Node projects. A browser `Worker` is one.
 */
export interface WorkerLike {
  // `any[]`: the DOM types it as Transferable[], which a Node project without the DOM library lacks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  postMessage(message: unknown, transfer: any[]): void
  addEventListener(type: 'error', listener: (event: { message: string; preventDefault(): void }) => void): void
  terminate(): void
}

/** Options of {@link createReranker}. Every field is optional; defaults are listed per field. */
export interface RerankerOptions {
  /**
   * Hugging Face hub id (or a folder name under `localModelPath`) of a sequence-classification
   * cross-encoder with ONNX weights in `onnx/`. Default: `'Xenova/ms-marco-MiniLM-L-6-v2'`,
   * a small English cross-encoder (23 MB at q8).
   */
  model?: string
  /** Where to run. Default `'auto'`: WebGPU when an adapter exists and passes a probe, else WASM (browser); CPU (Node). */
  device?: Device
  /** Weight precision. Default `'auto'`: q8 on WASM/CPU, fp32 on WebGPU. */
  dtype?: Dtype
  /**
   * Folder (Node) or URL prefix (browser, e.g. `'/models/'`) holding `<model id>/` folders.
   * When set, models are looked up there first. Default: none (hub only).
   */
  localModelPath?: string
  /** Load from the Hugging Face hub when the model is not found locally. Default `true`. */
  allowRemoteModels?: boolean
  /** Base URL of a hub mirror serving `<model id>/resolve/<revision>/<file>`. Default: `'https://huggingface.co/'`. */
  remoteHost?: string
  /** Most documents one call accepts. Default `100`, like the hosted APIs. */
  maxDocuments?: number
  /** Called with load progress (per-file download progress, then `ready`). */
  onProgress?: (event: ProgressEvent) => void
  /**
   * Browser only: where onnxruntime-web's runtime files are served, as `{ mjs, wasm }` URLs of one
   * build, or a URL prefix ending in `/` that holds `ort-wasm-simd-threaded.asyncify.{mjs,wasm}`
   * (the build WebGPU needs; onnxruntime picks it). Default: the files of the `onnxruntime-web`
   * dependency, emitted by the app's bundler (never a CDN): `ort-wasm-simd-threaded.{mjs,wasm}`
   * (14 MB, CPU only) when no WebGPU adapter exists, the asyncify build (27 MB) otherwise.
   */
  wasmPaths?: string | { mjs: string; wasm: string }
  /**
   * Browser only: a module Worker the app created from its own one-line module
   * `import 'webrerank/worker'`, for setups whose bundler cannot build webrerank's own worker
   * (see README, "Bundlers"). webrerank terminates it on `dispose()`. Default: webrerank starts
   * `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` itself.
   */
  worker?: WorkerLike
  /** Browser only: WASM threads. Default: `navigator.hardwareConcurrency` (capped at 4) when cross-origin isolated, else 1. */
  threads?: number
  /**
   * Most tokens (rows × padded length) in one micro-batch. Bounds memory: attention grows with
   * batch × heads × length². Default: per device, measured (see docs/benchmarks.md).
   */
  batchTokenBudget?: number
  /**
   * Most pairs in one micro-batch. Default: per device, measured (see docs/benchmarks.md); with
   * dtype q8, 1, because q8 graphs quantize activations with one scale per batch, so a pair's
   * score would depend on its neighbours. Setting it with q8 trades that independence for speed
   * (24% on Chromium WASM for short passages, none for long ones or on native CPU; docs/batch-sweep.md).
   */
  maxBatchSize?: number
  /**
   * Documents are cut to this many tokens before anything else, like Cohere's
   * `max_tokens_per_doc`. Default `4096`.
   */
  maxTokensPerDoc?: number
  /**
   * A document longer than the room left after the query: `'truncate'` (default) keeps its
   * start; `'chunk'` splits it into overlapping windows, scores every window and gives the
   * document its best window's score (what Cohere documents). Results keep one entry per
   * document; `usage` counts every window's tokens.
   */
  longDocuments?: LongDocumentMode
  /**
   * Longest pair fed to the model, in tokens (special tokens and prompt included). Default: the
   * model's own maximum (512 for most cross-encoders, 8192 for bge-reranker-v2-m3 and
   * Qwen3-Reranker). Lower it to bound latency and memory on long-context models (BAAI trained
   * bge-reranker-v2-m3 at 1024 and recommends that length); values above a registry model's
   * maximum are capped to it.
   */
  maxTokens?: number
  /**
   * Qwen3-Reranker only: the task instruction. Default: the model card's
   * `'Given a web search query, retrieve relevant passages that answer the query'`.
   */
  instruction?: string

  // Remote backend (README, "Remote backend"): the same API answered by a rerank server.

  /**
   * A rerank server speaking `format`: the full URL of its rerank route (e.g.
   * `'https://api.jina.ai/v1/rerank'`), or a base URL to which the format's route is appended
   * (`/v1/rerank`, `/v2/rerank`, `/rerank`). Setting it makes `policy` default to `'remote'`.
   * Servers tested: `webrerank serve`; the formats are those of TEI, Infinity, vLLM, Cohere, Jina, Voyage.
   */
  endpoint?: string
  /** Sent as `Authorization: Bearer <apiKey>` to `endpoint`. Default: none. */
  apiKey?: string
  /**
   * The server's request and response shape. Default `'v1'`: `/v1/rerank` (Cohere v1, Jina,
   * Voyage, vLLM, Infinity, webrerank). `'cohere-v2'`: Cohere's `/v2/rerank`. `'tei'`: Hugging
   * Face Text Embeddings Inference's `/rerank` (it reports no token usage: `usage` is 0).
   */
  format?: RemoteFormat
  /** The model name sent to `endpoint`. Default: `model` when given, else none (the server picks). */
  remoteModel?: string
  /** Milliseconds one attempt at `endpoint` may take before it fails with `timeout`. Default `30000`. */
  timeoutMs?: number
  /**
   * Retries after a 429, 502, 503 or 504 answer or a network failure, waiting 500 ms, 1 s, 2 s…
   * (or the server's `Retry-After`, at most 10 s). Default `2`.
   */
  maxRetries?: number
  /** Extra HTTP headers for `endpoint`. Default: none. */
  headers?: Record<string, string>
  /** The `fetch` to reach `endpoint` with (e.g. a `createFetchHandler` in tests). Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>
  /**
   * Where calls run: `'local'` (the model on this device), `'remote'` (`endpoint`), or `'auto'`:
   * local when WebGPU passed its probe or, with `autoMaxWarmupMs`, when `warmup()` took at most that
   * long; remote otherwise (also when the local model fails to load). `info.backend` and
   * `info.policyReason` say which and why. Default: `'remote'` with `endpoint`, else `'local'`.
   */
  policy?: Policy
  /**
   * `policy: 'auto'` only: keep the local model when its `warmup()` (one short pair) takes at most
   * this many ms, even without WebGPU. Default: none (only WebGPU qualifies).
   */
  autoMaxWarmupMs?: number
}

/**
 * Options that may send calls to a server: an `endpoint` given (createReranker's result then has
 * `info: AnyRerankerInfo`; check `info.backend`).
 */
export type RemoteRerankerOptions = RerankerOptions & { endpoint: string }

/** A remote server's request and response shape (see {@link RerankerOptions.format}). */
export type RemoteFormat = 'v1' | 'cohere-v2' | 'tei'

/** Where calls run (see {@link RerankerOptions.policy}). */
export type Policy = 'local' | 'remote' | 'auto'

/** Reported after each micro-batch of a {@link Reranker.rerank} call. */
export interface BatchProgress {
  /** Documents scored so far, and in all. */
  done: number
  total: number
  /** This batch's number (0-based) and the number planned. */
  batch: number
  batches: number
  /** Real tokens of this batch, and tokens after padding (rows × longest row). */
  tokens: number
  paddedTokens: number
  /** Milliseconds this batch took, and since the call started. */
  batchMs: number
  elapsedMs: number
  /** Scores of this batch's documents, by their index in the request. */
  scores: { index: number; relevance_score: number }[]
}

/** Options of one {@link Reranker.rerank} call. */
export interface RerankCallOptions {
  /** Return only the best `topN` results. Default: all documents. */
  topN?: number
  /** Include `document: { text }` in each result. Default `true`. */
  returnDocuments?: boolean
  /** Abort the call; it then rejects with a RerankError whose `name` is `'AbortError'` and code `'aborted'`. */
  signal?: AbortSignal
  /**
   * Latency budget in milliseconds. Documents are scored in their incoming (first-stage) order
   * for as long as the budget allows; the rest follow the scored ones in their incoming order
   * with `relevance_score: 0`. Every result then carries `reranked: true | false`.
   * Default: no budget (every document is scored).
   */
  budgetMs?: number
  /** Called after each micro-batch, e.g. to show progress on long lists. */
  onBatch?: (progress: BatchProgress) => unknown
  /** This call's `maxTokensPerDoc` (default: the reranker's). */
  maxTokensPerDoc?: number
  /** This call's `longDocuments` (default: the reranker's). */
  longDocuments?: LongDocumentMode
}

/** A /v1/rerank HTTP request body, accepted as is (snake_case). */
export interface RerankRequest {
  /** Echoed back in the response; must name the loaded model (or be omitted). */
  model?: string
  query: string
  documents: RerankDocumentInput[]
  top_n?: number
  return_documents?: boolean
  /** Cohere's `max_tokens_per_doc`: documents are cut to this many tokens. */
  max_tokens_per_doc?: number
}

/** One ranked document. */
export interface RerankResult {
  /** Position of the document in the request's `documents`. */
  index: number
  /** Relevance in 0..1 (sigmoid of the cross-encoder's logit); higher is more relevant. */
  relevance_score: number
  /** The document's text, unless `returnDocuments` / `return_documents` is false. */
  document?: { text: string }
  /** Only with `budgetMs`: whether the model scored this document within the budget. */
  reranked?: boolean
}

/** The /v1/rerank response body, exactly as the hosted APIs answer. */
export interface RerankResponse {
  /** `'rerank-'` followed by a random id. */
  id: string
  model: string
  /** Sorted by `relevance_score`, highest first; ties keep the original order. */
  results: RerankResult[]
  /** Real tokens fed to the model (special tokens included, padding excluded). */
  usage: { prompt_tokens: number; total_tokens: number }
}

/** What a loaded reranker runs on. */
export interface RerankerInfo {
  /** Calls run on this device. */
  backend: 'local'
  /** With `policy: 'auto'`: why the local model was kept. */
  policyReason?: string
  /** The model name as given to createReranker (echoed in responses). */
  model: string
  /** The hub repo or local folder loaded (a registry name resolves to its ONNX port). */
  modelId: string
  device: ResolvedDevice
  dtype: ResolvedDtype
  /** WASM/CPU threads in use (1 = single-threaded). On WebGPU, the threads of the WASM side. */
  threads: number
  /** Longest pair the model accepts, in tokens (special tokens included). */
  maxTokens: number
  /** Why `device: 'auto'` did not pick WebGPU, when it did not. */
  fallbackReason?: string
  /** Milliseconds the model took to load in the worker (download included), from the start of the load to `ready`. */
  loadMs: number
  /**
   * Where `loadMs` went, in ms: the WebGPU adapter check, the config and tokenizer, and the
   * model (ONNX download or cache read, runtime start-up, session creation, WebGPU probe).
   */
  loadPhases: { adapterMs: number; tokenizerMs: number; modelMs: number }
  /** Browser: why WASM runs single-threaded, when the page's isolation is the reason (and how to fix it). */
  threadsNote?: string
  /**
   * Browser: how often the worker was replaced and the model loaded again, after a failed
   * inference or a worker that stopped (absent until the first time). `loadMs` is then the last load's.
   */
  restarts?: number
  /** Micro-batch limits in use. */
  batchTokenBudget: number
  maxBatchSize: number
}

/** What a remote reranker (`endpoint`) talks to. */
export interface RemoteRerankerInfo {
  /** Calls go to `endpoint`. */
  backend: 'remote'
  /** The model name sent to the server; `''` when none is configured (the server picks). */
  model: string
  /** The same as `model`: the server resolves names itself. */
  modelId: string
  /** The URL calls are posted to (the rerank route). */
  endpoint: string
  format: RemoteFormat
  /** With `policy: 'auto'`: why calls go to the server. */
  policyReason?: string
  /** Milliseconds createReranker took (for `'auto'`, the local attempt included). */
  loadMs: number
}

/** What `createReranker` can give: a local model or a remote server (see `info.backend`). */
export type AnyRerankerInfo = RerankerInfo | RemoteRerankerInfo

/** What the browser's cache holds of one model at one dtype (see `modelCacheStatus`, `prefetch`). */
export interface ModelCacheStatus {
  /** The name as given. */
  model: string
  /** The hub repo or local folder it resolves to. */
  modelId: string
  /** The dtype whose files were checked (`'auto'` resolved for this browser's device). */
  dtype: ResolvedDtype
  /** Whether every file the model needs at this dtype is cached. */
  cached: boolean
  /** Bytes of the cached files. */
  bytes: number
  /** Each file the model needs (config, tokenizer, ONNX weights), cached or not. */
  files: { file: string; cached: boolean; bytes?: number }[]
}

/** Options of the cache functions: which model, at which dtype, from where (as for createReranker). */
export type ModelStorageOptions = Pick<
  RerankerOptions,
  'model' | 'dtype' | 'device' | 'localModelPath' | 'allowRemoteModels' | 'remoteHost' | 'worker'
>

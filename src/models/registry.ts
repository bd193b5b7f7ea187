// The model names hosted rerank APIs accept, mapped to hub repos that transformers.js can run
// (ONNX weights under onnx/). Every fact here was read from a stored model card or file listing;
// `verified` says which, and docs/models.md lists the pages and what could not be checked.

import type { ResolvedDtype } from '../api/types.js'

/** Architecture as it matters to webrerank: how pairs are encoded and how a score is read. */
export type ModelFamily =
  /** BERT cross-encoders (ms-marco MiniLM / TinyBERT): [CLS] q [SEP] d [SEP], one logit. */
  | 'bert'
  /**
   * JinaBERT (symmetric ALiBi, no position embeddings). Its config says model_type "bert", so
   * transformers.js loads it as BertForSequenceClassification; ALiBi lives inside the exported graph.
   */
  | 'jina-bert'
  /** XLM-RoBERTa cross-encoders (BGE rerankers): no token_type_ids, <s> q </s></s> d </s>. */
  | 'xlm-roberta'
  /** DeBERTa-v2/v3 cross-encoders (mxbai-rerank v1). */
  | 'deberta-v2'
  /** Qwen3-Reranker: a causal LM prompted with the card's chat template, scored by P("yes"). */
  | 'qwen3-llm'

export interface ModelEntry {
  /** Hub repo with transformers.js-layout ONNX weights (onnx/model.onnx, onnx/model_quantized.onnx, …). */
  id: string
  /** Original model the ONNX port converts (for citation). */
  source: string
  /** Names users type, matched case-insensitively. */
  aliases: readonly string[]
  family: ModelFamily
  /** Longest pair the model accepts (from the card / config), special tokens included. */
  maxTokens: number
  /** The dtype to load when the caller asks for 'auto'; always one with a file below. */
  defaultDtype: { webgpu: ResolvedDtype; wasm: ResolvedDtype }
  /** ONNX file names in the repo's onnx/ folder, per dtype: only files seen in a stored listing or reference. */
  files: Partial<Record<ResolvedDtype, string>>
  /** SPDX-ish id from the card (of the source model when the port's card states none). */
  license: string
  nonCommercial: boolean
  /** Sizes as the hub listing shows them (MB = 10^6 bytes); unknown sizes are left out. */
  approxDownloadMB: Partial<Record<ResolvedDtype, number>>
  languages: string
  notes?: string
  /** One line: which stored page(s) confirmed id, files, license and max length. */
  verified: string
}

// ms-marco cross-encoders: the same recipe in five sizes. The cross-encoder org renamed its
// repos (ms-marco-MiniLM-L-6-v2 -> ms-marco-MiniLM-L6-v2); users type both, so both are aliases.
function msMarco(
  model: string,
  sizes: Record<'fp32' | 'fp16' | 'q8', number>,
  listing: string,
  notes?: string,
): ModelEntry {
  const renamed = model.replace(/-L-(\d+)-/, '-L$1-')
  return {
    id: `Xenova/${model}`,
    source: `cross-encoder/${model}`,
    aliases: [model, `cross-encoder/${model}`, renamed, `cross-encoder/${renamed}`],
    family: 'bert',
    maxTokens: 512,
    defaultDtype: { webgpu: 'fp32', wasm: 'q8' },
    files: { fp32: 'model.onnx', fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: sizes,
    languages: 'English',
    ...(notes === undefined ? {} : { notes }),
    verified:
      `files/sizes: ${listing}; max 512 = max_position_embeddings (read in the L-4, L-6 and TinyBERT configs); ` +
      `license apache-2.0 on the cross-encoder card (the Xenova card states none)`,
  }
}

export const MODELS: readonly ModelEntry[] = [
  msMarco(
    'ms-marco-MiniLM-L-6-v2',
    { fp32: 91, fp16: 45.6, q8: 23.1 },
    'huggingface.co/Xenova/ms-marco-MiniLM-L-6-v2/tree/fec3517fe1016cfeee39338ef98ba76fc449dbcc/onnx',
    "webrerank's default model (DEFAULTS.model).",
  ),
  msMarco(
    'ms-marco-MiniLM-L-2-v2',
    { fp32: 62.5, fp16: 31.3, q8: 15.8 },
    'huggingface.co/Xenova/ms-marco-MiniLM-L-2-v2/tree/main/onnx',
  ),
  msMarco(
    'ms-marco-MiniLM-L-4-v2',
    { fp32: 76.8, fp16: 38.5, q8: 19.5 },
    'huggingface.co/Xenova/ms-marco-MiniLM-L-4-v2/tree/fe8d6077e59fdc76f7d67dcf6157c24cf43b652f/onnx',
  ),
  msMarco(
    'ms-marco-MiniLM-L-12-v2',
    { fp32: 134, fp16: 67.1, q8: 34.2 },
    'huggingface.co/Xenova/ms-marco-MiniLM-L-12-v2/tree/main/onnx',
  ),
  msMarco(
    'ms-marco-TinyBERT-L-2-v2',
    { fp32: 17.6, fp16: 8.84, q8: 4.5 },
    'huggingface.co/Xenova/ms-marco-TinyBERT-L-2-v2/tree/main/onnx',
    'Smallest and fastest entry (2 layers, hidden size 128); lowest quality.',
  ),
  {
    id: 'Xenova/bge-reranker-base',
    source: 'BAAI/bge-reranker-base',
    aliases: ['bge-reranker-base', 'BAAI/bge-reranker-base'],
    family: 'xlm-roberta',
    maxTokens: 512,
    // fp16 halves a 1.1 GB download on WebGPU (needs the adapter's shader-f16 feature).
    defaultDtype: { webgpu: 'fp16', wasm: 'q8' },
    files: { fp32: 'model.onnx', fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx' },
    license: 'mit',
    nonCommercial: false,
    approxDownloadMB: { fp32: 1110, fp16: 556, q8: 279 },
    languages: 'English, Chinese',
    verified:
      'files/sizes: huggingface.co/Xenova/bge-reranker-base/tree/refs%2Fpr%2F3/onnx (main onnx/ last commit is the same ' +
      '"Upload fp16 ONNX weights"); max_position_embeddings 514 (512 usable) in its config.json; license mit on the BAAI card',
  },
  {
    id: 'Xenova/bge-reranker-large',
    source: 'BAAI/bge-reranker-large',
    aliases: ['bge-reranker-large', 'BAAI/bge-reranker-large'],
    family: 'xlm-roberta',
    maxTokens: 512,
    defaultDtype: { webgpu: 'q8', wasm: 'q8' },
    files: { q8: 'model_quantized.onnx' },
    license: 'mit',
    nonCommercial: false,
    approxDownloadMB: { q8: 563 },
    languages: 'English, Chinese',
    notes:
      'Only the int8 file is usable: onnx/model.onnx (fp32) keeps its 2.24 GB of weights in onnx/model.onnx_data ' +
      '(external data), which webrerank does not load, and no fp16 file is listed. int8 on WebGPU may run slower than on WASM.',
    verified:
      'files/sizes: huggingface.co/Xenova/bge-reranker-large/tree/main/onnx; max 512: BAAI staff in ' +
      'huggingface.co/BAAI/bge-reranker-v2-m3/discussions/5; license mit: huggingface.co/BAAI/bge-reranker-large header',
  },
  {
    id: 'onnx-community/bge-reranker-v2-m3-ONNX',
    source: 'BAAI/bge-reranker-v2-m3',
    aliases: ['bge-reranker-v2', 'bge-reranker-v2-m3', 'BAAI/bge-reranker-v2-m3', 'baai-bge-reranker-v2-m3'],
    family: 'xlm-roberta',
    maxTokens: 8192,
    defaultDtype: { webgpu: 'fp16', wasm: 'q8' },
    files: { fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: { q8: 571 },
    languages: 'multilingual',
    notes:
      'BAAI fine-tuned it at 1024 tokens and recommends max_length 1024, though the model accepts 8192. ' +
      'The onnx/ listing itself was not in the stored pages: file names and the int8 size (570,727,094 bytes) come from ' +
      'public code downloading them from this repo; fp16 is referenced the same way (about 1.1 GB, size not confirmed). ' +
      'fp32 needs external data (model.onnx_data) and is not listed.',
    verified:
      'id: huggingface.co/onnx-community/bge-reranker-v2-m3-ONNX/commit/a3046abee880d6e78833e4e885939754355156bd ' +
      '(ONNX of BAAI/bge-reranker-v2-m3, Transformers.js usage); max 8192 and license apache-2.0: ' +
      'huggingface.co/BAAI/bge-reranker-v2-m3/discussions/9 and the BAAI card header',
  },
  {
    id: 'jinaai/jina-reranker-v1-tiny-en',
    source: 'jinaai/jina-reranker-v1-tiny-en',
    aliases: ['jina-reranker', 'jina-reranker-v1-tiny-en'],
    family: 'jina-bert',
    maxTokens: 8192,
    defaultDtype: { webgpu: 'fp32', wasm: 'q8' },
    files: { fp32: 'model.onnx', fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx', q4: 'model_q4.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: { fp32: 132, fp16: 66.3, q8: 33.4, q4: 101 },
    languages: 'English',
    notes:
      'JinaBERT with symmetric ALiBi (4 layers, 33M parameters). The Python model needs trust_remote_code, ' +
      'transformers.js does not: config model_type is "bert" and ALiBi is baked into the ONNX graph, which the Jina ' +
      'repo ships itself (tagged Transformers.js, example added by Xenova). q4 is larger than q8 and not worth it.',
    verified:
      'files/sizes: huggingface.co/jinaai/jina-reranker-v1-tiny-en/tree/main/onnx; 8,192 tokens and apache-2.0: ' +
      'its card; max_position_embeddings 8192, position_embedding_type alibi: config.json',
  },
  {
    id: 'jinaai/jina-reranker-v1-turbo-en',
    source: 'jinaai/jina-reranker-v1-turbo-en',
    aliases: ['jina-reranker-v1-turbo-en'],
    family: 'jina-bert',
    maxTokens: 8192,
    defaultDtype: { webgpu: 'fp32', wasm: 'q8' },
    files: { fp32: 'model.onnx', fp16: 'model_fp16.onnx', q8: 'model_quantized.onnx', q4: 'model_q4.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: { fp32: 151, fp16: 75.8, q8: 38.3, q4: 104 },
    languages: 'English',
    notes: 'JinaBERT with ALiBi, 6 layers, 37.8M parameters; runs in transformers.js as the tiny model does.',
    verified:
      'files/sizes: huggingface.co/jinaai/jina-reranker-v1-turbo-en/tree/main/onnx; 8,192 tokens and apache-2.0: ' +
      'its card; max_position_embeddings 8192 in config.json',
  },
  {
    id: 'onnx-community/Qwen3-Reranker-0.6B-ONNX',
    source: 'Qwen/Qwen3-Reranker-0.6B',
    aliases: ['Qwen/Qwen3-Reranker-0.6B', 'qwen3-reranker-0.6b', 'qwen3-reranker', 'qwen3-reranker-0p6b'],
    family: 'qwen3-llm',
    maxTokens: 8192,
    // The card's own example loads q4 on WebGPU.
    defaultDtype: { webgpu: 'q4', wasm: 'q8' },
    files: { q8: 'model_quantized.onnx', q4: 'model_q4.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: {},
    languages: 'multilingual (100+ languages)',
    notes:
      'A causal LM: scored as softmax over the "yes"/"no" logits at the last position of the card\'s chat prompt. ' +
      'No fp32/fp16 files (weights exceed the single-file limit). The model handles 32k tokens; 8192 is the ' +
      "truncation length of the card's example. Download sizes were not in the stored listing.",
    verified:
      'id and files: huggingface.co/onnx-community/Qwen3-Reranker-0.6B-ONNX card ("Available ONNX Variants"); ' +
      'max_length = 8192 and license apache-2.0: the Qwen/Qwen3-Reranker-0.6B card',
  },
  {
    id: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    source: 'mixedbread-ai/mxbai-rerank-xsmall-v1',
    aliases: ['mxbai-rerank-xsmall-v1'],
    family: 'deberta-v2',
    maxTokens: 512,
    defaultDtype: { webgpu: 'fp32', wasm: 'q8' },
    files: { fp32: 'model.onnx', q8: 'model_quantized.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: { fp32: 284, q8: 87.2 },
    languages: 'English',
    notes: 'The mixedbread repo ships the transformers.js-layout onnx/ folder itself (added with Xenova, Feb 2024).',
    verified:
      'files/sizes and apache-2.0: huggingface.co/mixedbread-ai/mxbai-rerank-xsmall-v1/tree/d1ba0a474aeed7c9fa96c3f57b128277580c5fae/onnx; ' +
      'recommended sequence length 512: mixedbread.ai/docs/reranking/mxbai-rerank-xsmall-v1',
  },
  {
    id: 'mixedbread-ai/mxbai-rerank-base-v1',
    source: 'mixedbread-ai/mxbai-rerank-base-v1',
    aliases: ['mxbai-rerank-base-v1'],
    family: 'deberta-v2',
    maxTokens: 512,
    defaultDtype: { webgpu: 'fp32', wasm: 'q8' },
    files: { fp32: 'model.onnx', q8: 'model_quantized.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: { fp32: 739, q8: 244 },
    languages: 'English',
    verified:
      'files/sizes and apache-2.0: huggingface.co/mixedbread-ai/mxbai-rerank-base-v1/tree/main/onnx; ' +
      'context window 512: mixedbread.com/docs/reranking/models/mxbai-rerank-base-v1',
  },
  {
    id: 'mixedbread-ai/mxbai-rerank-large-v1',
    source: 'mixedbread-ai/mxbai-rerank-large-v1',
    aliases: ['mxbai-rerank-large-v1'],
    family: 'deberta-v2',
    maxTokens: 512,
    // fp32 is a 1.74 GB download; int8 is the practical choice in a browser.
    defaultDtype: { webgpu: 'q8', wasm: 'q8' },
    files: { fp32: 'model.onnx', q8: 'model_quantized.onnx' },
    license: 'apache-2.0',
    nonCommercial: false,
    approxDownloadMB: { fp32: 1740, q8: 643 },
    languages: 'English',
    verified:
      'files/sizes and apache-2.0: huggingface.co/mixedbread-ai/mxbai-rerank-large-v1/tree/main/onnx; ' +
      'max_position_embeddings 512: its config.json',
  },
]

/** Lower-cased id or alias -> entry. */
const BY_NAME: ReadonlyMap<string, ModelEntry> = new Map(
  MODELS.flatMap((entry) => [entry.id, ...entry.aliases].map((name) => [normalize(name), entry] as const)),
)

function normalize(name: string): string {
  return name.trim().toLowerCase()
}

/** Finds a registry entry by id or alias (case-insensitive). */
export function findModel(name: string): ModelEntry | undefined {
  return BY_NAME.get(normalize(name))
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost))
    }
    prev = row
  }
  return prev[b.length]!
}

/**
 * Close registry names for a 'did you mean' message (simple edit distance / substring), one name
 * per model, closest first: names containing the input (or contained in it) before typos.
 *
 * @example
 * suggestModels('bge-rerank')
 * // ['bge-reranker-v2', 'bge-reranker-base', 'bge-reranker-large']
 */
export function suggestModels(name: string, limit = 3): string[] {
  const query = normalize(name)
  if (query === '') return []
  // A typo budget that grows with the name, so short inputs do not match everything.
  const maxDistance = Math.max(2, Math.floor(query.length / 4))
  const best: { name: string; rank: number; distance: number }[] = []
  for (const entry of MODELS) {
    let pick: { name: string; rank: number; distance: number } | undefined
    for (const candidate of [entry.id, ...entry.aliases]) {
      const lower = candidate.toLowerCase()
      // Also against the candidate's start, so a typo in a prefix ("bge-rerankr") still matches.
      const distance = Math.min(editDistance(query, lower), editDistance(query, lower.slice(0, query.length)))
      const contains = lower.includes(query) || query.includes(lower)
      if (!contains && distance > maxDistance) continue
      const rank = contains ? 0 : 1
      if (!pick || rank < pick.rank || (rank === pick.rank && distance < pick.distance))
        pick = { name: candidate, rank, distance }
    }
    if (pick) best.push(pick)
  }
  best.sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.name.localeCompare(b.name))
  return best.slice(0, limit).map((s) => s.name)
}

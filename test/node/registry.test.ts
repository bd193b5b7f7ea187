import { describe, expect, it, test } from 'vitest'
import { DEFAULTS } from '../../src/api/defaults'
import { modelMaxTokens } from '../../src/api/options'
import { findModel, MODELS, suggestModels } from '../../src/models/registry'

// The names hosted rerank APIs accept, and the repo each must resolve to.
const REQUIRED: Record<string, string> = {
  'bge-reranker-v2': 'onnx-community/bge-reranker-v2-m3-ONNX',
  'bge-reranker-v2-m3': 'onnx-community/bge-reranker-v2-m3-ONNX',
  'BAAI/bge-reranker-v2-m3': 'onnx-community/bge-reranker-v2-m3-ONNX',
  'BAAI/bge-reranker-large': 'Xenova/bge-reranker-large',
  'bge-reranker-large': 'Xenova/bge-reranker-large',
  'BAAI/bge-reranker-base': 'Xenova/bge-reranker-base',
  'bge-reranker-base': 'Xenova/bge-reranker-base',
  'jina-reranker': 'jinaai/jina-reranker-v1-tiny-en',
  'jina-reranker-v1-tiny-en': 'jinaai/jina-reranker-v1-tiny-en',
  'jina-reranker-v1-turbo-en': 'jinaai/jina-reranker-v1-turbo-en',
  'qwen/qwen3-reranker-0.6b': 'onnx-community/Qwen3-Reranker-0.6B-ONNX',
  'Qwen/Qwen3-Reranker-0.6B': 'onnx-community/Qwen3-Reranker-0.6B-ONNX',
  'ms-marco-MiniLM-L-6-v2': 'Xenova/ms-marco-MiniLM-L-6-v2',
  'cross-encoder/ms-marco-MiniLM-L-6-v2': 'Xenova/ms-marco-MiniLM-L-6-v2',
  'cross-encoder/ms-marco-MiniLM-L6-v2': 'Xenova/ms-marco-MiniLM-L-6-v2',
  'cross-encoder/ms-marco-MiniLM-L-2-v2': 'Xenova/ms-marco-MiniLM-L-2-v2',
  'cross-encoder/ms-marco-MiniLM-L-4-v2': 'Xenova/ms-marco-MiniLM-L-4-v2',
  'cross-encoder/ms-marco-MiniLM-L-12-v2': 'Xenova/ms-marco-MiniLM-L-12-v2',
  'cross-encoder/ms-marco-TinyBERT-L-2-v2': 'Xenova/ms-marco-TinyBERT-L-2-v2',
  'ms-marco-TinyBERT-L-2-v2': 'Xenova/ms-marco-TinyBERT-L-2-v2',
  'mixedbread-ai/mxbai-rerank-xsmall-v1': 'mixedbread-ai/mxbai-rerank-xsmall-v1',
  'mxbai-rerank-xsmall-v1': 'mixedbread-ai/mxbai-rerank-xsmall-v1',
}

describe('findModel', () => {
  test.each(Object.entries(REQUIRED))('%s -> %s, in any case', (name, id) => {
    expect(findModel(name)?.id).toBe(id)
    expect(findModel(name.toUpperCase())?.id).toBe(id)
    expect(findModel(name.toLowerCase())?.id).toBe(id)
  })

  test('every id finds its own entry, whatever the case', () => {
    for (const entry of MODELS) expect(findModel(entry.id.toLowerCase())).toBe(entry)
  })

  test('the library default is registered, with a q8 file', () => {
    const entry = findModel(DEFAULTS.model)
    expect(entry?.id).toBe('Xenova/ms-marco-MiniLM-L-6-v2')
    expect(entry?.files.q8).toBe('model_quantized.onnx')
  })

  test('an unknown name is undefined', () => {
    expect(findModel('gpt-4')).toBeUndefined()
    expect(findModel('')).toBeUndefined()
    expect(findModel('bge-reranker')).toBeUndefined()
  })
})

describe('MODELS', () => {
  test('ids are unique', () => {
    const ids = MODELS.map((m) => m.id.toLowerCase())
    expect(new Set(ids).size).toBe(ids.length)
  })

  test('every name (id or alias) belongs to exactly one entry', () => {
    const owner = new Map<string, string>()
    for (const entry of MODELS) {
      for (const name of new Set([entry.id, ...entry.aliases].map((n) => n.toLowerCase()))) {
        expect(owner.get(name), `"${name}" is claimed by ${owner.get(name)} and ${entry.id}`).toBeUndefined()
        owner.set(name, entry.id)
      }
    }
  })

  test.each(MODELS.map((m) => [m.id, m] as const))('%s is complete and consistent', (_id, entry) => {
    expect(entry.license).not.toBe('')
    expect(entry.maxTokens).toBeGreaterThan(0)
    expect(Number.isInteger(entry.maxTokens)).toBe(true)
    expect(entry.verified).not.toBe('')
    expect(entry.languages).not.toBe('')
    // The default dtypes must name files that exist.
    expect(entry.files[entry.defaultDtype.webgpu]).toBeDefined()
    expect(entry.files[entry.defaultDtype.wasm]).toBeDefined()
    for (const [dtype, file] of Object.entries(entry.files)) expect(file, dtype).toMatch(/^model[a-z0-9_]*\.onnx$/)
    // A size is only known for a file we know exists.
    for (const [dtype, mb] of Object.entries(entry.approxDownloadMB)) {
      expect(entry.files[dtype as keyof typeof entry.files], dtype).toBeDefined()
      expect(mb).toBeGreaterThan(0)
    }
    if (entry.nonCommercial) expect(entry.notes ?? '').toMatch(/non-?commercial/i)
  })

  test('the Qwen3 reranker is the causal-LM family', () => {
    expect(findModel('Qwen/Qwen3-Reranker-0.6B')?.family).toBe('qwen3-llm')
    expect(MODELS.filter((m) => m.family === 'qwen3-llm').map((m) => m.id)).toEqual([
      'onnx-community/Qwen3-Reranker-0.6B-ONNX',
    ])
  })
})

describe('suggestModels', () => {
  test('a prefix suggests the bge rerankers', () => {
    const names = suggestModels('bge-rerank')
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) expect(name.toLowerCase()).toContain('bge-reranker')
    expect(names.map((n) => findModel(n)?.id)).toEqual(
      expect.arrayContaining([
        'Xenova/bge-reranker-base',
        'Xenova/bge-reranker-large',
        'onnx-community/bge-reranker-v2-m3-ONNX',
      ]),
    )
  })

  test('a typo finds the intended model, one name per model', () => {
    expect(suggestModels('mxbai-rerank-xsmal-v1')[0]).toBe('mxbai-rerank-xsmall-v1')
    const names = suggestModels('ms-marco-minilm', 10)
    const ids = names.map((n) => findModel(n)?.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  test('every suggestion resolves, and the limit holds', () => {
    const names = suggestModels('reranker', 2)
    expect(names.length).toBeLessThanOrEqual(2)
    for (const name of suggestModels('reranker', 20)) expect(findModel(name)).toBeDefined()
  })

  test('nothing close gives nothing', () => {
    expect(suggestModels('gpt-4')).toEqual([])
    expect(suggestModels('   ')).toEqual([])
  })
})

describe('the longest pair a model takes (modelMaxTokens)', () => {
  it("a registry model's maximum replaces a smaller tokenizer model_max_length", () => {
    // jina-reranker: 8192 on its card; a generic tokenizer_config may say 512.
    expect(modelMaxTokens(8192, 512, 8192)).toBe(8192)
    expect(modelMaxTokens(1024, 512, 8192)).toBe(1024)
  })
  it("without a registry entry, the tokenizer's limit holds, and position embeddings cap everything", () => {
    expect(modelMaxTokens(undefined, 512)).toBe(512)
    expect(modelMaxTokens(2048, 512)).toBe(512)
    expect(modelMaxTokens(8192, 1e30, 8192, 4096)).toBe(4096)
    expect(modelMaxTokens(undefined, 1e30)).toBe(512)
  })
})

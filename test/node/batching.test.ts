import { describe, expect, test } from 'vitest'
import { planBatches } from '../../src/engine/batching'
import { encodePair, makeTemplate, truncateLongestFirst } from '../../src/encoding/pair-template'
import { scoresFromLogits, sigmoid } from '../../src/engine/scoring'

describe('planBatches', () => {
  const lengths = Array.from({ length: 100 }, (_, i) => 20 + ((i * 37) % 480))

  test('every index exactly once, batches within both limits, lengths sorted', () => {
    const batches = planBatches(lengths, { tokenBudget: 4096, maxBatchSize: 16 })
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i))
    for (const batch of batches) {
      const lens = batch.map((i) => lengths[i]!)
      expect(batch.length).toBeLessThanOrEqual(16)
      expect(batch.length * Math.max(...lens)).toBeLessThanOrEqual(4096)
      expect(lens).toEqual([...lens].sort((a, b) => b - a))
    }
  })

  test('a pair longer than the budget still gets a batch of its own', () => {
    expect(planBatches([5000, 10], { tokenBudget: 1000, maxBatchSize: 8 })).toEqual([[0], [1]])
  })

  test('sorting cuts padding compared with one padded batch', () => {
    const padded = (batches: number[][]) =>
      batches.reduce((n, b) => n + b.length * Math.max(...b.map((i) => lengths[i]!)), 0)
    const real = lengths.reduce((a, b) => a + b, 0)
    const sorted = padded(planBatches(lengths, { tokenBudget: 4096, maxBatchSize: 16 }))
    const single = padded([lengths.map((_, i) => i)])
    expect(1 - real / sorted).toBeLessThan(0.1)
    expect(1 - real / single).toBeGreaterThan(0.4)
  })
})

describe('truncateLongestFirst (Hugging Face tokenizers semantics)', () => {
  test.each([
    [10, 20, 100, [10, 20]], // fits
    [10, 600, 509, [10, 499]], // only the longer is cut
    [600, 10, 509, [499, 10]],
    [556, 498, 509, [255, 254]], // both cut: halves, the longer gets the odd token
    [498, 556, 509, [254, 255]],
    [300, 300, 509, [254, 255]],
  ])('%i + %i into %i', (a, b, max, expected) => {
    expect(truncateLongestFirst(a, b, max)).toEqual(expected)
  })

  test('the pair template keeps its final separator', () => {
    const template = makeTemplate([
      { kind: 'special', id: 101, typeId: 0 },
      { kind: 'A', typeId: 0 },
      { kind: 'special', id: 102, typeId: 0 },
      { kind: 'B', typeId: 1 },
      { kind: 'special', id: 102, typeId: 1 },
    ])
    const pair = encodePair(
      template,
      [1, 2, 3],
      Array.from({ length: 20 }, (_, i) => 10 + i),
      10,
    )
    expect(pair.inputIds).toEqual([101, 1, 2, 3, 102, 10, 11, 12, 13, 102])
    expect(pair.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
  })
})

describe('scores', () => {
  test('sigmoid is exact and finite at the extremes', () => {
    expect(sigmoid(0)).toBe(0.5)
    expect(sigmoid(1000)).toBe(1)
    expect(sigmoid(-1000)).toBe(0)
    expect(sigmoid(-2)).toBeCloseTo(1 / (1 + Math.exp(2)), 15)
  })

  test('two-label classifiers use the softmax probability of the last label', () => {
    const scores = scoresFromLogits(new Float32Array([0, Math.log(3), 2, 2]), 2)
    expect(scores[0]).toBeCloseTo(0.75, 6)
    expect(scores[1]).toBeCloseTo(0.5, 6)
  })
})

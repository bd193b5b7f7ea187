// Seeded random numbers for the test-model generators: the same seed gives the same weights
// and the same test inputs on every machine, so generated model files are byte-identical.

/** Mixes a seed with a label (FNV-1a) so each tensor draws from its own stream: adding a tensor never shifts the others. */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/** mulberry32 uniform generator plus a Box-Muller normal sampler. */
export class Prng {
  private state: number
  private spareNormal: number | null = null

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min))
  }

  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal
      this.spareNormal = null
      return mean + std * z
    }
    // 1 - next() lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()))
    const theta = 2 * Math.PI * this.next()
    this.spareNormal = r * Math.sin(theta)
    return mean + std * r * Math.cos(theta)
  }

  /** A Float32Array of `n` draws from N(mean, std²). */
  normals(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std)
    return out
  }
}

// The Porter (1980) stemmer, as in Martin Porter's reference C code and Lucene's PorterStemFilter,
// which is what Anserini's and Elasticsearch's English analyzers (behind BEIR's BM25 figures) use.
// Written here rather than taken from npm: Porter2 ("english" Snowball) would stem differently
// from those baselines, and the Porter packages on npm are either CommonJS-only or unmaintained.

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u'])

/**
 * Stems one lowercase word, e.g. `'running'` → `'run'`, `'relational'` → `'relat'`.
 * Words of one or two letters are left alone, as in the reference code.
 */
export function porterStem(word: string): string {
  if (word.length <= 2) return word
  const s = new Stemmer(word)
  s.step1ab()
  s.step1c()
  s.step2()
  s.step3()
  s.step4()
  s.step5()
  return s.result()
}

/** The reference algorithm's state: the buffer `b`, its end `k` and the stem end `j`. */
class Stemmer {
  private b: string[]
  private k: number
  private j = 0

  constructor(word: string) {
    this.b = [...word]
    this.k = this.b.length - 1
  }

  result(): string {
    return this.b.slice(0, this.k + 1).join('')
  }

  /** True when b[i] is a consonant; 'y' is one at the start or after a vowel. */
  private cons(i: number): boolean {
    const c = this.b[i]!
    if (VOWELS.has(c)) return false
    if (c === 'y') return i === 0 ? true : !this.cons(i - 1)
    return true
  }

  /** The measure m of b[0..j]: the number of vowel-consonant sequences, [C](VC)^m[V]. */
  private m(): number {
    let n = 0
    let i = 0
    for (;;) {
      if (i > this.j) return n
      if (!this.cons(i)) break
      i++
    }
    i++
    for (;;) {
      for (;;) {
        if (i > this.j) return n
        if (this.cons(i)) break
        i++
      }
      i++
      n++
      for (;;) {
        if (i > this.j) return n
        if (!this.cons(i)) break
        i++
      }
      i++
    }
  }

  private vowelInStem(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.cons(i)) return true
    return false
  }

  /** b[i-1..i] is a double consonant. */
  private doubleC(i: number): boolean {
    return i >= 1 && this.b[i] === this.b[i - 1] && this.cons(i)
  }

  /** b[i-2..i] is consonant-vowel-consonant and the last is not w, x or y (e.g. 'hop', not 'snow'). */
  private cvc(i: number): boolean {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false
    const c = this.b[i]
    return c !== 'w' && c !== 'x' && c !== 'y'
  }

  /** True when b[0..k] ends with `s`; then j marks the end of the stem before it. */
  private ends(s: string): boolean {
    const len = s.length
    if (len > this.k + 1) return false
    for (let i = 0; i < len; i++) if (this.b[this.k - len + 1 + i] !== s[i]) return false
    this.j = this.k - len
    return true
  }

  /** Replaces b[j+1..k] with `s`. */
  private setTo(s: string): void {
    this.b.splice(this.j + 1, this.k - this.j, ...s)
    this.k = this.j + s.length
  }

  private replaceIfMeasured(s: string): void {
    if (this.m() > 0) this.setTo(s)
  }

  /** Plurals and -ed / -ing: caresses → caress, ponies → poni, agreed → agree, hopping → hop. */
  step1ab(): void {
    if (this.b[this.k] === 's') {
      if (this.ends('sses')) this.k -= 2
      else if (this.ends('ies')) this.setTo('i')
      else if (this.b[this.k - 1] !== 's') this.k--
    }
    if (this.ends('eed')) {
      if (this.m() > 0) this.k--
    } else if ((this.ends('ed') || this.ends('ing')) && this.vowelInStem()) {
      this.k = this.j
      if (this.ends('at')) this.setTo('ate')
      else if (this.ends('bl')) this.setTo('ble')
      else if (this.ends('iz')) this.setTo('ize')
      else if (this.doubleC(this.k)) {
        this.k--
        const c = this.b[this.k]
        if (c === 'l' || c === 's' || c === 'z') this.k++
      } else if (this.m() === 1 && this.cvc(this.k)) this.setTo('e')
    }
  }

  /** Terminal y → i when there is another vowel in the stem: happy → happi. */
  step1c(): void {
    if (this.ends('y') && this.vowelInStem()) this.b[this.k] = 'i'
  }

  /** Double suffixes to single ones: relational → relate, (with the reference's -bli and -logi departures). */
  step2(): void {
    this.rules(this.b[this.k - 1], STEP2)
  }

  /** -ic-, -full, -ness etc.: electrical → electric, hopeful → hope. */
  step3(): void {
    this.rules(this.b[this.k], STEP3)
  }

  /** Drops -ant, -ence etc. when the stem's measure is above 1: adjustment → adjust. */
  step4(): void {
    const suffixes = STEP4[this.b[this.k - 1] ?? '']
    if (!suffixes) return
    let found = false
    for (const suffix of suffixes) {
      if (!this.ends(suffix)) continue
      // -ion only goes after s or t (adoption → adopt, but not onion).
      if (suffix === 'ion' && !(this.j >= 0 && (this.b[this.j] === 's' || this.b[this.j] === 't'))) continue
      found = true
      break
    }
    if (found && this.m() > 1) this.k = this.j
  }

  /** A final -e when the measure allows it, and -ll → -l: probate → probat, controll → control. */
  step5(): void {
    this.j = this.k
    if (this.b[this.k] === 'e') {
      const a = this.m()
      if (a > 1 || (a === 1 && !this.cvc(this.k - 1))) this.k--
    }
    if (this.b[this.k] === 'l' && this.doubleC(this.k) && this.m() > 1) this.k--
  }

  /** Applies the first rule whose suffix matches (keyed by one letter of the word, as in the reference). */
  private rules(key: string | undefined, table: Record<string, [string, string][]>): void {
    const rules = table[key ?? '']
    if (!rules) return
    for (const [suffix, replacement] of rules) {
      if (this.ends(suffix)) {
        this.replaceIfMeasured(replacement)
        return
      }
    }
  }
}

// Keyed by the penultimate letter, like the reference's switch, so only a few suffixes are tried.
const STEP2: Record<string, [string, string][]> = {
  a: [['ational', 'ate'], ['tional', 'tion']],
  c: [['enci', 'ence'], ['anci', 'ance']],
  e: [['izer', 'ize']],
  l: [['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous']],
  o: [['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate']],
  s: [['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous']],
  t: [['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble']],
  g: [['logi', 'log']],
}

// Keyed by the last letter.
const STEP3: Record<string, [string, string][]> = {
  e: [['icate', 'ic'], ['ative', ''], ['alize', 'al']],
  i: [['iciti', 'ic']],
  l: [['ical', 'ic'], ['ful', '']],
  s: [['ness', '']],
}

// Keyed by the penultimate letter.
const STEP4: Record<string, string[]> = {
  a: ['al'],
  c: ['ance', 'ence'],
  e: ['er'],
  i: ['ic'],
  l: ['able', 'ible'],
  n: ['ant', 'ement', 'ment', 'ent'],
  o: ['ion', 'ou'],
  s: ['ism'],
  t: ['ate', 'iti'],
  u: ['ous'],
  v: ['ive'],
  z: ['ize'],
}

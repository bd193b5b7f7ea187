// `language: 'auto'`: which language a document or query is in. The script decides first (Han
// with kana is Japanese, Hangul Korean, Arabic script Arabic, …); where several languages share a
// script (Latin, Cyrillic, Devanagari) the one whose stop words the text uses most wins.
//
// Why stop words and not a trigram detector such as franc-min: on SciFact's 5,183 abstracts
// franc-min takes 5.2 s (1.5 s on the first 300 characters) where indexing itself takes 2 s, and
// it adds ~53 kB gzip of trigram tables; counting stop words costs one Map lookup per word of
// the first 2,000 characters and reuses lists the analyzers ship anyway. It needs a few function
// words to decide, so a short query ("Rechnungen") stays undecided: createSearch then analyses
// it in every language of its script that the index holds (see ../search.ts).

import { languageEntry, languagesOf, type LanguageCode } from './catalog.js'
import { scriptOf, type Script } from './scripts.js'
import { STOP_WORDS } from '../analyzer.js'
import { scriptDefault } from './analysis.js'

/**
 * Stop words a language needs to be decided: one is chance ("cat" is Romanian, "die" German and
 * Dutch), and a short English text such as "cat dog" must stay English.
 */
const MIN_VOTES = 2

/** Characters of a text that detection reads: enough for a stable vote, cheap for long documents. */
const SAMPLE = 2000

/** The script most of the letters of `text` (its first 2,000 characters) are written in. */
export function dominantScript(text: string): Script {
  const counts = new Map<Script, number>()
  const end = Math.min(text.length, SAMPLE)
  let hasKana = false
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i)
    // Fast path: ASCII letters are by far the most common.
    const script =
      code < 0x80
        ? (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a
          ? 'latin'
          : 'common'
        : scriptOf(text.codePointAt(i)!)
    if (script === 'common' || script === 'other') continue
    if (script === 'kana') hasKana = true
    counts.set(script, (counts.get(script) ?? 0) + 1)
  }
  let best: Script = 'common'
  let most = 0
  for (const [script, count] of counts) {
    // A CJK character carries about a word; weigh it like the ~3 letters of a spaced-script word.
    const weight = script === 'han' || script === 'kana' || script === 'hangul' ? count * 3 : count
    if (weight > most) [best, most] = [script, weight]
  }
  // Japanese mixes Han and kana; Chinese has no kana.
  return best === 'han' && hasKana ? 'kana' : best
}

// Stop-word lists used to vote, per script: word → bit mask of the languages whose list has it.
const voters = new Map<Script, Promise<{ codes: LanguageCode[]; words: Map<string, number> }>>()

function loadVoters(script: Script): Promise<{ codes: LanguageCode[]; words: Map<string, number> }> {
  let promise = voters.get(script)
  if (!promise) {
    const codes = languagesOf(script)
    promise = Promise.all(
      codes.map((code) =>
        // English analyses with Lucene's 33 stop words, but votes with them and @orama/stopwords' 180.
        code === 'en'
          ? import('@orama/stopwords/english').then(({ stopwords }) => ({ stopwords: [...stopwords, ...STOP_WORDS] }))
          : Promise.resolve(languageEntry(code).stopWords?.()),
      ),
    ).then((lists) => {
      const words = new Map<string, number>()
      lists.forEach((list, bit) => {
        // Some lists (Spanish, Hungarian, Bulgarian…) are long and hold content words ("general",
        // "автентичен") or single letters ("p", "u", as in initials and "p < 0.05"); function words
        // are short, so only words of 2 to 4 letters vote.
        for (const word of list?.stopwords ?? [])
          if (word.length >= 2 && word.length <= 4) words.set(word, (words.get(word) ?? 0) | (1 << bit))
      })
      return { codes, words }
    })
    promise.catch(() => voters.delete(script))
    voters.set(script, promise)
  }
  return promise
}

const WORD = /[\p{L}\p{M}]+(?:['\u2019][\p{L}\p{M}]+)?/gu

/**
 * The language of `text`, and whether the text decided it. Decided: the best language has at least
 * 2 stop words and 1.25 times those of the next. Otherwise `decided` is false and the
 * answer is the candidate first in catalog order (English for Latin script).
 * `among`: when it holds languages of the text's script, only those are candidates (createSearch
 * passes the languages its index holds, so an English-only index reads every query as English).
 *
 * @example
 * await detectLanguage('Die Rechnungen wurden gestern bezahlt.') // { language: 'de', decided: true }
 * await detectLanguage('Rechnungen') // { language: 'en', decided: false }
 * await detectLanguage('什么是向量数据库') // { language: 'zh', decided: true }
 */
export async function detectLanguage(
  text: string,
  among?: ReadonlySet<LanguageCode>,
): Promise<{ language: LanguageCode; decided: boolean }> {
  const { language, decided } = await detect(text, among)
  return { language, decided }
}

/** What {@link detectLanguage} says, plus the language an undecided text leans to. */
export interface Detection {
  language: LanguageCode
  decided: boolean
  /**
   * Undecided, but one language led on stop words ("Houses and trees": English, by "and"). Too
   * weak alone ("cat" is a Romanian stop word), so only a hint for callers that know which
   * languages a corpus holds.
   */
  hint?: LanguageCode
}

/** {@link detectLanguage}, with the hint of an undecided answer. */
export async function detect(text: string, among?: ReadonlySet<LanguageCode>): Promise<Detection> {
  const script = dominantScript(text)
  if (script === 'common') return { language: 'en', decided: false }
  if (script === 'han') return { language: 'zh', decided: true }
  if (script === 'kana') return { language: 'ja', decided: true }
  if (script === 'hangul') return { language: 'ko', decided: true }
  if (script === 'thai') return { language: 'th', decided: true }
  const all = languagesOf(script)
  if (all.length === 0) return { language: scriptDefault(script), decided: false }
  const indexed = among ? all.filter((code) => among.has(code)) : []
  const candidates = indexed.length > 0 ? indexed : all
  if (candidates.length === 1) return { language: candidates[0]!, decided: true }
  const { codes, words } = await loadVoters(script)
  const votes = new Array<number>(codes.length).fill(0)
  for (const match of text.slice(0, SAMPLE).matchAll(WORD)) {
    const mask = words.get(match[0].toLowerCase())
    if (mask === undefined) continue
    for (let bit = 0; bit < codes.length; bit++) if (mask & (1 << bit)) votes[bit]!++
  }
  const ranked = candidates
    .map((code) => ({ code, votes: votes[codes.indexOf(code)]! }))
    .sort((a, b) => b.votes - a.votes)
  const [first, second] = [ranked[0]!, ranked[1]!]
  if (first.votes === 0) return { language: candidates[0]!, decided: false }
  // A near tie (German and Dutch on "die"; "de" in an English text about Charles de Gaulle) is
  // not evidence enough to leave the script's default.
  if (first.votes >= MIN_VOTES && first.votes >= 1.25 * second.votes) return { language: first.code, decided: true }
  return {
    language: candidates[0]!,
    decided: false,
    ...(first.votes > second.votes ? { hint: first.code } : {}),
  }
}

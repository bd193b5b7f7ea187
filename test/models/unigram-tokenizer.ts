// A small, deterministic Hugging Face tokenizer.json of the XLM-RoBERTa kind (sentencepiece Unigram,
// Metaspace, `<s> A </s></s> B </s>`), standing in for the 250k-piece tokenizer we cannot ship.
import { deriveSeed, Prng } from './prng.js'

/** XLM-R's fixed ids: fairseq's four specials first; `<mask>` is the last id of the vocabulary. */
export const XLMR_SPECIAL_IDS = { bos: 0, pad: 1, eos: 2, unk: 3 } as const
const SPECIALS = ['<s>', '<pad>', '</s>', '<unk>'] as const
const MASK = '<mask>'
const METASPACE = '\u2581'

/** Decides the pieces' log-probabilities; bump to draw a different (but still fixed) vocabulary. */
const VOCAB_SEED = 250002

// Word lists are ordered roughly by frequency: earlier pieces get higher log-probabilities.
const ENGLISH = `the of and to in is was for on that with as by it at from he his an be are or which this have not
has had but were their they one all its also been first who can more new other after she her two
when into there some time so no only most many may would about over such than out up used what these
year years city world people state part during between under later made then use well where because
however while both through each known since called same three high how why do does did make like
just very any could should our your you we us them him me my now much before again against among
around being below down few further here off once own too will within without capital France Paris
Berlin Germany Europe country population largest populous mitochondria cell cells energy power
powerhouse biology science history language model models document documents query search rank
ranking score scores result results question answer answers water earth sun moon light heat food
health body brain computer data machine learning neural network text word words sentence sentences
topic topics talks talk short long small large big good great important information system systems
number numbers value values example examples test tests term terms developer software code program
user users Tokyo Japan China London German French English`

const CAPITALIZED = `The A In It This He She They We I On For As At By From His Her Paris France Berlin Germany
Tokyo Japan China London Europe English French German Sentence Question Answer`

const OTHER_WORDS = `le la les de des du un une et est en dans pour que qui sur avec pas plus par ville capitale
français très être été crème brûlée naïve façade café où der die das und ist nicht ein eine mit von zu
den dem im auf für über Hauptstadt Deutschland Straße größte schön Stadt και του της το η ο στην είναι
Αθήνα πρωτεύουσα и в не на что с по это столица Москва России город является`

const CJK_WORDS = `中国 北京 首都 人口 我们 日本 东京 東京 城市 世界 大学 学生 时间 问题 今天 中文 英语
です ます した こと する ある いる 日本語 人口は 約 万人 東京都`

const SUBWORDS = `s es ed ing er ers est ly tion tions ment ments ness al ity ous ive able ible ic ical ist ists ism
ful less ance ence ant ent ian ial ize ise ized ised ure age ary ory ery ship hood ward wards en an on or
ar le ra ri ro re ta te ti to ma me mi mo na ne ni no la li lo ca co ce ci de di do ge gi go pa pe pi po
sa se si so st th ch sh ph wh qu ck ng nt nd rs ts ll ss tt pp mm nn ee oo ea ou ai ie ei un in im dis
con com pro pre pos sub inter trans over under non anti auto bio geo tele micro 00 10 19 20 200 2000
000 1 2 3 4 5 6 7 8 9 0 é è ê à ç ô ü ö ä ß ión ung heit keit lich isch chen`

function words(list: string): string[] {
  return list.split(/\s+/).filter((w) => w.length > 0)
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i))
}

/**
 * The single characters of the vocabulary: ASCII, Latin accents, Greek, Cyrillic, Hebrew, Arabic,
 * Devanagari, Thai, kana, a stretch of CJK, a little Hangul and a few symbols and emoji. Only NFKC-stable ones: the normalizer runs
 * first, so a character it rewrites could never be looked up (sentencepiece vocabularies lack them too).
 */
function characters(): string[] {
  const chars = [
    ...range(0x21, 0x7e), // ASCII printable but space
    ...range(0xa1, 0x17f), // Latin-1 Supplement and Latin Extended-A
    ...range(0x391, 0x3a9), // Greek capitals
    ...range(0x3ac, 0x3ce), // Greek small letters, with tonos
    ...range(0x400, 0x45f), // Cyrillic
    ...range(0x5d0, 0x5ea), // Hebrew letters
    ...range(0x621, 0x64a), // Arabic letters
    ...range(0x905, 0x939), // Devanagari letters
    ...range(0xe01, 0xe3a), // Thai
    ...range(0x3041, 0x3096), // Hiragana
    ...range(0x30a1, 0x30fc), // Katakana
    ...range(0x4e00, 0x53ff), // the start of CJK Unified Ideographs, where many common ones sit
    ...Array.from('한국어서울사람의는이가을를에다하고있습니'),
    ...Array.from('、。「」『』・ー東京約語國国城市界学時間問題今天英北首都万本'),
    ...Array.from('–—‘’“”…€£¥•→×÷°'),
    ...Array.from('😀🙂👍🎉🚀❤✓'),
  ]
  return chars.filter((c) => c.normalize('NFKC') === c && !/\p{Cc}|\p{Cf}|\p{Z}/u.test(c))
}

/** The pieces between the four specials and `<mask>`, most probable first, without duplicates. */
function pieces(): string[] {
  const wordInitial = (list: string[]): string[] => list.map((w) => METASPACE + w)
  const ascii = range(0x21, 0x7e)
  const all = [
    METASPACE,
    ...',.-\'"()'.split(''),
    ...wordInitial(words(ENGLISH)),
    ...wordInitial(words(CAPITALIZED)),
    ...wordInitial(words(OTHER_WORDS)),
    ...words(CJK_WORDS),
    ...wordInitial(words(CJK_WORDS)),
    ...words(SUBWORDS),
    ...wordInitial(words(SUBWORDS)),
    ...wordInitial(ascii.filter((c) => /[A-Za-z0-9]/.test(c))),
    ...characters(),
  ]
  return [...new Set(all)].filter((p) => !(SPECIALS as readonly string[]).includes(p))
}

/**
 * [piece, log-probability] pairs in id order. Log-probs fall like -(3 + ln(1 + rank)), Zipf-like, minus a
 * seeded jitter below the smallest gap between ranks: they stay strictly decreasing, and the jitter
 * breaks the exact ties that ln(a) + ln(b) = ln(c) + ln(d) would give, where tokenizers may choose differently.
 */
export function unigramVocab(): [string, number][] {
  const prng = new Prng(deriveSeed(VOCAB_SEED, 'unigram.scores'))
  const scored = pieces().map((piece, rank): [string, number] => [piece, -(3 + Math.log1p(rank)) - 1e-5 * prng.next()])
  return [...SPECIALS.map((s): [string, number] => [s, 0]), ...scored, [MASK, 0]]
}

/** Vocabulary size: the four specials, the pieces and `<mask>`, whose id is `UNIGRAM_VOCAB_SIZE - 1`. */
export const UNIGRAM_VOCAB_SIZE = unigramVocab().length
export const MASK_ID = UNIGRAM_VOCAB_SIZE - 1

function addedToken(id: number, content: string, lstrip = false): Record<string, unknown> {
  return { id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true }
}

function template(sequences: readonly string[]): unknown[] {
  return sequences.map((s) =>
    s.startsWith('$') ? { Sequence: { id: s.slice(1), type_id: 0 } } : { SpecialToken: { id: s, type_id: 0 } },
  )
}

/**
 * The tokenizer.json object. The real normalizer is sentencepiece's precompiled nmt_nfkc map; NFKC plus
 * its tab/newline-to-space rule is what that map amounts to on ordinary text, and both transformers.js
 * and `tokenizers` implement these steps natively. The final Replace is the one the XLM-R converter adds.
 */
export function unigramTokenizerJson(): Record<string, unknown> {
  const specialToken = (token: string, id: number): Record<string, unknown> => ({
    id: token,
    ids: [id],
    tokens: [token],
  })
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...SPECIALS.map((s, id) => addedToken(id, s)), addedToken(MASK_ID, MASK, true)],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Replace', pattern: { Regex: '[\\t\\n\\r]' }, content: ' ' },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: template(['<s>', '$A', '</s>']),
      pair: template(['<s>', '$A', '</s>', '</s>', '$B', '</s>']),
      special_tokens: {
        '<s>': specialToken('<s>', XLMR_SPECIAL_IDS.bos),
        '</s>': specialToken('</s>', XLMR_SPECIAL_IDS.eos),
      },
    },
    decoder: { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: XLMR_SPECIAL_IDS.unk, vocab: unigramVocab(), byte_fallback: false },
  }
}

// createSearch in languages other than English: analysis per script family, hand-computed BM25
// per family, language detection, mixed-language corpora, the English figures left unchanged,
// and the indexing speed benchmark's corpora.

import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RerankError } from '../../src/node'
import { analyze, createSearch, evaluateRun, type SearchDocumentInput, type Qrels } from '../../src/search/index'
import { analyzeIn } from '../../src/search/languages/analysis'
import type { LanguageCode } from '../../src/search/languages/catalog'
import { detectLanguage } from '../../src/search/languages/detect'
import { indexingSpeed, SPEED_SAMPLES } from '../../scripts/eval'

/**
 * Lucene's BM25 (k1 = 0.9, b = 0.4) of one document for query terms given as [tf, df] pairs, with
 * MiniSearch's document length (distinct terms). Written out so each case below is hand-checkable.
 */
function bm25(terms: [tf: number, df: number][], n: number, length: number, averageLength: number): number {
  const k1 = 0.9
  const b = 0.4
  return terms.reduce((sum, [tf, df]) => {
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5))
    return sum + (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength))
  }, 0)
}

async function scores(docs: SearchDocumentInput[], query: string): Promise<[number, number, string][]> {
  const search = createSearch()
  await search.add(docs)
  const { results } = await search.query(query)
  return results.map((r) => [r.index, r.first_stage.score, r.first_stage.analyzer])
}

describe('analysis per script family', () => {
  const cases: [LanguageCode, string, string[]][] = [
    // Han: the overlapping bigrams of the run, as Lucene's CJKBigramFilter.
    ['zh', '向量数据库', ['向量', '量数', '数据', '据库']],
    // Latin inside a Han token keeps its own analysis (English: Porter).
    ['zh', 'Redis是内存键值存储', ['redi', '是内', '内存', '存键', '键值', '值存', '存储']],
    // A lone CJK character is a unigram; digits end a run and are a word of their own.
    ['zh', '2024年 书', ['2024', '年', '书']],
    // Kana and Han together (Japanese): bigrams across word boundaries.
    ['ja', '東京の天気', ['東京', '京の', 'の天', '天気']],
    // Elasticsearch's documented output for its cjk_bigram filter on this sentence.
    [
      'ja',
      '東京都は、日本の首都であり',
      ['東京', '京都', '都は', '日本', '本の', 'の首', '首都', '都で', 'であ', 'あり'],
    ],
    // A '.' inside a token ends a run and is no term.
    ['ja', '東京.大阪', ['東京', '大阪']],
    // Hangul: the bigrams of each eojeol, which match inside particles (는).
    ['ko', '데이터베이스는 빠르다', ['데이', '이터', '터베', '베이', '이스', '스는', '빠르', '르다']],
    ['ko', 'API를 2주', ['api', '를', '2', '주']],
    // Thai: dictionary words, no bigrams; Latin inside a Thai token is a word of its own.
    ['th', 'แมวกินปลา', ['แมว', 'กิน', 'ปลา']],
    ['th', 'ภาษาThai', ['ภาษา', 'thai']],
    // Arabic: harakat dropped, then the Snowball stemmer takes the article (ال) off.
    ['ar', 'الكِتَابُ الجديد', ['كتاب', 'جديد']],
    // Cyrillic: stop word и dropped, Snowball Russian.
    ['ru', 'Книги и журналы', ['книг', 'журнал']],
    // Latin with diacritics: German ß and umlauts folded by the Snowball stemmer, stop words dropped.
    ['de', 'Die Häuser und die Straße', ['haus', 'strass']],
    ['de', 'Strasse Haus', ['strass', 'haus']],
    // French: elision (L'), stop word (été, des), plural chevaux → cheval.
    ['fr', "L'été des chevaux", ['cheval']],
    ['es', 'Canciones de la canción', ['cancion', 'cancion']],
    // Greek: tonos and final sigma folded.
    ['el', 'Ελληνικά βιβλία', ['ελλην', 'βιβλ']],
    // Turkish: dotted capital İ, apostrophe suffix dropped.
    ['tr', "İstanbul'da", ['istanbul']],
    // Fullwidth Latin and digits folded (Lucene's CJKWidthFilter).
    ['en', 'ＡＢＣ１２３', ['abc123']],
  ]
  for (const [language, text, terms] of cases) {
    it(`${language}: ${text}`, async () => {
      expect(await analyzeIn(text, language)).toEqual(terms)
    })
  }

  it('analyses English exactly as the English-only analyzer did', async () => {
    const texts = [
      "The Runner's shoes were running, running!",
      'IL-6 levels of 1,000 pg/mL in the U.S.',
      'TNF-α and IFN-γ induce 17β-estradiol in κ light chains',
    ]
    for (const text of texts) expect(await analyzeIn(text, 'en')).toEqual(analyze(text))
  })

  it('analyses a word in another script in that script’s language', async () => {
    // "Москва" in an English text is Russian; a lone Greek letter in English science is not.
    expect(await analyzeIn('Flights to Москве', 'en')).toEqual(['flight', 'москв'])
    expect(await analyzeIn('κ chains', 'en')).toEqual(['κ', 'chain'])
  })
})

describe('hand-computed BM25 per script family', () => {
  it('Han: a query word matches inside a compound through its bigram', async () => {
    // Terms: d0 向量 量数 数据 据库 (4 distinct), d1 关系 系数 数据 据库 (4). Query 向量: tf 1, df 1 of N 2.
    const res = await scores(['向量数据库', '关系数据库'], '向量')
    expect(res).toHaveLength(1)
    expect(res[0]![0]).toBe(0)
    expect(res[0]![1]).toBeCloseTo(bm25([[1, 1]], 2, 4, 4), 5) // ln 2 = 0.693147
    expect(res[0]![2]).toBe('zh')
  })

  it('Kana: bigrams across word boundaries', async () => {
    // d0 東京 京の の天 天気, d1 京都 都の の天 天気 (4 each). Query = d0's terms:
    // の天, 天気 in both (df 2), 東京, 京の only in d0 (df 1).
    const res = await scores(['東京の天気', '京都の天気'], '東京の天気')
    expect(res.map((r) => r[0])).toEqual([0, 1])
    const shared: [number, number][] = [
      [1, 2],
      [1, 2],
    ]
    expect(res[0]![1]).toBeCloseTo(bm25([...shared, [1, 1], [1, 1]], 2, 4, 4), 5) // 1.750937
    expect(res[1]![1]).toBeCloseTo(bm25(shared, 2, 4, 4), 5) // 0.364643
    expect(res[0]![2]).toBe('ja')
  })

  it('Hangul: a word matches the same word with a particle through its bigrams', async () => {
    // d0: 데이 이터 터베 베이 이스 스는, 빠르 르다 (8 distinct); d1: 파일 일은, 느리 리다 (4).
    // Query 데이터베이스 → 데이 이터 터베 베이 이스 (tf 1, df 1 in d0).
    const res = await scores(['데이터베이스는 빠르다', '파일은 느리다'], '데이터베이스')
    expect(res.map((r) => r[0])).toEqual([0])
    const five = Array.from({ length: 5 }, (): [number, number] => [1, 1])
    expect(res[0]![1]).toBeCloseTo(bm25(five, 2, 8, 6), 5) // 3.259851 (5 × ln 2 × 1.9 / 2.02)
    expect(res[0]![2]).toBe('ko')
  })

  it('Thai: dictionary words', async () => {
    // d0 แมว กิน ปลา, d1 หมา กิน ข้าว (3 each). ปลา: tf 1, df 1; กิน: df 2.
    const res = await scores(['แมวกินปลา', 'หมากินข้าว'], 'ปลา')
    expect(res.map((r) => r[0])).toEqual([0])
    expect(res[0]![1]).toBeCloseTo(bm25([[1, 1]], 2, 3, 3), 5)
    expect(res[0]![2]).toBe('th')
  })

  it('Arabic: diacritics and the article do not stop a match', async () => {
    // d0 كتاب جديد, d1 قلم قديم (2 each). Query كتاب: tf 1, df 1.
    const res = await scores(['الكِتَابُ الجديد', 'القلم القديم'], 'كتاب')
    expect(res.map((r) => r[0])).toEqual([0])
    expect(res[0]![1]).toBeCloseTo(bm25([[1, 1]], 2, 2, 2), 5)
    expect(res[0]![2]).toBe('ar')
  })

  it('Arabic: a word with and without the article and teh marbuta share a stem (قاهرة finds القاهرة)', async () => {
    const search = createSearch()
    await search.add(['القاهرة هي عاصمة مصر', 'أحب القراءة في المكتبة', 'الطقس حار اليوم'])
    expect((await search.query('قاهرة')).results.map((r) => r.index)).toEqual([0])
    expect((await search.query('مكتبة')).results.map((r) => r.index)).toEqual([1])
    // و / ف / ك + ال ("and the", "so the", "like the") meet the bare and the definite form.
    expect((await search.query('والمكتبة')).results.map((r) => r.index)).toEqual([1])
    expect((await search.query('فالقاهرة')).results.map((r) => r.index)).toEqual([0])
  })

  it('a Japanese question falls back to its kanji, not its particles', async () => {
    const search = createSearch()
    await search.add(['東京は日本の首都です', '富士山は日本で一番高い山です', 'すしは日本料理です', '猫が好きです'])
    // No bigram shared; は and い would match most documents, 猫 only the one about cats.
    expect((await search.query('猫はかわいい')).results.map((r) => r.index)).toEqual([3])
  })

  it('Cyrillic: inflections share a stem', async () => {
    // d0 книг журнал, d1 стол стул (2 each). Query книга → книг: tf 1, df 1.
    const res = await scores(['Книги и журналы лежат', 'Столы и стулья стоят'], 'книга')
    expect(res.map((r) => r[0])).toEqual([0])
    // d0 книг журнал леж (3), d1 стол стул стоя (3).
    expect(res[0]![1]).toBeCloseTo(bm25([[1, 1]], 2, 3, 3), 5)
    expect(res[0]![2]).toBe('ru')
  })

  it('Latin with diacritics: ß, umlauts and plurals', async () => {
    // d0 haus strass (2); d1 "Ein Auto und ein Fahrrad" → auto fahrrad (2). Query Haus Strasse → haus, strass (df 1 each).
    const res = await scores(['Die Häuser und die Straße', 'Ein Auto und ein Fahrrad'], 'Haus Strasse')
    expect(res.map((r) => r[0])).toEqual([0])
    expect(res[0]![1]).toBeCloseTo(
      bm25(
        [
          [1, 1],
          [1, 1],
        ],
        2,
        2,
        2,
      ),
      5,
    ) // 2 ln 2 = 1.386294
    expect(res[0]![2]).toBe('de')
  })
})

describe('language detection', () => {
  it('decides by script, then by stop words', async () => {
    expect(await detectLanguage('什么是向量数据库')).toEqual({ language: 'zh', decided: true })
    expect(await detectLanguage('ベクトルデータベースとは何ですか')).toEqual({ language: 'ja', decided: true })
    expect(await detectLanguage('벡터 데이터베이스란 무엇인가')).toEqual({ language: 'ko', decided: true })
    expect(await detectLanguage('ฐานข้อมูลเวกเตอร์คืออะไร')).toEqual({ language: 'th', decided: true })
    expect(await detectLanguage('ما هي قاعدة البيانات')).toEqual({ language: 'ar', decided: true })
    expect(await detectLanguage('Die Rechnungen wurden gestern von der Bank bezahlt.')).toEqual({
      language: 'de',
      decided: true,
    })
    expect(await detectLanguage('Les chevaux sont dans le pré avec les vaches.')).toEqual({
      language: 'fr',
      decided: true,
    })
    expect(await detectLanguage('Что такое векторная база данных и как она работает?')).toEqual({
      language: 'ru',
      decided: true,
    })
    // One content word: undecided, the script's default.
    expect(await detectLanguage('Rechnungen')).toEqual({ language: 'en', decided: false })
    // Candidates restricted to the index's languages.
    expect(await detectLanguage('Les chevaux sont dans le pré.', new Set<LanguageCode>(['en']))).toEqual({
      language: 'en',
      decided: true,
    })
  })
})

describe('multilingual search', () => {
  it('finds the vector-database document first for the issue’s Chinese example', async () => {
    const search = createSearch()
    await search.add(['向量数据库用于存储高维向量', '关系数据库使用表格存储结构化数据', 'Redis是内存键值存储'])
    const { results } = await search.query('什么是向量数据库')
    expect(results[0]).toMatchObject({ index: 0, first_stage: { rank: 1, analyzer: 'zh' } })
    // 关系数据库 shares 数据 and 据库; the Redis document shares no bigram, and comes last through
    // the query's character 是 (a prefix of its bigram 是内), scored below every bigram match.
    expect(results.map((r) => r.index)).toEqual([0, 1, 2])
    expect(results[2]!.first_stage.score).toBeLessThan(results[1]!.first_stage.score)
  })

  it('a question sharing no bigram with a document still finds it through its characters', async () => {
    const search = createSearch()
    await search.add(['我喜欢狗', '猫很可爱', '今天天气很好'])
    const { results } = await search.query('什么是猫')
    expect(results.map((r) => r.index)).toEqual([1])
    // Enough bigram matches: no character search, so nothing else comes along.
    const few = await search.query('天气很好', { candidates: 1 })
    expect(few.results.map((r) => r.index)).toEqual([2])
  })

  it('a one-character CJK query also matches the bigrams it starts, after where it stands alone', async () => {
    const search = createSearch()
    await search.add(['狗在公园里跑', '我的猫很可爱', '猫', '黑猫'])
    const { results } = await search.query('猫')
    // 猫 alone (the unigram) first, then 猫很 by prefix; 黑猫 ends with it, which a prefix cannot find.
    expect(results.map((r) => r.index)).toEqual([2, 1])
  })

  it("a document too short to decide follows its one stop word, else its script's majority", async () => {
    const search = createSearch()
    await search.add([
      'Die Rechnungen wurden gestern von der Bank bezahlt, und die Kunden sind mit dem Ergebnis zufrieden.',
      'Häuser, Bäume',
      'Katzen und Hunde',
      'Houses and trees',
      'The invoices were paid by the bank yesterday, and the customers are happy with it.',
      'Die Lieferung kommt morgen, und der Kunde ist mit der Firma zufrieden.',
    ])
    const analyzers = async (query: string) =>
      (await search.query(query)).results.map((r) => [r.index, r.first_stage.analyzer])
    // No stop word: the batch's majority (German), so the German stem finds it.
    expect(await analyzers('Haus')).toEqual([[1, 'de']])
    // "und": German; "and": English, a language the corpus holds, although most of it is German.
    expect(await analyzers('Katze')).toEqual([[2, 'de']])
    expect((await search.query('trees')).results.map((r) => [r.index, r.first_stage.analyzer])).toContainEqual([
      3,
      'en',
    ])
    // Alone, each is undecided, and English is the Latin script's default.
    for (const text of ['Houses and trees', 'Katzen und Hunde', 'Häuser, Bäume'])
      expect(await detectLanguage(text)).toEqual({ language: 'en', decided: false })
  })

  it('answers a query in any language of a mixed corpus', async () => {
    const search = createSearch()
    const docs = [
      { id: 'en', text: 'The invoices were paid by the bank yesterday.' },
      { id: 'de', text: 'Die Rechnungen wurden gestern von der Bank bezahlt.' },
      { id: 'fr', text: 'Les chevaux sont dans le pré avec les vaches.' },
      { id: 'es', text: 'Las canciones de la banda sonaron en la radio.' },
      { id: 'ru', text: 'Книги лежат на столе в библиотеке.' },
      { id: 'ar', text: 'الكِتَابُ على الطاولة في المكتبة' },
      { id: 'zh', text: '向量数据库用于存储高维向量' },
      { id: 'ja', text: 'ベクトルデータベースは高次元ベクトルを保存する' },
      { id: 'ko', text: '데이터베이스는 데이터를 저장한다' },
      { id: 'th', text: 'ฐานข้อมูลเวกเตอร์เก็บเวกเตอร์' },
    ]
    await search.add(docs)
    const expectations: [string, string][] = [
      ['paid invoices', 'en'],
      ['Rechnung', 'de'], // too short to detect: analysed as English and German, the German stem matches
      ['Rechnungen bezahlt', 'de'],
      ['cheval', 'fr'],
      ['canción', 'es'],
      ['книга', 'ru'],
      ['كتاب', 'ar'],
      ['向量数据库', 'zh'],
      ['データベース', 'ja'],
      ['데이터베이스', 'ko'],
      ['เวกเตอร์', 'th'],
    ]
    for (const [query, id] of expectations) {
      const { results } = await search.query(query)
      expect(results[0]?.id, query).toBe(id)
      expect(results[0]?.first_stage.analyzer, query).toBe(id)
    }
  })

  it('takes a fixed language, a language per document, and one per query', async () => {
    const fixed = createSearch({ language: 'de' })
    await fixed.add(['Rechnung', 'Rechnungen'])
    const res = await fixed.query('rechnungen')
    expect(res.results.map((r) => [r.index, r.first_stage.analyzer])).toEqual([
      [0, 'de'],
      [1, 'de'],
    ])

    const perDocument = createSearch()
    // Document 1 is too short to decide and follows the batch's majority (German, 2 of 3);
    // document 2's own language wins over any detection.
    await perDocument.add([
      { text: 'Rechnungen', language: 'de' },
      { text: 'Rechnungen' },
      { text: 'Rechnungen', language: 'en' },
      { text: 'Die Rechnung', language: 'de' },
    ])
    const both = await perDocument.query('Rechnung', { language: 'de' })
    expect(both.results.map((r) => [r.index, r.first_stage.analyzer]).sort()).toEqual([
      [0, 'de'],
      [1, 'de'],
      [3, 'de'],
    ])
  })

  it('rejects unknown languages', async () => {
    expect(() => createSearch({ language: 'xx' as LanguageCode })).toThrow(RerankError)
    expect(() => createSearch({ language: 'xx' as LanguageCode })).toThrow(/webrerank: unknown language "xx"/)
    const search = createSearch()
    await expect(search.add([{ text: 'a', language: 'xx' as LanguageCode }])).rejects.toMatchObject({
      code: 'invalid_documents',
    })
    await search.add(['a b c'])
    await expect(search.query('b', { language: 'xx' as LanguageCode })).rejects.toMatchObject({
      code: 'invalid_request',
    })
  })
})

const SCIFACT = path.resolve(__dirname, '../../../shared/data/scifact')

describe.skipIf(!existsSync(SCIFACT))('SciFact BM25 (English) unchanged', () => {
  it('gives nDCG@10 0.6778 ± 0.001, as before languages existed', { timeout: 120_000 }, async () => {
    const jsonl = <T>(file: string): T[] =>
      readFileSync(path.join(SCIFACT, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as T)
    const qrels = new Map<string, Map<string, number>>()
    for (const line of readFileSync(path.join(SCIFACT, 'qrels/test.tsv'), 'utf8').split('\n').slice(1)) {
      const [q, d, grade] = line.trim().split(/\s+/)
      if (!q || !d || grade === undefined) continue
      if (!qrels.has(q)) qrels.set(q, new Map())
      qrels.get(q)!.set(d, Number(grade))
    }
    const search = createSearch()
    const corpus = jsonl<{ _id: string; title?: string; text: string }>('corpus.jsonl')
    await search.add(corpus.map((d) => ({ id: d._id, title: d.title ?? '', text: d.text })))
    const run = new Map<string, string[]>()
    for (const q of jsonl<{ _id: string; text: string }>('queries.jsonl').filter((q) => qrels.has(q._id))) {
      const res = await search.query(q.text, { topN: 100, returnDocuments: false })
      run.set(
        q._id,
        res.results.map((r) => r.id),
      )
      expect(new Set(res.results.map((r) => r.first_stage.analyzer))).toEqual(new Set(['en']))
    }
    expect(evaluateRun(run, qrels as Qrels).ndcg10).toBeCloseTo(0.6778, 3)
  })
})

// Speed itself is a benchmark, not a test: `npm run eval -- --speed-only` prints each language's
// time against English's, measured side by side (docs/eval.md). This only checks that the
// benchmark measures what it says: each synthetic corpus is analysed in its own language.
describe('indexing speed benchmark', () => {
  it('gives each language’s synthetic corpus its own analyzer', { timeout: 60_000 }, async () => {
    const rows = await indexingSpeed(50, 150, 1)
    expect(rows.map((row) => row.language)).toEqual(Object.keys(SPEED_SAMPLES))
    for (const row of rows) {
      expect(row.analyzers, row.language).toEqual([row.language])
      expect(row.terms, row.language).toBeGreaterThan(0)
    }
  })
})

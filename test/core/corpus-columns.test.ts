/**
 * The compact corpus: the columns drawn from a generated session's plan alone are the ones its whole
 * session gives; the randomizer behind per-session generation; every sort order from counting sorts.
 */
import t from 'tap'
import { CorpusGenerator } from '../../src/core/corpus/generate.ts'
import { emptyRow, rowOfPlan, rowOfSession } from '../../src/core/corpus/columns.ts'
import { Sfc32Randomizer } from '../../src/core/faker.ts'
import { CorpusStore, RECORD_CACHE } from '../../src/core/corpus/store.ts'
import { generateCorpus } from '../../src/core/corpus/generate.ts'
import { parseSort } from '../../src/core/query/sort.ts'
import { progressLog } from '../../src/app.ts'

const NOW = Date.parse('2026-01-15T12:00:00Z')

t.test('a plan gives the same column values as the whole session', async (t) => {
  for (const seed of [1, 42, 2 ** 40 + 7]) {
    const g = new CorpusGenerator({ seed, now: NOW })
    for (let i = 0; i < 400; i++) {
      const fromPlan = structuredClone(rowOfPlan(g.plan(i), emptyRow()))
      const fromSession = rowOfSession(g.session(i), emptyRow())
      if (JSON.stringify(fromPlan) !== JSON.stringify(fromSession)) {
        t.fail(`seed ${seed}, session ${i}: ${JSON.stringify(fromPlan)} vs ${JSON.stringify(fromSession)}`)
        return
      }
    }
  }
  t.pass('3 seeds × 400 sessions')
})

t.test('the randomizer: a seed fixes the sequence; any word of it changes it', async (t) => {
  const draw = (seed: number | number[]) => {
    const r = new Sfc32Randomizer()
    r.seed(seed)
    return Array.from({ length: 8 }, () => r.next())
  }
  t.same(draw([7, 3]), draw([7, 3]))
  t.same(draw(7), draw([7]), 'a number is a list of one')
  t.not(JSON.stringify(draw([7, 3])), JSON.stringify(draw([7, 4])))
  t.not(JSON.stringify(draw(2 ** 33)), JSON.stringify(draw(2 ** 33 + 2 ** 32)), 'the high bits count')
  t.ok(draw(1).every((x) => x >= 0 && x < 1), 'in [0, 1)')
})

t.test('every sort order of a partition, against a plain sort of whole sessions', async (t) => {
  const sessions = generateCorpus({ seed: 9, sessions: 600, now: NOW })
  const generated = CorpusStore.generated({ seed: 9, sessions: 600, now: NOW })
  const loaded = CorpusStore.of(sessions)
  const web = sessions.filter((s) => s.version_key === 'shop.example.com' && s.platform === 'web') as Extract<(typeof sessions)[number], { type: 'web' }>[]
  const key = (s: (typeof web)[number], f: string) => (f === 'created_at' ? Date.parse(s.created_at) : (s as unknown as Record<string, number>)[f]!)
  for (const spec of [['dead_click_count:desc', 'rage_click_count'], ['rage_click_count', 'session_duration_ms:desc'], ['created_at'], ['dead_click_count', 'created_at:desc']]) {
    const sort = parseSort(spec, 'web')
    const expected = [...web]
      .sort((a, b) => {
        for (const s of sort) {
          const d = key(a, s.field) - key(b, s.field)
          if (d !== 0) return d * s.dir
        }
        return a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0
      })
      .map((s) => s.session_id)
    for (const store of [generated, loaded]) {
      const idx = store.sorted('shop.example.com', 'web', sort)
      t.same(Array.from(idx.positions, (p) => store.sessionId(p)), expected, spec.join(','))
    }
  }
})

t.test('sessions are rebuilt on demand: the same bytes, a bounded cache', async (t) => {
  const store = CorpusStore.generated({ seed: 3, sessions: RECORD_CACHE + 10, now: NOW })
  const first = store.record(0)
  t.equal(store.record(0), first, 'kept while recent')
  for (let i = 1; i <= RECORD_CACHE; i++) store.record(i)
  const again = store.record(0)
  t.not(again, first, 'dropped once the cache is full, rebuilt when asked again')
  t.same(again.session, first.session)
  t.same(store.peek(5), store.record(5))
})

t.test('a long load reports its progress; the app logs it every few seconds at most', async (t) => {
  const seen: string[] = []
  CorpusStore.generated({ seed: 1, sessions: 300, now: NOW }, (step, done, total) => seen.push(`${step} ${done}/${total}`))
  t.equal(seen[0], 'generating 300/300')
  t.equal(seen.at(-1), 'indexing 300/300')
  const lines: string[] = []
  const log = { info: (_o: object, msg: string) => lines.push(msg) }
  const every = progressLog(log as never, 0)
  every('generating', 5, 10)
  t.same(lines, ['corpus: generating 5 of 10 sessions'])
  const seldom = progressLog(log as never)
  seldom('generating', 6, 10)
  t.equal(lines.length, 1, 'not within seconds of the start')
})

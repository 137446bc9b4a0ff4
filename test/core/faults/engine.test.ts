import t from 'tap'
import { FaultEngine, matches, partialMatch, seededRandom, type FaultRequest } from '../../../src/core/faults/engine.ts'
import { parseRule, type FaultRule } from '../../../src/core/faults/rules.ts'
import { headerLookup } from '../../../src/http/headers.ts'

const request = (over: Partial<FaultRequest> = {}): FaultRequest => ({
  endpoint: 'sessions.list',
  method: 'POST',
  token: 't1',
  body: { type: 'mobile', platform: 'ios', version_key: 'k', limit: 5, sort_by: ['created_at:desc'] },
  bodyIsQuery: false,
  header: headerLookup({ 'x-team': 'a', 'x-many': ['1', '2'] }),
  ...over,
})

/** Which of `n` identical requests the engine answers with a stored rule. */
function hits(engine: FaultEngine, n: number, req = request()): number[] {
  const out: number[] = []
  for (let i = 1; i <= n; i++) if (engine.decide(req)) out.push(i)
  return out
}

const engineWith = (...rules: FaultRule[]) => new FaultEngine({ seed: 1, startup: rules.map((r) => parseRule(r)) })

t.test('schedules', async (t) => {
  t.same(hits(engineWith({ status: 500 }), 4), [1, 2, 3, 4], 'no schedule: every request')
  t.same(hits(engineWith({ status: 500, after: 2, times: 3 }), 10), [3, 4, 5], 'after: 2, times: 3 → 3–5')
  t.same(hits(engineWith({ status: 500, every: 4 }), 13), [4, 8, 12], 'every: 4 → 4, 8, 12')
  t.same(hits(engineWith({ status: 500, after: 1, every: 3, times: 2 }), 20), [4, 7], 'after + every + times')
  t.same(hits(engineWith({ status: 500, times: 1 }), 3), [1])
  t.same(hits(engineWith({ status: 500, probability: 0 }), 50), [])
  t.same(hits(engineWith({ status: 500, probability: 1 }), 5), [1, 2, 3, 4, 5])
})

t.test('probability draws from a stream seeded by the seed and the rule id', async (t) => {
  const draw = (seed: number) => {
    const e = new FaultEngine({ seed, startup: [parseRule({ status: 503, probability: 0.3 })] })
    return hits(e, 200)
  }
  const a = draw(7)
  t.same(draw(7), a, 'same seed, same hits')
  t.not(JSON.stringify(draw(8)), JSON.stringify(a), 'another seed, other hits')
  t.ok(a.length > 30 && a.length < 90, `about 30% of 200 (${a.length})`)
  const r1 = seededRandom(3, 'x')
  const r2 = seededRandom(3, 'x')
  const xs = Array.from({ length: 100 }, () => r1())
  t.same(Array.from({ length: 100 }, () => r2()), xs)
  t.ok(xs.every((x) => x >= 0 && x < 1))
  t.not(seededRandom(3, 'y')(), seededRandom(3, 'x')())
  // With times, probability decides which eligible requests answer, until times is used up.
  const capped = hits(new FaultEngine({ seed: 7, startup: [parseRule({ status: 503, probability: 0.3, times: 4 })] }), 200)
  t.same(capped, a.slice(0, 4))
})

t.test('matching', async (t) => {
  const req = request()
  const m = (match: unknown, r = req) => matches(parseRule({ status: 500, match }).match, r)
  t.ok(matches(undefined, req))
  t.ok(m({}))
  t.ok(m({ endpoint: 'sessions.list' }))
  t.notOk(m({ endpoint: 'sessions.get' }))
  t.notOk(m({ endpoint: 'sessions.list' }, request({ endpoint: undefined })))
  t.ok(m({ method: 'POST' }))
  t.notOk(m({ method: 'GET' }))
  t.ok(m({ token: 't1' }))
  t.notOk(m({ token: 't2' }))
  t.ok(m({ headers: { 'X-Team': 'a' } }), 'header names are case-insensitive')
  t.notOk(m({ headers: { 'x-team': 'A' } }), 'values are exact')
  t.notOk(m({ headers: { 'x-absent': 'a' } }))
  t.ok(m({ headers: { 'x-many': '1, 2' } }), 'repeated headers as one list')
  t.ok(m({ body: { platform: 'ios' } }))
  t.ok(m({ body: { platform: 'ios', limit: 5, sort_by: ['created_at:desc'] } }))
  t.notOk(m({ body: { platform: 'android' } }))
  t.notOk(m({ body: { limit: '5' } }), 'a JSON body compares types strictly')
  t.notOk(m({ body: { absent: null } }))
  const get = request({ method: 'GET', body: { platform: 'ios', limit: '5' }, bodyIsQuery: true })
  t.ok(m({ method: 'GET', body: { platform: 'ios', limit: 5 } }, get), 'query values match by their string form')
  t.notOk(m({ body: { limit: 6 } }, get))
  t.ok(m({ endpoint: 'sessions.list', method: 'POST', token: 't1', body: { type: 'mobile' }, headers: { 'x-team': 'a' } }))
})

t.test('partialMatch', async (t) => {
  t.ok(partialMatch({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }), 'nested subset')
  t.notOk(partialMatch({ a: { b: 1 } }, { a: 1 }))
  t.notOk(partialMatch({ a: 1 }, [1]))
  t.ok(partialMatch([{ a: 1 }, 2], [{ a: 1, b: 0 }, 2]), 'arrays element by element')
  t.notOk(partialMatch([1], [1, 2]), 'arrays keep their length')
  t.notOk(partialMatch([1], { 0: 1 }))
  t.notOk(partialMatch([2], [1]))
  t.ok(partialMatch(null, null))
  t.notOk(partialMatch(null, 'null', true), 'null never matches a string form')
  t.ok(partialMatch(true, 'true', true))
  t.notOk(partialMatch(true, 'true'))
})

t.test('precedence: run-time rules newest first, then start-up rules; everyone who matches counts', async (t) => {
  const e = engineWith({ status: 500 }, { status: 503 })
  t.match(e.decide(request()), { id: 'startup-1', answer: { kind: 'error', error: { status: 500, type: 'internal_error' } } })
  const [r1] = e.add([parseRule({ status: 403, times: 1 })])
  const [r2, r3] = e.add([parseRule({ status: 404, after: 1, times: 1 }), parseRule({ status: 401, match: { token: 'other' } })])
  t.same([r1, r2, r3], ['rule-1', 'rule-2', 'rule-3'])
  t.same(
    e.list().map((r) => r.id),
    ['rule-3', 'rule-2', 'rule-1', 'startup-1', 'startup-2'],
    'listed in precedence order; of rules added together the last ranks first',
  )
  t.equal(e.decide(request())?.id, 'rule-1', 'rule-2 lets one pass; rule-1 answers')
  t.equal(e.decide(request())?.id, 'rule-2')
  t.equal(e.decide(request())?.id, 'startup-1')
  t.equal(e.decide(request({ token: 'other' }))?.id, 'rule-3')
  t.same(
    e.list().map(({ id, matched, fired }) => [id, matched, fired]),
    [
      ['rule-3', 1, 1],
      ['rule-2', 4, 1],
      ['rule-1', 4, 1],
      ['startup-1', 5, 2],
      ['startup-2', 5, 0],
    ],
  )
  // The Prefer rule outranks all, and stored rules still count the request.
  t.match(e.decide(request(), { status: 429 }), { id: 'prefer', answer: { kind: 'error', error: { status: 429 } } })
  t.equal(e.list().find((r) => r.id === 'startup-1')?.matched, 6)
  t.equal(e.list().find((r) => r.id === 'startup-1')?.fired, 2, 'outranked: it did not answer')
})

t.test('an outranked due rule keeps its times', async (t) => {
  const e = engineWith({ status: 500, times: 1 })
  e.add([parseRule({ status: 503, times: 2 })])
  t.same([1, 2, 3, 4].map(() => e.decide(request())?.id), ['rule-1', 'rule-1', 'startup-1', undefined])
})

t.test('remove, clear and reset', async (t) => {
  const e = engineWith({ status: 500 })
  const [id] = e.add([parseRule({ status: 503 })])
  t.equal(e.size, 2)
  t.ok(e.remove(id!))
  t.notOk(e.remove(id!))
  t.notOk(e.remove('nope'))
  t.ok(e.remove('startup-1'))
  t.same(e.list(), [])
  t.equal(e.size, 0)
  t.equal(e.decide(request()), undefined)
  e.add([parseRule({ status: 503 })])
  e.clear()
  t.same(e.list(), [])
  e.add([parseRule({ status: 503 })])
  e.decide(request())
  e.reset()
  t.same(e.list(), [{ id: 'startup-1', source: 'startup', rule: { status: 500 }, matched: 0, fired: 0 }])
  t.same(e.add([parseRule({ status: 503 })]), ['rule-1'], 'ids start again after reset')
  t.same(new FaultEngine({ seed: 1 }).list(), [])
})

t.test('after a reset, probability draws repeat', async (t) => {
  const e = new FaultEngine({ seed: 5, startup: [parseRule({ status: 503, probability: 0.5 })] })
  const first = hits(e, 50)
  e.reset()
  t.same(hits(e, 50), first)
})

/**
 * The rate limiter through HTTP: X-RateLimit-* on every emulated answer, 429 with Retry-After equal
 * to retry_after, the 429 → move the clock → 200 cycle, early_retry in the journal, and the run-time
 * setting through /__admin/rate-limit.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, NOW, AUTH } from '../helpers/app.ts'

const LIST = '/observability.sessions.list'
const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }
// NOW (2026-01-15T12:00:00Z) sits on a window boundary of every window below.
const post = (app: FastifyInstance, headers: Record<string, string> = AUTH, payload: object = LIST_BODY) =>
  app.inject({ method: 'POST', url: LIST, headers, payload })
const advance = (app: FastifyInstance, advance_ms: number) =>
  app.inject({ method: 'POST', url: '/__admin/clock', payload: { advance_ms } })

t.test('headers on every emulated answer, 429 over the limit, a new window after the clock moves', async (t) => {
  const app = await buildTestApp({ rateLimit: { limit: 2, windowMs: 60_000 } })
  t.teardown(() => app.close())
  const reset = String((NOW + 60_000) / 1000)

  const first = await post(app)
  t.equal(first.statusCode, 200)
  t.match(first.headers, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': reset })
  const second = await post(app)
  t.match(second.headers, { 'x-ratelimit-remaining': '0' })

  await advance(app, 15_500)
  const third = await post(app)
  t.equal(third.statusCode, 429)
  t.equal(third.headers['retry-after'], '45', 'seconds to the window end, rounded up')
  t.same(third.json(), {
    type: 'too_many_requests',
    message: 'rate limit exceeded: 2 requests per 1 min for this token; retry in 45 s',
    retry_after: 45,
  })
  t.match(third.headers, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })

  const other = await post(app, { authorization: 'another-token' })
  t.equal(other.statusCode, 200, 'limits are per token')
  t.match(other.headers, { 'x-ratelimit-remaining': '1' })

  await advance(app, 45_000)
  const after = await post(app)
  t.equal(after.statusCode, 200, 'the next window lets it through')
  t.match(after.headers, { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': String((NOW + 120_000) / 1000) })
})

t.test('every emulated answer carries the headers: errors, faults and early failures too', async (t) => {
  const app = await buildTestApp({ rateLimit: { limit: 5, windowMs: 1000 } })
  t.teardown(() => app.close())
  const answers = [
    await post(app, AUTH, { ...LIST_BODY, limit: 0 }), // 400 from validation
    await post(app, {}), // 401, no token
    await post(app, { ...AUTH, prefer: 'code=503' }), // a fault
    await app.inject({ method: 'POST', url: LIST, headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"x":' }), // parse error
    await app.inject({ method: 'GET', url: `${LIST}?platform=ios&version_key=k`, headers: AUTH }),
  ]
  t.same(
    answers.map((r) => r.statusCode),
    [400, 401, 503, 400, 200],
  )
  for (const r of answers) t.ok(r.headers['x-ratelimit-limit'] === '5' && 'x-ratelimit-remaining' in r.headers && 'x-ratelimit-reset' in r.headers)
  // Counted for this token: the validation error and the GET (the 401 had no token: a window of its own).
  // Not counted: the faulted request, and the request whose body never parsed.
  t.equal(answers[4]!.headers['x-ratelimit-remaining'], '3')
  t.equal(answers[2]!.headers['x-ratelimit-remaining'], '4', 'a faulted answer shows the count without adding to it')
  const admin = await app.inject({ method: 'GET', url: '/__admin/health' })
  t.notOk('x-ratelimit-limit' in admin.headers, 'admin routes are not limited')
})

t.test('no headers while the limiter is off', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await post(app)
  t.notOk('x-ratelimit-limit' in res.headers)
})

t.test('early_retry: a token back before its Retry-After has passed', async (t) => {
  const app = await buildTestApp({ rateLimit: { limit: 1, windowMs: 10_000 } })
  t.teardown(() => app.close())
  await post(app) // 200
  const limited = await post(app) // 429, retry in 10 s
  t.equal(limited.headers['retry-after'], '10')
  await advance(app, 4000)
  t.equal((await post(app)).statusCode, 429, 'too early: still limited')
  // That 429 said "retry in 6 s" at 12:00:04: the token may come back at 12:00:10.
  await advance(app, 5999)
  t.equal((await post(app, { authorization: 'patient' })).statusCode, 200)
  await advance(app, 1)
  t.equal((await post(app)).statusCode, 200, 'on time')
  const journal = (await app.inject({ method: 'GET', url: '/__admin/requests' })).json().requests
  t.same(
    journal.map((r: { status: number; early_retry: boolean; received_at: string }) => [r.status, r.early_retry, r.received_at]),
    [
      [200, false, '2026-01-15T12:00:00.000Z'],
      [429, false, '2026-01-15T12:00:00.000Z'],
      [429, true, '2026-01-15T12:00:04.000Z'],
      [200, false, '2026-01-15T12:00:09.999Z'],
      [200, false, '2026-01-15T12:00:10.000Z'],
    ],
  )
  t.not(journal[3].token_hash, journal[4].token_hash)
  t.equal(journal[1].error_type, 'too_many_requests')
  t.equal(journal[1].rule_id, null, 'the limiter is no rule')
})

t.test('early_retry after a 429 from a fault rule too', async (t) => {
  const app = await buildTestApp({ faults: [{ error: 'too_many_requests', retry_after: 2, times: 1 }] })
  t.teardown(() => app.close())
  const limited = await post(app)
  t.equal(limited.headers['retry-after'], '2')
  t.equal((await post(app)).statusCode, 200)
  await advance(app, 2000)
  t.equal((await post(app)).statusCode, 200)
  t.same(
    app.mock.journal.list().map((r) => r.early_retry),
    [false, true, false],
  )
})

t.test('early_retry without a token: all token-less callers are one caller', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const limited = await post(app, { prefer: 'error=too_many_requests, retry_after=5' })
  t.equal(limited.statusCode, 429)
  t.equal((await post(app, {})).statusCode, 401)
  t.equal((await post(app)).statusCode, 200)
  t.same(
    app.mock.journal.list().map((r) => [r.token_hash, r.early_retry]),
    [
      [null, false],
      [null, true],
      [app.mock.journal.list()[2]!.token_hash, false],
    ],
  )
})

t.test('the limiter set, read and turned off at run time', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  t.same((await app.inject({ method: 'GET', url: '/__admin/rate-limit' })).json(), { enabled: false })
  const set = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: 1 } })
  t.equal(set.statusCode, 200)
  t.same(set.json(), { enabled: true, limit: 1, window_ms: 300_000 }, "DevRev's 5-minute window by default")
  t.equal((await post(app)).statusCode, 200)
  const limited = await post(app)
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['retry-after'], '300')
  t.equal(limited.json().message, 'rate limit exceeded: 1 requests per 5 min for this token; retry in 300 s')
  const changed = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: 3, window_ms: 1500 } })
  t.same(changed.json(), { enabled: true, limit: 3, window_ms: 1500 })
  const fresh = await post(app)
  t.equal(fresh.statusCode, 200, 'a new setting starts the counts afresh')
  t.match(fresh.headers, { 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' })
  await post(app)
  await post(app)
  t.match((await post(app)).json(), { message: /3 requests per 1500 ms/, retry_after: 2 })
  await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: 1, window_ms: 2000 } })
  await post(app)
  t.match((await post(app)).json(), { message: /1 requests per 2 s/ })
  const off = await app.inject({ method: 'DELETE', url: '/__admin/rate-limit' })
  t.equal(off.statusCode, 204)
  t.same((await app.inject({ method: 'GET', url: '/__admin/rate-limit' })).json(), { enabled: false })
  const free = await post(app)
  t.equal(free.statusCode, 200)
  t.notOk('x-ratelimit-limit' in free.headers)
})

t.test('a bad rate-limit body is a 400 naming the field', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const bad = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: 0 } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { type: 'value_not_permitted', field_name: 'limit' })
  const missing = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { window_ms: 10 } })
  t.match(missing.json(), { type: 'missing_required_field', field_name: 'limit' })
  const unknown = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: 1, window: '5m' } })
  t.match(unknown.json(), { type: 'invalid_field', field_name: 'window' })
  t.same((await app.inject({ method: 'GET', url: '/__admin/rate-limit' })).json(), { enabled: false }, 'nothing applied')
})

/**
 * Every documented error type through each of the three ways in (the `--faults` file, the admin API,
 * the `Prefer` header), seen through HTTP: status, DevRev's body with the type's own fields, and
 * Retry-After on 429. Then the `status` shorthand, overrides, matching and delays.
 */
import t, { type Test } from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, startTestServer, AUTH } from '../helpers/app.ts'
import { CANONICAL_TYPE_BY_STATUS, ERROR_CATALOGUE, ERROR_TYPES, type ErrorType } from '../../src/contract/catalogue.ts'

const LIST = '/observability.sessions.list'
const GET = '/observability.sessions.get'
const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 2 }

/** The body a rule with no overrides answers: the catalogue's message and own fields. */
const expectedBody = (type: ErrorType) => ({ type, message: ERROR_CATALOGUE[type].message, ...ERROR_CATALOGUE[type].fields })

function checkError(t: Test, type: ErrorType, status: number, headers: Record<string, unknown>, body: unknown) {
  t.equal(status, ERROR_CATALOGUE[type].status, `${type}: status`)
  t.same(body, expectedBody(type), `${type}: body`)
  if (type === 'too_many_requests') t.equal(headers['retry-after'], String(ERROR_CATALOGUE.too_many_requests.fields.retry_after))
  else t.notOk('retry-after' in headers, `${type}: no Retry-After`)
}

const post = (app: FastifyInstance, headers: Record<string, string> = {}, payload: unknown = LIST_BODY) =>
  app.inject({ method: 'POST', url: LIST, headers: { ...AUTH, ...headers }, payload: payload as object })

t.test('every error type from a --faults file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'faults-file-'))
  const file = join(dir, 'faults.json')
  // One rule per type, told apart by a request header.
  writeFileSync(file, JSON.stringify(ERROR_TYPES.map((type) => ({ error: type, match: { headers: { 'x-case': type } } }))))
  const server = await startTestServer({ faults: file })
  t.teardown(() => server.close())
  for (const type of ERROR_TYPES) {
    const res = await fetch(server.url + LIST, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', 'x-case': type },
      body: JSON.stringify(LIST_BODY),
    })
    checkError(t, type, res.status, Object.fromEntries(res.headers), await res.json())
  }
  const plain = await fetch(server.url + LIST, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(LIST_BODY),
  })
  t.equal(plain.status, 200, 'a request no rule matches gets the normal answer')
  const journal = server.requests()
  t.same(
    journal.slice(0, ERROR_TYPES.length).map((r) => [r.error_type, r.rule_id]),
    ERROR_TYPES.map((type, i) => [type, `startup-${i + 1}`]),
  )
})

t.test('every error type from the admin API', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const type of ERROR_TYPES) {
    const res = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { error: type, match: { headers: { 'x-case': type } } } })
    t.equal(res.statusCode, 201)
    t.match(res.json(), { id: /^rule-\d+$/ })
  }
  for (const type of ERROR_TYPES) {
    const res = await post(app, { 'x-case': type })
    checkError(t, type, res.statusCode, res.headers, res.json())
  }
})

t.test('every error type from the Prefer header', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const type of ERROR_TYPES) {
    const res = await post(app, { prefer: `error=${type}` })
    checkError(t, type, res.statusCode, res.headers, res.json())
    t.equal(res.headers['preference-applied'], `error=${type}`)
  }
  const journal = app.mock.journal.list()
  t.ok(journal.every((r) => r.rule_id === 'prefer'))
})

t.test('the status shorthand answers the canonical type, on every surface', async (t) => {
  const statuses = Object.keys(CANONICAL_TYPE_BY_STATUS).map(Number)
  const app = await buildTestApp({ faults: statuses.map((status) => ({ status, match: { headers: { 'x-file': String(status) } } })) })
  t.teardown(() => app.close())
  for (const status of statuses) {
    await app.inject({ method: 'POST', url: '/__admin/faults', payload: { status, match: { headers: { 'x-admin': String(status) } } } })
  }
  for (const status of statuses) {
    const type = CANONICAL_TYPE_BY_STATUS[status]!
    for (const headers of [{ 'x-file': String(status) }, { 'x-admin': String(status) }, { prefer: `code=${status}` }] as Record<string, string>[]) {
      const res = await post(app, headers)
      checkError(t, type, res.statusCode, res.headers, res.json())
    }
  }
})

t.test('message, detail and own fields override the defaults, on every surface', async (t) => {
  const rule = {
    error: 'too_many_requests',
    retry_after: 9,
    message: 'slow down',
    detail: 'try later',
  }
  const app = await buildTestApp({ faults: [{ ...rule, match: { headers: { 'x-file': '1' } } }] })
  t.teardown(() => app.close())
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { ...rule, match: { headers: { 'x-admin': '1' } } } })
  const expected = { type: 'too_many_requests', message: 'slow down', detail: 'try later', retry_after: 9 }
  for (const headers of [
    { 'x-file': '1' },
    { 'x-admin': '1' },
    { prefer: 'error=too_many_requests, retry_after=9, message="slow down", detail="try later"' },
  ] as Record<string, string>[]) {
    const res = await post(app, headers)
    t.equal(res.statusCode, 429)
    t.same(res.json(), expected)
    t.equal(res.headers['retry-after'], '9', 'Retry-After equals retry_after')
  }
  const own = await post(app, {
    prefer: 'error=invalid_enum_value, field_name=sort_by, value=up, allowed_values="asc,desc"',
  })
  t.same(own.json(), {
    type: 'invalid_enum_value',
    message: 'invalid enum value',
    field_name: 'sort_by',
    value: 'up',
    allowed_values: ['asc', 'desc'],
  })
  const ref = await post(app, { prefer: 'code=500, reference_id=abc-123' })
  t.same(ref.json(), { type: 'internal_error', message: 'internal error', reference_id: 'abc-123' })
  const big = await post(app, { prefer: 'error=request_entity_too_large, max_bytes=1024' })
  t.same(big.json(), { type: 'request_entity_too_large', message: 'request entity too large', max_bytes: 1024 })
})

t.test('a bad Prefer header is a 400 naming the preference; unknown preferences are ignored', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const bad = await post(app, { prefer: 'code=418' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { type: 'invalid_enum_value', field_name: 'code', value: '418' })
  const ignored = await post(app, { prefer: 'return=minimal, respond-async' })
  t.equal(ignored.statusCode, 200)
  t.notOk('preference-applied' in ignored.headers)
})

t.test('match: endpoint, method, token, body subset and headers', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const add = (rule: object) => app.inject({ method: 'POST', url: '/__admin/faults', payload: rule })
  await add({ status: 503, match: { endpoint: 'sessions.get' } })
  await add({ status: 403, match: { method: 'GET', endpoint: 'sessions.list' } })
  await add({ status: 401, match: { token: 'bad-one' } })
  await add({ status: 404, match: { body: { platform: 'ios', sort_by: ['created_at:asc'] } } })
  await add({ status: 500, match: { headers: { 'x-chaos': 'on' } } })

  const getBody = { platform: 'android', version_key: 'com.example.shop', session_id: 'nope' }
  t.equal((await app.inject({ method: 'POST', url: GET, headers: AUTH, payload: getBody })).statusCode, 503)
  t.equal((await app.inject({ method: 'GET', url: `${GET}?platform=android&version_key=x&session_id=y`, headers: AUTH })).statusCode, 503)
  t.equal((await app.inject({ method: 'GET', url: `${LIST}?platform=android&version_key=x`, headers: AUTH })).statusCode, 403)
  t.equal((await post(app)).statusCode, 200, 'POST list: none of them')
  t.equal((await post(app, { authorization: 'bad-one' })).statusCode, 401)
  t.equal((await post(app, {}, { ...LIST_BODY, platform: 'ios', sort_by: ['created_at:asc'] })).statusCode, 404)
  t.equal((await post(app, {}, { ...LIST_BODY, platform: 'ios' })).statusCode, 200, 'a partial body is not enough')
  t.equal((await post(app, { 'X-Chaos': 'on' })).statusCode, 500)
  t.equal((await post(app, { 'x-chaos': 'off' })).statusCode, 200)
})

t.test('match.body on GET reads the query parameters', async (t) => {
  const app = await buildTestApp({ faults: [{ status: 503, match: { method: 'GET', body: { platform: 'ios', limit: 3 } } }] })
  t.teardown(() => app.close())
  const get = (q: string) => app.inject({ method: 'GET', url: `${LIST}?${q}`, headers: AUTH })
  t.equal((await get('platform=ios&version_key=com.example.shop&limit=3')).statusCode, 503)
  t.equal((await get('platform=ios&version_key=com.example.shop&limit=4')).statusCode, 200)
})

t.test('schedules, counted per matching request', async (t) => {
  const app = await buildTestApp({
    faults: [
      { status: 500, after: 2, times: 3, match: { headers: { 'x-s': 'a' } } },
      { status: 503, every: 4, match: { headers: { 'x-s': 'b' } } },
    ],
  })
  t.teardown(() => app.close())
  const statuses = async (s: string, n: number) => {
    const out: number[] = []
    for (let i = 1; i <= n; i++) out.push((await post(app, { 'x-s': s })).statusCode)
    return out
  }
  const a = await statuses('a', 8)
  t.same(a, [200, 200, 500, 500, 500, 200, 200, 200], 'after: 2, times: 3 hits requests 3–5 only')
  const b = await statuses('b', 12)
  t.same(
    b.flatMap((s, i) => (s === 503 ? [i + 1] : [])),
    [4, 8, 12],
    'every: 4 hits requests 4, 8, 12',
  )
  const listed = (await app.inject({ method: 'GET', url: '/__admin/faults' })).json()
  t.same(
    listed.faults.map((f: { id: string; matched: number; fired: number }) => [f.id, f.matched, f.fired]),
    [
      ['startup-1', 8, 3],
      ['startup-2', 12, 3],
    ],
  )
})

t.test('precedence: Prefer, then run-time rules newest first, then start-up rules, then the limiter', async (t) => {
  const app = await buildTestApp({ faults: [{ status: 500 }], rateLimit: { limit: 1, windowMs: 60_000 } })
  t.teardown(() => app.close())
  t.equal((await post(app)).statusCode, 500, 'the start-up rule')
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { status: 503 } })
  t.equal((await post(app)).statusCode, 503, 'a run-time rule outranks it')
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { status: 403 } })
  t.equal((await post(app)).statusCode, 403, 'the newest run-time rule first')
  t.equal((await post(app, { prefer: 'code=404' })).statusCode, 404, 'the Prefer header outranks all')
  await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  t.equal((await post(app)).statusCode, 200, 'no rule: the limiter (faulted requests were not counted)')
  t.equal((await post(app)).statusCode, 429, 'then the limiter says no')
  t.equal((await post(app, { prefer: 'code=503' })).statusCode, 503, 'a rule still outranks the limiter')
})

t.test('delay_ms: alone a slow success; with an error, a slow error', async (t) => {
  const app = await buildTestApp({ faults: [{ delay_ms: 40, match: { headers: { 'x-slow': '1' } } }] })
  t.teardown(() => app.close())
  let start = performance.now()
  const slow = await post(app, { 'x-slow': '1' })
  t.equal(slow.statusCode, 200)
  t.ok(performance.now() - start >= 35, 'the answer waited')
  t.equal(slow.json().sessions.length, 2)
  start = performance.now()
  const slowError = await post(app, { prefer: 'code=503, delay=40' })
  t.equal(slowError.statusCode, 503)
  t.ok(performance.now() - start >= 35)
  const [entry] = app.mock.journal.list()
  t.ok(entry!.duration_ms >= 35, 'the journal shows the time it took')
  t.equal(entry!.rule_id, 'startup-1')
  t.equal(entry!.error_type, null)
})

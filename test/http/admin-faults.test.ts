/**
 * /__admin/faults (list, add, clear, remove one), the admin token over every admin route, and
 * admin routes untouched by faults and limits.
 */
import t from 'tap'
import { buildTestApp, AUTH } from '../helpers/app.ts'

const LIST = '/observability.sessions.list'
const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }

t.test('add, list, remove, clear', async (t) => {
  const app = await buildTestApp({ faults: [{ status: 500, match: { token: 'nobody' } }] })
  t.teardown(() => app.close())
  const add = (payload: unknown) => app.inject({ method: 'POST', url: '/__admin/faults', payload: payload as object })

  const one = await add({ error: 'forbidden', times: 2 })
  t.equal(one.statusCode, 201)
  t.same(one.json(), { id: 'rule-1' })
  const many = await add([{ status: 503, match: { endpoint: 'sessions.get' } }, { fault: 'malformed_json', every: 9 }])
  t.equal(many.statusCode, 201)
  t.same(many.json(), { ids: ['rule-2', 'rule-3'] })
  t.same((await add([])).json(), { ids: [] })

  const listed = await app.inject({ method: 'GET', url: '/__admin/faults' })
  t.equal(listed.statusCode, 200)
  t.same(listed.json(), {
    faults: [
      { id: 'rule-3', source: 'runtime', rule: { fault: 'malformed_json', every: 9 }, matched: 0, fired: 0 },
      { id: 'rule-2', source: 'runtime', rule: { status: 503, match: { endpoint: 'sessions.get' } }, matched: 0, fired: 0 },
      { id: 'rule-1', source: 'runtime', rule: { error: 'forbidden', times: 2 }, matched: 0, fired: 0 },
      { id: 'startup-1', source: 'startup', rule: { status: 500, match: { token: 'nobody' } }, matched: 0, fired: 0 },
    ],
  })

  t.equal((await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: LIST_BODY })).statusCode, 403)
  t.match((await app.inject({ method: 'GET', url: '/__admin/faults' })).json().faults[2], { id: 'rule-1', matched: 1, fired: 1 })

  const removed = await app.inject({ method: 'DELETE', url: '/__admin/faults/rule-1' })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.equal((await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: LIST_BODY })).statusCode, 200)
  const again = await app.inject({ method: 'DELETE', url: '/__admin/faults/rule-1' })
  t.equal(again.statusCode, 404)
  t.same(again.json(), { type: 'not_found', message: 'no fault rule with id rule-1' })

  const cleared = await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  t.equal(cleared.statusCode, 204)
  t.same((await app.inject({ method: 'GET', url: '/__admin/faults' })).json(), { faults: [] }, 'start-up rules too')
  t.same((await add({ status: 500 })).json(), { id: 'rule-4' }, 'ids are never reused before a reset')
})

t.test('a bad rule is a 400 naming the key; nothing is half-applied', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const add = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/__admin/faults', payload: payload as string, headers })
  const cases: [unknown, object][] = [
    [{ error: 'teapot' }, { type: 'invalid_enum_value', field_name: 'error', value: 'teapot' }],
    [{ error: 'forbidden', colour: 'red' }, { type: 'invalid_field', field_name: 'colour' }],
    [{ status: 418 }, { type: 'invalid_enum_value', field_name: 'status' }],
    [{ error: 'internal_error', max_bytes: 1 }, { type: 'invalid_field', field_name: 'max_bytes' }],
    [{ status: 500, match: { endpoint: 'works.list' } }, { type: 'invalid_enum_value', field_name: 'match.endpoint' }],
    [{ status: 500, probability: 2 }, { type: 'value_not_permitted', field_name: 'probability' }],
    [{ times: 2 }, { type: 'missing_required_field', field_name: 'error' }],
    [[{ status: 500 }, { status: 503, every: 'often' }], { type: 'unexpected_json_type', field_name: '[1].every' }],
    [[{ status: 500 }, 'x'], { type: 'unexpected_json_type', field_name: '[1]' }],
    [42, { type: 'unexpected_json_type', field_name: 'rule', actual: 'number' }],
  ]
  for (const [payload, expected] of cases) {
    const res = await add(JSON.stringify(payload), { 'content-type': 'application/json' })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), expected)
  }
  const empty = await app.inject({ method: 'POST', url: '/__admin/faults' })
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { type: 'unexpected_json_type', field_name: 'rule', actual: 'null' })
  const notJson = await add('{"status":', { 'content-type': 'application/json' })
  t.match(notJson.json(), { type: 'parse_error' })
  t.same((await app.inject({ method: 'GET', url: '/__admin/faults' })).json(), { faults: [] }, 'nothing was added')
  t.same((await add({ status: 500 })).json(), { id: 'rule-1' }, 'no id was used up')
})

t.test('admin routes are never faulted, limited or journaled', async (t) => {
  const app = await buildTestApp({ faults: [{ fault: 'connection_reset' }], rateLimit: { limit: 1, windowMs: 60_000 } })
  t.teardown(() => app.close())
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { status: 503 } })
  const calls = [
    { method: 'GET', url: '/__admin/health' },
    { method: 'GET', url: '/__admin/faults' },
    { method: 'GET', url: '/__admin/rate-limit' },
    { method: 'GET', url: '/__admin/clock' },
    { method: 'GET', url: '/__admin/requests' },
    { method: 'GET', url: '/__admin/corpus' },
  ] as const
  for (const call of calls) {
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ ...call, headers: { ...AUTH, prefer: 'code=500' } })
      t.equal(res.statusCode, 200, `${call.url} #${i + 1}`)
      t.notOk('x-ratelimit-limit' in res.headers)
    }
  }
  t.same(app.mock.journal.list(), [])
  t.equal((await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: LIST_BODY })).statusCode, 503, 'while the emulated API is faulted')
})

t.test('--admin-token guards every admin route', async (t) => {
  const app = await buildTestApp({ adminToken: 'sesame' })
  t.teardown(() => app.close())
  const routes = [
    ['GET', '/__admin/faults'],
    ['POST', '/__admin/faults'],
    ['DELETE', '/__admin/faults'],
    ['DELETE', '/__admin/faults/rule-1'],
    ['GET', '/__admin/rate-limit'],
    ['PUT', '/__admin/rate-limit'],
    ['DELETE', '/__admin/rate-limit'],
    ['GET', '/__admin/clock'],
    ['POST', '/__admin/clock'],
    ['GET', '/__admin/requests'],
    ['DELETE', '/__admin/requests'],
    ['PUT', '/__admin/corpus'],
    ['POST', '/__admin/reset'],
  ] as const
  for (const [method, url] of routes) {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, AUTH]) {
      const res = await app.inject({ method, url, headers })
      t.equal(res.statusCode, 401, `${method} ${url} without the admin token`)
      t.match(res.json(), { type: 'unauthenticated' })
    }
    const ok = await app.inject({ method, url, headers: { authorization: 'Bearer sesame' } })
    t.not(ok.statusCode, 401, `${method} ${url} with it`)
  }
  const added = await app.inject({
    method: 'POST',
    url: '/__admin/faults',
    headers: { authorization: 'Bearer sesame' },
    payload: { status: 500 },
  })
  t.equal(added.statusCode, 201)
})

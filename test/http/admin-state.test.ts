/**
 * /__admin/clock, /__admin/requests, PUT /__admin/corpus, POST /__admin/reset, and the in-process
 * MockServer's addFault / requests / reset.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, startTestServer, NOW, AUTH } from '../helpers/app.ts'
import { startMockServer } from '../../src/server.ts'
import { OptionError } from '../../src/config/options.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const LIST = '/observability.sessions.list'
const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }
const post = (app: FastifyInstance, headers: Record<string, string> = AUTH, payload: object = LIST_BODY) =>
  app.inject({ method: 'POST', url: LIST, headers, payload })
const clock = (app: FastifyInstance, payload?: object) =>
  payload === undefined
    ? app.inject({ method: 'GET', url: '/__admin/clock' })
    : app.inject({ method: 'POST', url: '/__admin/clock', payload })

t.test('the clock: read, advance, set', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  t.same((await clock(app)).json(), { now: '2026-01-15T12:00:00.000Z', now_ms: NOW, frozen: true })
  const moved = await clock(app, { advance_ms: 90_000 })
  t.equal(moved.statusCode, 200)
  t.same(moved.json(), { now: '2026-01-15T12:01:30.000Z', now_ms: NOW + 90_000, frozen: true }, 'returns the new time')
  t.same((await clock(app, { now: '2027-03-01T00:00:00Z' })).json(), {
    now: '2027-03-01T00:00:00.000Z',
    now_ms: Date.parse('2027-03-01T00:00:00Z'),
    frozen: true,
  })
  t.same((await clock(app, { advance_ms: 0 })).json().now, '2027-03-01T00:00:00.000Z')
  await post(app)
  t.equal(app.mock.journal.list()[0]!.received_at, '2027-03-01T00:00:00.000Z', 'the journal reads the virtual clock')
})

t.test('the clock in real-time mode moves by an offset', async (t) => {
  const app = await buildTestApp({ now: undefined, freezeClock: false })
  t.teardown(() => app.close())
  const before = (await clock(app)).json()
  t.equal(before.frozen, false)
  t.ok(Math.abs(before.now_ms - Date.now()) < 5000)
  const after = (await clock(app, { advance_ms: 3_600_000 })).json()
  t.equal(after.frozen, false)
  t.ok(after.now_ms - before.now_ms >= 3_600_000)
  t.ok(after.now_ms - before.now_ms < 3_600_000 + 5000)
})

t.test('the clock: started with now, it runs; frozen and released through the route', async (t) => {
  const app = await buildTestApp({ freezeClock: false })
  t.teardown(() => app.close())
  const start = (await clock(app)).json()
  t.equal(start.frozen, false, 'running by default')
  t.ok(start.now_ms >= NOW && start.now_ms < NOW + 5000, 'from where now put it')
  await new Promise((r) => setTimeout(r, 30))
  t.ok((await clock(app)).json().now_ms >= start.now_ms + 25, 'at real speed')
  const frozen = (await clock(app, { now: '2027-03-01T00:00:00Z', frozen: true })).json()
  t.same(frozen, { now: '2027-03-01T00:00:00.000Z', now_ms: Date.parse('2027-03-01T00:00:00Z'), frozen: true }, 'set and frozen at once')
  await new Promise((r) => setTimeout(r, 30))
  t.equal((await clock(app)).json().now_ms, frozen.now_ms, 'stands still')
  t.equal((await clock(app, { advance_ms: 1000 })).json().now_ms, frozen.now_ms + 1000, 'moved while frozen')
  const released = (await clock(app, { frozen: false })).json()
  t.equal(released.frozen, false)
  t.equal(released.now_ms, frozen.now_ms + 1000, 'released from where it stood')
  await new Promise((r) => setTimeout(r, 30))
  t.ok((await clock(app)).json().now_ms >= released.now_ms + 25, 'runs again')
  t.equal((await clock(app, { frozen: true })).json().frozen, true, 'frozen alone')
  await app.inject({ method: 'POST', url: '/__admin/reset' })
  t.equal((await clock(app)).json().frozen, false, 'reset: running as at start-up')
})

t.test('a bad clock body is a 400 naming the field', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const cases: [object, object][] = [
    [{}, { type: 'missing_required_field', field_name: 'advance_ms' }],
    [{ advance_ms: 1, now: '2026-01-01T00:00:00Z' }, { type: 'value_not_permitted', field_name: 'now' }],
    [{ advance_ms: -1 }, { type: 'value_not_permitted', field_name: 'advance_ms' }],
    [{ advance_ms: '10' }, { type: 'unexpected_json_type', field_name: 'advance_ms' }],
    [{ now: 'yesterday' }, { type: 'value_not_permitted', field_name: 'now' }],
    [{ by: 1 }, { type: 'invalid_field', field_name: 'by' }],
    [{ frozen: 'yes' }, { type: 'unexpected_json_type', field_name: 'frozen' }],
  ]
  for (const [payload, expected] of cases) {
    const res = await clock(app, payload)
    t.equal(res.statusCode, 400)
    t.match(res.json(), expected)
  }
  t.equal((await clock(app)).json().now_ms, NOW, 'the clock did not move')
})

t.test('the journal: oldest first, bounded, cleared; no token or body in clear', async (t) => {
  const app = await buildTestApp({ journalSize: 3 })
  t.teardown(() => app.close())
  const secret = 'super-secret-token'
  await post(app, { authorization: `Bearer ${secret}` }, { ...LIST_BODY, version_key: 'secret-app-key' })
  await post(app, {}) // 401
  await post(app, { ...AUTH, prefer: 'code=500' })
  await app.inject({ method: 'GET', url: `${LIST}?platform=ios&version_key=com.example.fitness&limit=1`, headers: AUTH })
  const res = await app.inject({ method: 'GET', url: '/__admin/requests' })
  t.equal(res.statusCode, 200)
  const { requests } = res.json()
  t.equal(requests.length, 3, 'bounded by --journal-size: the oldest went')
  t.same(
    requests.map((r: Record<string, unknown>) => [r.method, r.path, r.status, r.error_type, r.rule_id]),
    [
      ['POST', LIST, 401, 'unauthenticated', null],
      ['POST', LIST, 500, 'internal_error', 'prefer'],
      ['GET', LIST, 200, null, null],
    ],
  )
  for (const r of requests) {
    t.same(Object.keys(r).sort(), [
      'duration_ms',
      'early_retry',
      'error_type',
      'fault',
      'method',
      'path',
      'received_at',
      'retry_after',
      'rule_id',
      'status',
      'token_hash',
    ])
    t.type(r.duration_ms, 'number')
    t.equal(r.received_at, '2026-01-15T12:00:00.000Z')
  }
  t.equal(requests[0].token_hash, null, 'no token, no hash')
  t.match(requests[1].token_hash, /^[0-9a-f]{16}$/)
  await app.inject({ method: 'DELETE', url: '/__admin/requests' })
  await post(app, { authorization: `Bearer ${secret}` }, { ...LIST_BODY, version_key: 'secret-app-key' })
  const text = (await app.inject({ method: 'GET', url: '/__admin/requests' })).body
  t.notMatch(text, secret)
  t.notMatch(text, 'secret-app-key')
  t.equal(JSON.parse(text).requests.length, 1, 'cleared, then one more')
  const cleared = await app.inject({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(cleared.statusCode, 204)
  t.same((await app.inject({ method: 'GET', url: '/__admin/requests' })).json(), { requests: [] })
})

/** A valid corpus of `n` android sessions in one app, from the current export. */
async function smallCorpus(app: FastifyInstance, n: number) {
  const all = (await app.inject({ method: 'GET', url: '/__admin/corpus' })).json().sessions
  const android = all.filter((s: { platform: string; version_key: string }) => s.platform === 'android' && s.version_key === 'com.example.shop')
  return { sessions: android.slice(0, n) }
}

t.test('PUT /__admin/corpus replaces every session, all or nothing', async (t) => {
  const app = await buildTestApp({ maxBodyBytes: 2048 })
  t.teardown(() => app.close())
  const before = (await app.inject({ method: 'GET', url: '/__admin/health' })).json()
  const corpus = await smallCorpus(app, 3)
  t.ok(JSON.stringify(corpus).length > 2048, 'larger than --max-body-bytes, which only binds the emulated API')
  const put = await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: corpus })
  t.equal(put.statusCode, 200)
  t.same(put.json(), { sessions: 3, version_keys: ['com.example.shop'] })
  const listed = await post(app, AUTH, { ...LIST_BODY, limit: 10 })
  t.same(
    listed.json().sessions.map((s: { session_id: string }) => s.session_id).sort(),
    corpus.sessions.map((s: { session_id: string }) => s.session_id).sort(),
  )

  const broken = structuredClone(corpus)
  delete broken.sessions[2].created_at
  const bad = await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: { sessions: [...corpus.sessions, ...broken.sessions] } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { type: 'missing_required_field', field_name: 'sessions[5].created_at' })
  const dup = await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: { sessions: [corpus.sessions[0], corpus.sessions[0]] } })
  t.equal(dup.statusCode, 400)
  t.match(dup.json(), { type: 'value_not_permitted', field_name: 'sessions[1].session_id', reason: /duplicate session_id/ })
  const wrong = await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: { sessions: 'all' } })
  t.match(wrong.json(), { type: 'unexpected_json_type', field_name: 'sessions' })
  t.equal((await app.inject({ method: 'GET', url: '/__admin/health' })).json().sessions, 3, 'nothing was half-applied')
  t.not(before.sessions, 3)
})

t.test('POST /__admin/reset restores the start-up state', async (t) => {
  const app = await buildTestApp({
    faults: [{ status: 503, every: 2, match: { token: 'test-token' } }],
    rateLimit: { limit: 2, windowMs: 60_000 },
  })
  t.teardown(() => app.close())
  const health = (await app.inject({ method: 'GET', url: '/__admin/health' })).json()
  const listing = async () => (await post(app, AUTH, { ...LIST_BODY, limit: 5 })).body

  // Disturb everything.
  t.equal((await post(app)).statusCode, 200)
  const firstPage = await listing() // 503 (every 2nd)
  t.match(firstPage, /service_unavailable/)
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { status: 403, match: { token: 'x' } } })
  await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: 100 } })
  await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: await smallCorpus(app, 2) })
  await clock(app, { advance_ms: 86_400_000 })
  t.equal((await post(app)).statusCode, 200)
  t.ok(app.mock.journal.list().length > 0)

  const reset = await app.inject({ method: 'POST', url: '/__admin/reset' })
  t.equal(reset.statusCode, 204)
  t.same((await app.inject({ method: 'GET', url: '/__admin/health' })).json(), health, 'the corpus is back')
  t.same((await clock(app)).json().now_ms, NOW, 'the clock is back')
  t.same((await app.inject({ method: 'GET', url: '/__admin/requests' })).json(), { requests: [] }, 'the journal is empty')
  t.same((await app.inject({ method: 'GET', url: '/__admin/faults' })).json(), {
    faults: [{ id: 'startup-1', source: 'startup', rule: { status: 503, every: 2, match: { token: 'test-token' } }, matched: 0, fired: 0 }],
  }, 'start-up rules back with fresh counters, run-time rules gone')
  t.same((await app.inject({ method: 'GET', url: '/__admin/rate-limit' })).json(), { enabled: true, limit: 2, window_ms: 60_000 })
  // The same requests give the same answers as after start-up.
  const again = await post(app)
  t.equal(again.statusCode, 200)
  t.match(again.headers, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' }, 'the limiter is back at 2, counting afresh')
  t.equal(await listing(), firstPage)
  t.equal((await post(app)).statusCode, 200)
  t.equal((await post(app)).statusCode, 503)
  t.equal((await post(app)).statusCode, 429, 'the third counted request of the window')
  t.equal((await post(app, { authorization: 'x' })).statusCode, 200, 'the run-time rule is gone')
})

t.test('the in-process server: faults as values, addFault, requests, reset', async (t) => {
  const server = await startTestServer({ faults: [{ status: 500, match: { token: 'boom' } }], rateLimit: '1/1m' })
  t.teardown(() => server.close())
  const call = (token: string) =>
    fetch(server.url + LIST, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(LIST_BODY),
    })
  t.equal((await call('boom')).status, 500)
  const id = server.addFault({ error: 'token_expired', match: { token: 'old' } })
  t.equal(id, 'rule-1')
  t.equal((await call('old')).status, 401)
  t.throws(() => server.addFault({ error: 'nope' }), { name: 'DevRevError', message: /invalid value for error: nope/ })
  t.equal((await call('fine')).status, 200)
  t.equal((await call('fine')).status, 429, '--rate-limit as a string')
  t.same(
    server.requests().map((r) => [r.status, r.rule_id]),
    [
      [500, 'startup-1'],
      [401, 'rule-1'],
      [200, null],
      [429, null],
    ],
  )
  server.advanceClock(60_000)
  server.reset()
  t.same(server.requests(), [])
  t.equal((await call('old')).status, 200, 'run-time rule gone')
  t.equal((await call('boom')).status, 500, 'start-up rule kept')
  t.equal(server.app.mock.clock.now(), NOW)
})

t.test('bad start-up rules stop the server before it listens, naming the rule and the key', async (t) => {
  await t.rejects(startMockServer({ faults: [{ status: 500 }, { status: 500, when: 'now' }] }), {
    name: 'OptionError',
    message: 'faults: rule 1, key "when": unknown field: when',
  })
  const dir = mkdtempSync(join(tmpdir(), 'faults-bad-'))
  const file = join(dir, 'f.json')
  writeFileSync(file, JSON.stringify([{ error: 'too_many_requests', retry_after: 'soon' }]))
  await t.rejects(startMockServer({ faults: file }), new OptionError(`--faults ${file}: rule 0, key "retry_after": retry_after must be of type number, got string`))
  writeFileSync(file, '{}')
  await t.rejects(startMockServer({ faults: file }), { message: `--faults ${file}: rule -1: must be a JSON array of rules, got object` })
  await t.rejects(startMockServer({ faults: join(dir, 'none.json') }), { message: `--faults ${join(dir, 'none.json')}: cannot read (ENOENT)` })
})

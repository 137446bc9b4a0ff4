/**
 * The in-process API: `startMockServer()` and the package entry's exports; fixtures given
 * as a path or a value, good and bad (a bad one rejects before anything listens); options from env.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import * as pkg from '../../src/index.ts'
import { startMockServer, loadCorpus, IN_PROCESS_DEFAULTS, serverUrl } from '../../src/server.ts'
import { buildApp, DEFAULTS } from '../../src/app.ts'
import { FixtureError } from '../../src/core/corpus/fixtures.ts'
import { OptionError } from '../../src/config/options.ts'
import { conformancePlugin, startTestServer, AUTH, NOW } from '../helpers/app.ts'
import { LIST } from '../helpers/walk.ts'

const example = JSON.parse(readFileSync('fixtures/example.json', 'utf8'))

async function health(url: string) {
  const res = await fetch(`${url}/__admin/health`)
  return (await res.json()) as { status: string; seed: number; sessions: number; version_keys: string[] }
}
async function list(url: string, body: object) {
  const res = await fetch(`${url}${LIST}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as any }
}

t.test('the package entry exports the in-process API', async (t) => {
  for (const name of ['startMockServer', 'start', 'buildApp', 'resolveOptions', 'MockCore', 'VirtualClock', 'generateCorpus', 'parseCorpus', 'loadFixturesFile', 'DevRevError']) {
    t.type((pkg as Record<string, unknown>)[name], 'function', name)
  }
  t.type(pkg.ERROR_CATALOGUE.not_found, 'object')
  t.ok(pkg.OPTION_DEFS.length > 10)
  t.type(pkg.schemas.ListRequest, 'object')
  t.ok(new pkg.OptionError('x') instanceof Error)
  t.ok(new pkg.FixtureError('a', 'b') instanceof Error)
})

t.test('startMockServer with no options: any free port on 127.0.0.1, seed 42, 1000 sessions, real time', async (t) => {
  t.same(IN_PROCESS_DEFAULTS, { port: 0, logLevel: 'silent' })
  const before = Date.now()
  const mock = await startMockServer({ plugins: [conformancePlugin] })
  t.teardown(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(mock.url, `http://127.0.0.1:${mock.port}`)
  t.not(mock.port, 0)
  t.match(mock.options, { port: 0, host: '127.0.0.1', seed: 42, sessions: 1000, logLevel: 'silent', maxLimit: 100, maxBodyBytes: 1048576 })
  t.equal(mock.options.now, undefined, 'no pinned time')
  const h = await health(mock.url)
  t.match(h, { status: 'ok', seed: 42, sessions: 1000 })
  const clock = mock.app.mock.clock.now()
  t.ok(clock >= before && clock <= Date.now() + 5, 'the virtual clock runs with real time')
  const page = await list(mock.url, { type: 'web', platform: 'web', version_key: 'docs.example.com', limit: 3 })
  t.equal(page.status, 200)
  t.equal(page.body.sessions.length, 3)
})

t.test('options: now as a string, a number or a Date; advanceClock; reset; env', async (t) => {
  for (const now of ['2026-01-15T12:00:00Z', NOW, new Date(NOW)]) {
    const mock = await startTestServer({ now, sessions: 20 })
    t.equal(mock.app.mock.clock.now(), NOW, `now given as ${typeof now}`)
    t.equal(mock.advanceClock(1000), NOW + 1000)
    mock.reset()
    t.equal(mock.app.mock.clock.now(), NOW)
    await mock.close()
  }
  const fromEnv = await startTestServer({ env: { MOCK_SEED: '9', MOCK_SESSIONS: '30' }, seed: undefined, sessions: undefined })
  t.teardown(() => fromEnv.close())
  t.match(await health(fromEnv.url), { seed: 9, sessions: 30 }, 'env read when passed')
  const direct = await startTestServer({ env: { MOCK_SEED: '9' }, seed: 11, sessions: 5 })
  t.teardown(() => direct.close())
  t.match(await health(direct.url), { seed: 11, sessions: 5 }, 'values in code beat env')
})

t.test('fixtures as a path or as a value', async (t) => {
  const byPath = await startTestServer({ fixtures: 'fixtures/example.json' })
  t.teardown(() => byPath.close())
  t.match(await health(byPath.url), { sessions: example.sessions.length, version_keys: ['com.example.notes', 'notes.example.com'] })
  t.equal(byPath.options.fixtures, 'fixtures/example.json')
  const exported = await (await fetch(`${byPath.url}/__admin/corpus`)).json()
  const normalized = { sessions: example.sessions.map((s: any) => ({ ...s, details: s.details ?? {} })) }
  t.same(exported, normalized, 'the export is the fixture file itself (absent details exported as {})')
  const web = await list(byPath.url, { type: 'web', platform: 'web', version_key: 'notes.example.com', sort_by: ['created_at:asc'] })
  t.same(
    web.body.sessions.map((s: { session_id: string }) => s.session_id),
    example.sessions.filter((s: any) => s.type === 'web').sort((a: any, b: any) => a.created_at.localeCompare(b.created_at)).map((s: any) => s.session_id),
  )
  const byValue = await startTestServer({ fixtures: { sessions: example.sessions.slice(0, 3) } })
  t.teardown(() => byValue.close())
  t.match(await health(byValue.url), { sessions: 3, version_keys: ['com.example.notes'] })
  t.same(loadCorpus(byValue.options), undefined, 'a value is not a path')
})

t.test('a bad fixtures file or value rejects before anything listens', async (t) => {
  await t.rejects(startTestServer({ fixtures: 'test/fixtures/bad-sessions.json' }), {
    name: 'FixtureError',
    field: 'sessions[1].created_at',
    message: /^fixtures file test\/fixtures\/bad-sessions\.json: sessions\[1\]\.created_at: /,
  })
  await t.rejects(startTestServer({ fixtures: 'test/fixtures/no-such-file.json' }), FixtureError)
  await t.rejects(startTestServer({ fixtures: { sessions: [{ ...example.sessions[0], is_crash: 'no' }] } }), { name: 'FixtureError', field: 'sessions[0].is_crash' })
  await t.rejects(startTestServer({ port: -1 }), OptionError)
  await t.rejects(startTestServer({ colour: 'red' } as never), { message: 'unknown option "colour"' })
  await t.rejects(startTestServer({ now: 'yesterday' }), { name: 'OptionError', message: /^now must be an ISO date-time/ })
})

t.test('close(): in-flight requests finish (their connection closed), then it resolves promptly', async (t) => {
  // Resolves when the server has the second request's headers (it is then in flight, not idle).
  let arrived!: () => void
  const inFlight = new Promise<void>((resolve) => (arrived = resolve))
  let seen = 0
  const probe = fp(async (app: FastifyInstance) => {
    app.addHook('onRequest', async () => {
      if (++seen === 2) arrived()
    })
  })
  const mock = await startTestServer({ sessions: 50, plugins: [probe] })
  const body = JSON.stringify({ type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 2 })
  const agent = new Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  // A first request leaves a kept-alive socket behind.
  t.equal((await send(mock.url, body, agent)).status, 200)
  let closed: Promise<void> | undefined
  let started = 0
  const res = await send(mock.url, body, agent, (finish) => {
    void inFlight.then(() => {
      started = Date.now()
      closed = mock.close()
      setTimeout(finish, 100)
    })
  })
  t.equal(res.status, 200, 'the in-flight request is answered')
  t.equal(res.connection, 'close', 'with Connection: close')
  t.equal(JSON.parse(res.text).sessions.length, 2)
  await closed
  t.ok(Date.now() - started < 1000, `closed ${Date.now() - started} ms after close() was called`)
  await t.rejects(fetch(`${mock.url}/__admin/health`), 'nothing listens any more')
})

/** POSTs `body` in two halves; `between(finish)`, if given, runs after the first half and must call finish(). */
function send(url: string, body: string, agent: Agent, between?: (finish: () => void) => void) {
  return new Promise<{ status: number; text: string; connection: string | undefined }>((resolve, reject) => {
    const req = request(`${url}${LIST}`, {
      method: 'POST',
      agent,
      headers: { ...AUTH, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, text, connection: res.headers.connection }))
    })
    req.on('error', reject)
    req.write(body.slice(0, 10))
    const finish = () => req.end(body.slice(10))
    if (between) between(finish)
    else finish()
  })
}

t.test('buildApp() with no options: seed 42, 1000 sessions, real time, defaults of the limits', async (t) => {
  const before = Date.now()
  const app = await buildApp({ plugins: [conformancePlugin] })
  t.teardown(() => app.close())
  t.match((await app.inject({ method: 'GET', url: '/__admin/health' })).json(), { seed: 42, sessions: 1000 })
  t.match(DEFAULTS, { seed: 42, sessions: 1000, maxBodyBytes: 1_048_576, maxLimit: 100, journalSize: 1000, rateLimitWindowMs: 300_000 })
  t.ok(app.mock.clock.now() >= before, 'real time')
  t.equal(app.mock.clock.frozen, false)
  const res = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 500 } })
  t.equal(res.json().sessions.length, 100, 'max limit 100')
})

t.test('serverUrl: the line the CLI prints', async (t) => {
  t.equal(serverUrl('127.0.0.1', 8080), 'http://127.0.0.1:8080')
  t.equal(serverUrl('0.0.0.0', 1), 'http://0.0.0.0:1')
  t.equal(serverUrl('::1', 9000), 'http://[::1]:9000', 'IPv6 in brackets')
  t.equal(serverUrl('localhost', 3), 'http://localhost:3')
})

/**
 * Authentication of the emulated endpoints: `Bearer <token>` and the raw token (the SDK's
 * form) are accepted; missing, empty, blank or `Bearer ` alone → 401 unauthenticated; with `--token`
 * (the `tokens` option) any other token → 401. Auth comes before validation; X-Devrev-Scope is optional.
 */
import t, { type Test } from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildTestApp } from '../helpers/app.ts'
import { LIST } from '../helpers/walk.ts'

const BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }
const QUERY = '?platform=android&version_key=com.example.shop&limit=1'

/** All four emulated routes with one set of headers. */
function calls(headers: Record<string, string>, session_id = 'whatever'): InjectOptions[] {
  const get = { platform: 'android', version_key: 'com.example.shop', session_id }
  return [
    { method: 'POST', url: LIST, headers, payload: BODY },
    { method: 'GET', url: `${LIST}${QUERY}`, headers },
    { method: 'POST', url: '/observability.sessions.get', headers, payload: get },
    { method: 'GET', url: `/observability.sessions.get?${new URLSearchParams(get)}`, headers },
  ]
}

async function expectStatus(t: Test, app: FastifyInstance, headers: Record<string, string>, status: number, what: string, sessionId?: string) {
  for (const req of calls(headers, sessionId)) {
    const res = await app.inject(req)
    t.equal(res.statusCode, status, `${what}: ${req.method} ${String(req.url).split('?')[0]} → ${status}`)
    if (status === 401) t.same(res.json(), { type: 'unauthenticated', message: res.json().message }, 'exactly the unauthenticated body')
  }
}

t.test('any non-empty token, Bearer or raw', async (t) => {
  const app = await buildTestApp({ sessions: 40 })
  t.teardown(() => app.close())
  const sid = (await app.inject(calls({ authorization: 'x' })[0]!)).json().sessions[0].session_id
  for (const authorization of ['Bearer abc', 'bearer abc', 'BEARER abc', 'Bearer   abc  ', 'abc', 'eyJhbGciOiJIUzI1NiJ9.e30.sig', 'Token abc']) {
    await expectStatus(t, app, { authorization }, 200, JSON.stringify(authorization), sid)
  }
  await expectStatus(t, app, { authorization: 'abc', 'x-devrev-scope': 'beta' }, 200, 'with X-Devrev-Scope: beta', sid)
  await expectStatus(t, app, { authorization: 'abc', 'x-devrev-client-platform': 'Typescript-SDK' }, 200, 'with the SDK header', sid)

  await expectStatus(t, app, {}, 401, 'no Authorization header')
  for (const authorization of ['', '   ', 'Bearer', 'Bearer ', 'bearer    ', '\t']) {
    await expectStatus(t, app, { authorization }, 401, JSON.stringify(authorization))
  }
})

t.test('authentication comes before validation', async (t) => {
  const app = await buildTestApp({ sessions: 20 })
  t.teardown(() => app.close())
  const bad = await app.inject({ method: 'POST', url: LIST, payload: { type: 'nope' } })
  t.equal(bad.statusCode, 401, 'an invalid body without a token is 401, not 400')
  // Reading the body comes first (fault rules match on it before authentication): bytes that are
  // not JSON at all are a parse_error whoever sends them.
  const malformed = await app.inject({ method: 'POST', url: LIST, headers: { 'content-type': 'application/json' }, payload: '{' })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.json().type, 'parse_error')
  const get = await app.inject({ method: 'GET', url: `${LIST}?platform=nope&colour=red` })
  t.equal(get.statusCode, 401, 'a bad query without a token is 401')
})

t.test('--token: only the listed tokens', async (t) => {
  const app = await buildTestApp({ sessions: 40, tokens: ['t-one', 't-two'] })
  t.teardown(() => app.close())
  const sid = (await app.inject(calls({ authorization: 't-one' })[0]!)).json().sessions[0].session_id
  for (const authorization of ['t-one', 'Bearer t-one', 't-two', 'bearer t-two']) {
    await expectStatus(t, app, { authorization }, 200, `accepted ${authorization}`, sid)
  }
  for (const authorization of ['t-three', 'Bearer t-on', 'T-ONE', 't-one t-two', 'Bearer Bearer t-one']) {
    await expectStatus(t, app, { authorization }, 401, `refused ${authorization}`)
  }
  await expectStatus(t, app, {}, 401, 'still no token')
})

t.test('the admin API is not behind the emulated endpoints\' tokens', async (t) => {
  const app = await buildTestApp({ sessions: 10, tokens: ['only'] })
  t.teardown(() => app.close())
  t.equal((await app.inject({ method: 'GET', url: '/__admin/health' })).statusCode, 200)
})

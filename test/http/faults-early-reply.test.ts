/**
 * An extra plugin (AppOptions.plugins) may answer a request on an emulated path before the fault
 * plugin's own onRequest runs. The fault plugin's later hooks must then stand aside: the plugin's
 * answer goes out as it is, and the journal records nothing for it.
 */
import t from 'tap'
import fp from 'fastify-plugin'
import { buildTestApp, AUTH } from '../helpers/app.ts'

t.test('an early reply from an extra plugin passes the fault hooks untouched', async (t) => {
  const early = fp(async (app) => {
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers['x-early'] !== undefined) {
        return reply.code(503).type('application/json').send('{"type":"service_unavailable","message":"early"}')
      }
    })
  })
  const app = await buildTestApp({ plugins: [early], rateLimit: { limit: 5, windowMs: 60_000 } })
  t.teardown(() => app.close())
  const body = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }
  const res = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: { ...AUTH, 'x-early': '1' }, payload: body })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { type: 'service_unavailable', message: 'early' })
  t.equal(res.headers['x-ratelimit-limit'], undefined, 'the limiter never saw it')
  const journal = await app.inject({ method: 'GET', url: '/__admin/requests' })
  t.same(journal.json().requests, [], 'nothing journaled')
  // An ordinary request still goes through every hook.
  const ok = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: body })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['x-ratelimit-limit'], '5')
  t.equal((await app.inject({ method: 'GET', url: '/__admin/requests' })).json().requests.length, 1)
})

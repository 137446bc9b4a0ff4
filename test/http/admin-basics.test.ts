/** The admin basics: GET /__admin/health, GET /__admin/corpus, and the --admin-token guard. */
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { parseCorpus } from '../../src/core/corpus/fixtures.ts'
import { VERSION } from '../../src/version.ts'

t.test('health', async (t) => {
  const app = await buildTestApp({ seed: 12, sessions: 150 })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/__admin/health' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), {
    status: 'ok',
    version: VERSION,
    seed: 12,
    sessions: 150,
    version_keys: ['com.example.fitness', 'com.example.shop', 'docs.example.com', 'shop.example.com'],
  })
})

t.test('corpus export: the fixtures format, loadable again', async (t) => {
  const app = await buildTestApp({ sessions: 60 })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/__admin/corpus' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const { sessions } = res.json()
  t.equal(sessions.length, 60)
  t.same(parseCorpus({ sessions }), sessions, 'valid fixtures, unchanged by loading')
  for (const s of sessions) {
    t.type(s.version_key, 'string')
    t.type(s.details, 'object')
  }
  // What the API shows is the export minus version_key and details.
  const s = sessions.find((x: { type: string }) => x.type === 'web')
  const got = await app.inject({
    method: 'POST',
    url: '/observability.sessions.get',
    headers: { authorization: 'k' },
    payload: { platform: 'web', version_key: s.version_key, session_id: s.session_id },
  })
  const { version_key: _v, details: _d, ...visible } = s
  t.same(got.json().session, visible)
})

t.test('--admin-token guards every admin route', async (t) => {
  const app = await buildTestApp({ sessions: 10, adminToken: 'sesame' })
  t.teardown(() => app.close())
  for (const url of ['/__admin/health', '/__admin/corpus']) {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: '' }, { authorization: 'Bearer ' }]) {
      const res = await app.inject({ method: 'GET', url, headers })
      t.equal(res.statusCode, 401, `${url} ${JSON.stringify(headers)}`)
      t.equal(res.json().type, 'unauthenticated')
      t.type(res.json().message, 'string')
    }
    const ok = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer sesame' } })
    t.equal(ok.statusCode, 200, `${url} with the admin token`)
  }
  // The emulated endpoints do not take the admin token's rules: any token works there.
  const list = await app.inject({
    method: 'POST',
    url: '/observability.sessions.list',
    headers: { authorization: 'anything' },
    payload: { type: 'web', platform: 'web', version_key: 'shop.example.com' },
  })
  t.equal(list.statusCode, 200)
})

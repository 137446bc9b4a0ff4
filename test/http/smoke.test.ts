import t from 'tap'
import { buildTestApp, AUTH } from '../helpers/app.js'

t.test('the default corpus answers a list request', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/observability.sessions.list',
    headers: AUTH,
    payload: { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 3 },
  })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.sessions.length, 3)
  t.ok(body.sessions.every((s: { platform: string }) => s.platform === 'android'))
})

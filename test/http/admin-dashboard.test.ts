/**
 * The admin reads behind the dashboard: each token's count in the limiter's window, the corpus per
 * app and platform, a session found by id with its recording; none of them journaled or limited.
 */
import t from 'tap'
import { buildTestApp, NOW } from '../helpers/app.ts'
import { tokenHash } from '../../src/core/journal.ts'
import { allRecords } from '../helpers/store.ts'

const LIST = '/observability.sessions.list?platform=web&version_key=shop.example.com&limit=1'

t.test("each token's count in the current window", async (t) => {
  const app = await buildTestApp({ rateLimit: { limit: 2, windowMs: 300_000 } })
  t.teardown(() => app.close())
  for (const token of ['a', 'a', 'a', 'b']) await app.inject({ url: LIST, headers: { authorization: `Bearer ${token}` } })
  await app.inject({ url: LIST })
  const res = await app.inject({ url: '/__admin/rate-limit/tokens' })
  t.equal(res.statusCode, 200)
  const reset_at = new Date(Math.ceil(NOW / 300_000) * 300_000 + (NOW % 300_000 === 0 ? 300_000 : 0)).toISOString()
  t.same(res.json().tokens, [
    { token_hash: tokenHash('a'), used: 2, remaining: 0, reset_at },
    { token_hash: tokenHash('b'), used: 1, remaining: 1, reset_at },
    { token_hash: null, used: 1, remaining: 1, reset_at },
  ])
  app.mock.clock.advance(300_000)
  t.same((await app.inject({ url: '/__admin/rate-limit/tokens' })).json(), { tokens: [] }, 'a new window: nobody counted yet')
  app.mock.limiter.set(undefined)
  t.same((await app.inject({ url: '/__admin/rate-limit/tokens' })).json(), { tokens: [] }, 'limiter off')
})

t.test('the corpus per app and platform', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const { sessions, apps } = (await app.inject({ url: '/__admin/corpus/counts' })).json() as {
    sessions: number
    apps: { version_key: string; platform: string; sessions: number }[]
  }
  t.equal(sessions, 400)
  t.equal(apps.reduce((n, a) => n + a.sessions, 0), 400)
  t.same(apps.map((a) => `${a.version_key}/${a.platform}`), [
    'com.example.fitness/android', 'com.example.fitness/ios', 'com.example.shop/android', 'com.example.shop/ios',
    'docs.example.com/web', 'shop.example.com/web',
  ])
  const sessionsOf = (vk: string, p: string) => allRecords(app.mock.store).filter((r) => r.versionKey === vk && r.session.platform === p).length
  for (const a of apps) t.equal(a.sessions, sessionsOf(a.version_key, a.platform))
})

t.test('a session by id, with its recording as data.get answers it', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const platform of ['web', 'ios']) {
    const rec = allRecords(app.mock.store).find((r) => r.session.platform === platform)!
    const res = await app.inject({ url: `/__admin/sessions/${rec.session.session_id}`, headers: { host: 'mock.test' } })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.equal(body.version_key, rec.versionKey)
    t.same(body.session, rec.session)
    const direct = await app.inject({
      method: 'POST',
      url: '/observability.sessions.data.get',
      headers: { authorization: 'Bearer x', host: 'mock.test' },
      payload: { session_id: rec.session.session_id, version_key: rec.versionKey },
    })
    t.same(body.recording, direct.json(), `${platform}: the same recording`)
  }
  const missing = await app.inject({ url: '/__admin/sessions/nope' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { type: 'not_found', message: 'no session nope in the corpus' })
  t.equal(app.mock.journal.size, 2, 'only the two data.get calls are journaled, not the admin reads')
})

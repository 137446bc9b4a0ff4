/**
 * A list request that comes again is answered from the page kept for it, as bytes made once: the
 * answer is byte for byte what a mock keeping no pages sends, however often it is asked for, by how
 * many clients at once, and after the clock has moved.
 */
import t from 'tap'
import { buildTestApp, startTestServer, AUTH } from '../helpers/app.ts'
import { LIST, walkForward, idsOf } from '../helpers/walk.ts'
import type { FastifyInstance } from 'fastify'

const REQUEST = {
  type: 'mobile',
  platform: 'android',
  version_key: 'com.example.shop',
  sort_by: ['session_duration_ms:desc'],
  created_at: { type: 'preset', preset_type: 'last_n_days', days: 3 },
  limit: 7,
}

const body = async (app: FastifyInstance, payload: object) => {
  const res = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload })
  t.equal(res.statusCode, 200)
  return res.body
}

t.test('asked for again and again, a page is the bytes a mock keeping no pages sends', async (t) => {
  const kept = await buildTestApp()
  const none = await buildTestApp({ pageCache: 0 })
  t.teardown(() => Promise.all([kept.close(), none.close()]))
  const expected = await body(none, REQUEST)
  t.ok(JSON.parse(expected).sessions.length > 0, 'a page with sessions')
  // The first answer is written afresh, the second makes the bytes kept, the third sends them.
  for (let i = 0; i < 4; i++) t.equal(await body(kept, REQUEST), expected, `answer ${i + 1}`)
  // GET asks the same query: the same page.
  const query = new URLSearchParams({ platform: 'android', version_key: 'com.example.shop', limit: '7' })
  const get = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })).body
  const viaGet = await get(none)
  for (let i = 0; i < 3; i++) t.equal(await get(kept), viaGet)

  // The clock moves three days: the window moves, the page with it.
  for (const app of [kept, none]) {
    const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advance_ms: 3 * 86_400_000 } })
    t.equal(res.statusCode, 200)
  }
  const later = await body(none, REQUEST)
  t.not(later, expected, 'another window, another page')
  t.equal(await body(kept, REQUEST), later)
  t.equal(await body(kept, REQUEST), later)

  // A walk, page after page, twice: the same sessions as the mock keeping none.
  const walk = { type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 9 }
  const ids = idsOf(await walkForward(none, walk))
  t.ok(ids.length > 20)
  t.same(idsOf(await walkForward(kept, walk)), ids)
  t.same(idsOf(await walkForward(kept, walk)), ids, 'again, from the pages kept')
})

t.test('many clients asking for the same page at once all get it whole', async (t) => {
  const server = await startTestServer()
  t.teardown(() => server.close())
  const ask = () =>
    fetch(`${server.url}${LIST}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(REQUEST) }).then((r) => r.text())
  const first = await ask()
  const answers = await Promise.all(Array.from({ length: 40 }, ask))
  t.equal(new Set(answers).size, 1, 'one answer')
  t.equal(answers[0], first)
})

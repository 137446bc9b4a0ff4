/**
 * List pages are written into pooled buffers that go back to the pool when the response finishes.
 * Over real sockets, many pages in flight at once must each arrive intact, and the pool must be
 * reused rather than grow.
 */
import t from 'tap'
import { BufferPool } from '../../src/http/buffer-pool.ts'
import { startTestServer, AUTH } from '../helpers/app.ts'

t.test('the pool hands out, takes back, and bounds what it keeps', async (t) => {
  const pool = new BufferPool(64, 2)
  t.equal(pool.take(65), undefined, 'too big for a pooled buffer')
  const a = pool.take(10)!
  const b = pool.take(64)!
  const c = pool.take(1)!
  t.equal(a.length, 64)
  t.not(a, b)
  pool.give(a)
  pool.give(b)
  pool.give(c)
  t.equal(pool.free, 2, 'keeps at most `max` free buffers')
  t.equal(pool.take(5), b, 'reuses the last one given back')
})

t.test('concurrent pages over real sockets arrive intact', async (t) => {
  const mock = await startTestServer({ sessions: 800 })
  t.teardown(() => mock.close())
  const scopes = [
    { type: 'mobile', platform: 'android', version_key: 'com.example.shop' },
    { type: 'mobile', platform: 'ios', version_key: 'com.example.fitness' },
    { type: 'web', platform: 'web', version_key: 'shop.example.com' },
    { type: 'web', platform: 'web', version_key: 'docs.example.com' },
  ]
  const post = async (body: object) => {
    const res = await fetch(`${mock.url}/observability.sessions.list`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return (await res.json()) as { sessions: { session_id: string }[] }
  }
  // What each request must answer, asked one at a time.
  const requests = scopes.flatMap((s) => [1, 7, 50, 100].map((limit) => ({ ...s, limit })))
  const expected: string[][] = []
  for (const r of requests) expected.push((await post(r)).sessions.map((s) => s.session_id))
  // The same requests, eight rounds of them in flight together.
  const rounds = await Promise.all(Array.from({ length: 8 }, () => Promise.all(requests.map(post))))
  for (const round of rounds) {
    t.same(round.map((p) => p.sessions.map((s) => s.session_id)), expected)
  }
  t.ok(expected.every((ids) => ids.length > 0))
})

t.test('a page larger than a pooled buffer is answered whole', async (t) => {
  const { buildTestApp, NOW } = await import('../helpers/app.ts')
  const { generateCorpus } = await import('../../src/core/corpus/generate.ts')
  const sessions = generateCorpus({ seed: 3, sessions: 60, now: NOW })
    .filter((s) => s.type === 'web')
    .map((s) => ({ ...s, first_page_title: 'x'.repeat(100_000) }))
  const app = await buildTestApp({ corpus: sessions })
  t.teardown(() => app.close())
  const scope = sessions[0]!
  const res = await app.inject({
    method: 'POST',
    url: '/observability.sessions.list',
    headers: AUTH,
    payload: { type: 'web', platform: 'web', version_key: scope.version_key, limit: 5 },
  })
  t.equal(res.statusCode, 200)
  t.ok(res.rawPayload.length > 256 * 1024, `${res.rawPayload.length} bytes`)
  t.equal(res.json().sessions.length, 5)
})

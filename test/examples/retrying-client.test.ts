/**
 * The 429 story end to end: a client hits the mock's rate limit, is told `Retry-After`, waits, and
 * succeeds, where the wait moves the mock's virtual clock (POST /__admin/clock) instead of sleeping.
 */
import t from 'tap'
import { startTestServer, NOW } from '../helpers/app.ts'
import { DevRevApiError, RetryingClient, retryAfterSeconds } from '../../examples/retrying-client.ts'

const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }

t.test('429 → wait retry_after on the virtual clock → success, with no real sleep', async (t) => {
  // Frozen: the wait below is the only thing that moves time, so every instant is exact.
  const mock = await startTestServer({ rateLimit: '2/5m', freezeClock: true })
  t.teardown(() => mock.close())
  // Warm the server up (its first answer compiles a lot), with another token, then forget it.
  await new RetryingClient({ baseUrl: mock.url, token: 'warm-up' }).call('observability.sessions.list', LIST_BODY)
  await fetch(`${mock.url}/__admin/requests`, { method: 'DELETE' })
  const started = performance.now()
  const sleeps: number[] = []
  const client = new RetryingClient({
    baseUrl: `${mock.url}/`,
    token: 'client-under-test',
    sleep: async (ms) => {
      sleeps.push(ms)
      const res = await fetch(`${mock.url}/__admin/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advance_ms: ms }),
      })
      await res.arrayBuffer()
    },
  })

  // The live journal tells when the retry came, without polling.
  const retried = mock.waitForRequest((r) => r.status === 200 && r.received_at >= '2026-01-15T12:05:00.000Z', { timeout: 2000 })
  for (let i = 0; i < 3; i++) {
    const page = await client.call<{ sessions: unknown[] }>('observability.sessions.list', LIST_BODY)
    t.equal(page.sessions.length, 1)
  }
  t.match(await retried, { status: 200, early_retry: false, received_at: '2026-01-15T12:05:00.000Z' }, 'the retry, once the window had ended')
  t.same(client.waits, [300], 'the third call was told to wait out the 5-minute window')
  t.same(sleeps, [300_000])
  t.equal(mock.app.mock.clock.now(), NOW + 300_000, 'the wait moved the virtual clock')
  t.same(
    mock.requests().map((r) => [r.status, r.early_retry, r.received_at]),
    [
      [200, false, '2026-01-15T12:00:00.000Z'],
      [200, false, '2026-01-15T12:00:00.000Z'],
      [429, false, '2026-01-15T12:00:00.000Z'],
      [200, false, '2026-01-15T12:05:00.000Z'],
    ],
    'the retry came exactly when it was allowed to, not early',
  )
  const wall = performance.now() - started
  t.ok(wall < 1000, `the whole cycle, well under a second of wall time (${Math.round(wall)} ms)`)
})

t.test('a client that does not wait is flagged early_retry', async (t) => {
  const mock = await startTestServer({ rateLimit: '1/1m' })
  t.teardown(() => mock.close())
  const impatient = new RetryingClient({ baseUrl: mock.url, token: 'impatient', sleep: async () => {}, maxRetries: 2 })
  await impatient.call('observability.sessions.list', LIST_BODY)
  const error = await impatient.call('observability.sessions.list', LIST_BODY).catch((e: unknown) => e)
  t.type(error, DevRevApiError)
  t.match(error, { status: 429, body: { type: 'too_many_requests', retry_after: 60 }, message: /^429 too_many_requests: rate limit exceeded/ })
  t.same(impatient.waits, [60, 60], 'two retries, then it gave up')
  t.same(
    mock.requests().map((r) => [r.status, r.early_retry]),
    [
      [200, false],
      [429, false],
      [429, true],
      [429, true],
    ],
  )
})

t.test('errors other than 429 are thrown at once', async (t) => {
  const mock = await startTestServer()
  t.teardown(() => mock.close())
  const client = new RetryingClient({
    baseUrl: mock.url,
    token: 'x',
    sleep: async () => {
      t.fail('no wait')
    },
  })
  await t.rejects(client.call('observability.sessions.list', { ...LIST_BODY, limit: 0 }), {
    name: 'DevRevApiError',
    status: 400,
    body: { type: 'value_not_permitted', field_name: 'limit' },
  })
  t.same(client.waits, [])
})

t.test('the default sleep waits for real (here, retry_after 0 from a fault rule)', async (t) => {
  const mock = await startTestServer({ faults: [{ error: 'too_many_requests', retry_after: 0, times: 1 }] })
  t.teardown(() => mock.close())
  const client = new RetryingClient({ baseUrl: mock.url, token: 'x' })
  const page = await client.call<{ sessions: unknown[] }>('observability.sessions.list', LIST_BODY)
  t.equal(page.sessions.length, 1)
  t.same(client.waits, [0])
})

t.test('retryAfterSeconds: the header, else the body, else the fallback', async (t) => {
  const res = (headers: Record<string, string>) => new Response(null, { status: 429, headers })
  t.equal(retryAfterSeconds(res({ 'retry-after': '7' }), { retry_after: 3 }, 1), 7)
  t.equal(retryAfterSeconds(res({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), { retry_after: 3 }, 1), 3)
  t.equal(retryAfterSeconds(res({}), { retry_after: 0 }, 1), 0)
  t.equal(retryAfterSeconds(res({}), { retry_after: -2 }, 5), 5)
  t.equal(retryAfterSeconds(res({}), {}, 5), 5)
})

t.test('DevRevApiError reads any body', async (t) => {
  t.equal(new DevRevApiError(502, {}).message, '502 error: ')
  t.equal(new DevRevApiError(403, { type: 'forbidden', message: 'no' }).message, '403 forbidden: no')
})

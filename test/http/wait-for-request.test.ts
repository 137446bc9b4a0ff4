/**
 * startMockServer().waitForRequest(): waits on the journal's live feed for a request, without polling.
 */
import t from 'tap'
import { startTestServer } from '../helpers/app.ts'
import { WAIT_TIMEOUT_MS } from '../../src/server.ts'

const list = (url: string, token = 'test-token') =>
  fetch(`${url}/observability.sessions.list?platform=web&version_key=shop.example.com&limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  }).then((r) => r.arrayBuffer())

t.test('resolves with the first matching entry recorded after the call', async (t) => {
  const mock = await startTestServer({ rateLimit: '1/5m' })
  t.teardown(() => mock.close())
  await list(mock.url)
  const limited = mock.waitForRequest((r) => r.status === 429, { timeout: 2000 })
  const first = mock.waitForRequest(() => true)
  await list(mock.url, 'other')
  await list(mock.url)
  const entry = await limited
  t.equal(entry.status, 429)
  t.equal(entry.error_type, 'too_many_requests')
  t.equal(entry.retry_after, 300, 'with the Retry-After it carried')
  t.same(entry, mock.requests()[2], 'the entry as the journal has it')
  t.equal((await first).status, 200, 'the first entry after the call, not one before it')
  t.equal(mock.app.mock.journal.listeners, 0, 'nothing left subscribed')
})

t.test('rejects at the timeout with a clear message, and a throwing predicate rejects too', async (t) => {
  const mock = await startTestServer()
  t.teardown(() => mock.close())
  const never = mock.waitForRequest((r) => r.status === 418, { timeout: 100 })
  await fetch(`${mock.url}/__admin/requests`, { method: 'DELETE' })
  await list(mock.url)
  await t.rejects(never, { message: 'waitForRequest: no request matched within 100 ms (1 recorded meanwhile)' })
  const broken = mock.waitForRequest(() => {
    throw new TypeError('bad predicate')
  })
  const refused = t.rejects(broken, new TypeError('bad predicate'))
  await list(mock.url)
  await refused
  t.equal(mock.app.mock.journal.listeners, 0)
  t.equal(WAIT_TIMEOUT_MS, 5000)
})

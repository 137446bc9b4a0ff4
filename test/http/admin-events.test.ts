/**
 * GET /__admin/events: the journal live as Server-Sent Events, over a real socket.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { startTestServer, AUTH } from '../helpers/app.ts'
import { openSse } from '../helpers/sse.ts'
import { openEventStream } from '../../src/http/sse.ts'

const list = (url: string, token = 'test-token') =>
  fetch(`${url}/observability.sessions.list?platform=web&version_key=shop.example.com&limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  }).then((r) => r.arrayBuffer())

t.test('one event per journal entry, as GET /__admin/requests shows it, and a clear event', async (t) => {
  const mock = await startTestServer()
  t.teardown(() => mock.close())
  const sse = await openSse(`${mock.url}/__admin/events`)
  t.teardown(() => sse.close())
  t.equal(sse.res.statusCode, 200)
  t.match(sse.res.headers['content-type'], /^text\/event-stream/)
  t.equal(sse.res.headers['cache-control'], 'no-cache, no-transform')
  await list(mock.url)
  await fetch(`${mock.url}/observability.sessions.get`, { method: 'POST', headers: AUTH }).then((r) => r.arrayBuffer())
  const [a, b] = await sse.waitFor(2)
  const { requests } = (await (await fetch(`${mock.url}/__admin/requests`)).json()) as { requests: unknown[] }
  t.same([JSON.parse(a!.data), JSON.parse(b!.data)], requests, 'the same JSON as the journal')
  t.same([a!.id, b!.id, a!.event], ['1', '2', 'message'])
  await fetch(`${mock.url}/__admin/requests`, { method: 'DELETE' })
  const [, , cleared] = await sse.waitFor(3)
  t.same(cleared, { event: 'clear', data: '{}' })
  t.same(sse.comments, ['connected'])
  t.equal(mock.app.mock.journal.listeners, 1)
  sse.close()
  await sse.ended
  // The server notices the client went away and unsubscribes.
  for (let i = 0; i < 50 && mock.app.mock.journal.listeners > 0; i++) await new Promise((r) => setTimeout(r, 10))
  t.equal(mock.app.mock.journal.listeners, 0)
})

t.test('Last-Event-ID or ?since first sends the kept entries after it', async (t) => {
  const mock = await startTestServer()
  t.teardown(() => mock.close())
  for (let i = 0; i < 3; i++) await list(mock.url)
  const all = await openSse(`${mock.url}/__admin/events`, { 'last-event-id': '0' })
  t.teardown(() => all.close())
  t.same((await all.waitFor(3)).map((f) => f.id), ['1', '2', '3'])
  const after2 = await openSse(`${mock.url}/__admin/events?since=2`)
  t.teardown(() => after2.close())
  await list(mock.url)
  t.same((await after2.waitFor(2)).map((f) => f.id), ['3', '4'], 'the missed one, then live')
  const junk = await openSse(`${mock.url}/__admin/events`, { 'last-event-id': 'abc' })
  t.teardown(() => junk.close())
  await list(mock.url)
  t.same((await junk.waitFor(1)).map((f) => f.id), ['5'], 'a Last-Event-ID that is not a number: live only')
  const bad = await fetch(`${mock.url}/__admin/events?since=-1`)
  t.equal(bad.status, 400)
  t.match(await bad.json(), { type: 'value_not_permitted' })
})

t.test('guarded by --admin-token', async (t) => {
  const mock = await startTestServer({ adminToken: 'adm' })
  t.teardown(() => mock.close())
  const denied = await fetch(`${mock.url}/__admin/events`)
  t.equal(denied.status, 401)
  t.match(await denied.json(), { type: 'unauthenticated' })
  const sse = await openSse(`${mock.url}/__admin/events`, { authorization: 'Bearer adm' })
  t.teardown(() => sse.close())
  t.equal(sse.res.statusCode, 200)
})

t.test('the server stops promptly with streams open, and ends them', async (t) => {
  const mock = await startTestServer()
  const streams = await Promise.all([openSse(`${mock.url}/__admin/events`), openSse(`${mock.url}/__admin/events`)])
  await list(mock.url)
  await Promise.all(streams.map((s) => s.waitFor(1)))
  const started = performance.now()
  await mock.close()
  const took = performance.now() - started
  t.ok(took < 1000, `closed in ${Math.round(took)} ms`)
  await Promise.all(streams.map((s) => s.ended))
  t.equal(mock.app.mock.journal.listeners, 0, 'every subscription dropped')
})

t.test('an event stream beats while idle, and ends once', async (t) => {
  let closes = 0
  let stream: ReturnType<typeof openEventStream> | undefined
  const server = createServer((_req, res) => {
    stream = openEventStream(res, { heartbeatMs: 20, onClose: () => closes++ })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => server.close())
  const { port } = server.address() as { port: number }
  const sse = await openSse(`http://127.0.0.1:${port}/`)
  await new Promise((r) => setTimeout(r, 120))
  t.ok(sse.comments.filter((c) => c === 'heartbeat').length >= 2, `heartbeats: ${sse.comments.join(',')}`)
  stream!.send('x', { event: 'custom' })
  await sse.waitFor(1)
  t.same(sse.frames[0], { event: 'custom', data: 'x' })
  stream!.close()
  stream!.close()
  stream!.send('after the end')
  await sse.ended
  t.equal(closes, 1, 'onClose once')
  t.equal(sse.frames.length, 1)
})

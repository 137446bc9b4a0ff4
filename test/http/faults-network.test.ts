/**
 * Network faults as a client sees them, over a real socket with fetch (undici): a connection reset,
 * an empty reply, a 200 whose JSON does not parse. And what inject() sees (no socket to cut).
 */
import t from 'tap'
import { request as httpRequest } from 'node:http'
import { buildTestApp, startTestServer, AUTH } from '../helpers/app.ts'

const LIST = '/observability.sessions.list'
const LIST_BODY = JSON.stringify({ type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 3 })
const init = (headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...AUTH, 'content-type': 'application/json', ...headers },
  body: LIST_BODY,
})

/** The error fetch rejects with, and its cause's code. */
async function fetchFailure(url: string, options: RequestInit): Promise<{ message: string; code: unknown }> {
  try {
    const res = await fetch(url, options)
    await res.text()
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } }
    return { message: err.message, code: err.cause?.code }
  }
  throw new Error('the request did not fail')
}

/** Raw bytes the server sent before closing, over a plain socket. */
function rawReply(url: string, headers: Record<string, string>): Promise<{ bytes: number; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json', ...headers } })
    let bytes = 0
    req.on('socket', (s) => s.on('data', (d: Buffer) => (bytes += d.length)))
    req.on('response', () => resolve({ bytes: -1 }))
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ bytes, error: e.code }))
    req.end(LIST_BODY)
  })
}

t.test('over a real socket', async (t) => {
  const server = await startTestServer({
    faults: [
      { fault: 'connection_reset', match: { headers: { 'x-fault': 'reset' } } },
      { fault: 'empty_response', match: { headers: { 'x-fault': 'empty' } } },
      { fault: 'malformed_json', match: { headers: { 'x-fault': 'json' } } },
    ],
    rateLimit: '100/1m',
  })
  t.teardown(() => server.close())
  const url = server.url + LIST

  t.test('connection_reset: the TCP connection is reset (ECONNRESET)', async (t) => {
    const failure = await fetchFailure(url, init({ 'x-fault': 'reset' }))
    t.equal(failure.message, 'fetch failed')
    t.equal(failure.code, 'ECONNRESET')
    t.same(await rawReply(url, { 'x-fault': 'reset' }), { bytes: 0, error: 'ECONNRESET' })
  })

  t.test('empty_response: the connection closes cleanly before a single byte (curl: "Empty reply from server")', async (t) => {
    const failure = await fetchFailure(url, init({ 'x-fault': 'empty' }))
    t.equal(failure.message, 'fetch failed')
    t.equal(failure.code, 'UND_ERR_SOCKET', 'undici: "other side closed"')
    t.same(await rawReply(url, { 'x-fault': 'empty' }), { bytes: 0, error: 'ECONNRESET' }, 'node:http calls it "socket hang up"')
  })

  t.test('malformed_json: a 200 whose body is the normal answer cut short', async (t) => {
    const normal = await (await fetch(url, init())).text()
    const res = await fetch(url, init({ 'x-fault': 'json' }))
    t.equal(res.status, 200)
    t.equal(res.headers.get('content-type'), 'application/json; charset=utf-8')
    t.ok(res.headers.get('x-ratelimit-limit'), 'headers as usual')
    const text = await res.text()
    t.equal(Number(res.headers.get('content-length')), Buffer.byteLength(text), 'a complete body, as declared')
    t.ok(normal.startsWith(text) && text.length < normal.length, 'a prefix of the normal answer')
    t.throws(() => JSON.parse(text), SyntaxError)
    await t.rejects(fetch(url, init({ 'x-fault': 'json' })).then((r) => r.json()), SyntaxError, 'res.json() throws')
  })

  t.test('the server lives on, and the journal shows each fault', async (t) => {
    t.equal((await fetch(url, init())).status, 200)
    const journal = server.requests().filter((r) => r.rule_id !== null)
    const reset = journal.find((r) => r.fault === 'connection_reset')
    t.match(reset, { status: null, error_type: null, rule_id: 'startup-1', path: LIST, method: 'POST' })
    t.match(journal.find((r) => r.fault === 'empty_response'), { status: null, rule_id: 'startup-2' })
    t.match(journal.find((r) => r.fault === 'malformed_json'), { status: 200, rule_id: 'startup-3' })
  })

  t.test('from the Prefer header too', async (t) => {
    t.equal((await fetchFailure(url, init({ prefer: 'fault=connection_reset' }))).code, 'ECONNRESET')
    t.equal((await fetchFailure(url, init({ prefer: 'fault=empty_response' }))).code, 'UND_ERR_SOCKET')
    const res = await fetch(url, init({ prefer: 'fault=malformed_json' }))
    t.equal(res.status, 200)
    await t.rejects(res.json(), SyntaxError)
  })

  t.test('a delay before the fault', async (t) => {
    const start = performance.now()
    t.equal((await fetchFailure(url, init({ prefer: 'fault=connection_reset, delay=30' }))).code, 'ECONNRESET')
    t.ok(performance.now() - start >= 25)
  })
})

t.test('under inject() there is no socket: a cut connection rejects the inject', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const fault of ['connection_reset', 'empty_response']) {
    await t.rejects(
      app.inject({ method: 'POST', url: LIST, headers: { ...AUTH, prefer: `fault=${fault}` }, payload: JSON.parse(LIST_BODY) }),
      { code: 'LIGHT_ECONNRESET' },
    )
  }
  const cut = await app.inject({
    method: 'POST',
    url: LIST,
    headers: { ...AUTH, prefer: 'fault=malformed_json' },
    payload: JSON.parse(LIST_BODY),
  })
  t.equal(cut.statusCode, 200)
  t.throws(() => cut.json())
  // sessions.get answers text rather than bytes: cut short all the same.
  const [first] = JSON.parse(
    (await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: JSON.parse(LIST_BODY) })).body,
  ).sessions
  const get = {
    method: 'GET' as const,
    url: `/observability.sessions.get?platform=android&version_key=com.example.shop&session_id=${first.session_id}`,
  }
  const whole = await app.inject({ ...get, headers: AUTH })
  const half = await app.inject({ ...get, headers: { ...AUTH, prefer: 'fault=malformed_json' } })
  t.equal(half.statusCode, 200)
  t.equal(half.body, whole.body.slice(0, Math.floor(whole.body.length / 2)))
})

t.test('closing the server cuts a pending delay short', async (t) => {
  const server = await startTestServer({ faults: [{ delay_ms: 60_000 }] })
  const started = performance.now()
  const pending = fetch(server.url + LIST, init())
  // Wait until the request is in its delay, then close.
  for (let i = 0; i < 200 && server.app.mock.faults.list()[0]!.matched === 0; i++) await new Promise((r) => setTimeout(r, 5))
  await server.close()
  const res = await pending
  t.equal(res.status, 200, 'the request got its answer')
  t.ok(performance.now() - started < 5000, 'long before the 60 s delay')
})

/**
 * `--proxy URL`: the upstream's answers pass through byte for byte, the mock's faults, Prefer and
 * token check answer in front of them, the journal says who answered each request, and `--record`
 * writes what passed through as anonymized fixtures that the mock loads.
 */
import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMockServer } from '../../src/index.ts'
import { parseCorpus } from '../../src/core/corpus/fixtures.ts'
import { OptionError } from '../../src/config/options.ts'

const dir = mkdtempSync(join(tmpdir(), 'proxy-'))
const AUTH = { authorization: 'Bearer my-client', 'content-type': 'application/json' }

async function call(url: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const res = await fetch(`${url}${path}`, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}

t.test('answers pass through, faults in front, the journal says who answered', async (t) => {
  const upstream = await startMockServer({ seed: 5, sessions: 40, now: '2026-01-15T12:00:00Z', freezeClock: true, tokens: ['my-client'] })
  t.teardown(() => upstream.close())
  const out = join(dir, 'passed.json')
  const proxy = await startMockServer({ proxy: upstream.url, record: out, seed: 1, sessions: 1 })
  t.teardown(() => proxy.close())

  const list = { type: 'mobile', platform: 'ios', version_key: 'com.example.shop', limit: 5 }
  const direct = await call(upstream.url, '/observability.sessions.list', list)
  const via = await call(proxy.url, '/observability.sessions.list', list)
  t.equal(via.status, 200)
  t.ok(via.bytes.equals(direct.bytes), 'a list page, byte for byte')
  t.equal(via.headers.get('content-type'), direct.headers.get('content-type'))
  const sessions = JSON.parse(via.bytes.toString()).sessions
  t.ok(sessions.length > 0)

  const query = '/observability.sessions.list?platform=web&version_key=%22shop.example.com%22&limit=3'
  t.ok((await call(proxy.url, query)).bytes.equals((await call(upstream.url, query)).bytes), 'a GET with its query as sent')

  const first = sessions[0]
  const get = { session_id: first.session_id, version_key: 'com.example.shop' }
  const data = await call(proxy.url, '/observability.sessions.data.get', get)
  t.equal(data.status, 200)
  t.ok(data.bytes.equals((await call(upstream.url, '/observability.sessions.data.get', get)).bytes), 'a recording, byte for byte')
  const one = { ...get, platform: first.platform }
  t.ok((await call(proxy.url, '/observability.sessions.get', one)).bytes.equals((await call(upstream.url, '/observability.sessions.get', one)).bytes))

  const missing = await call(proxy.url, '/observability.sessions.get', { ...one, session_id: 'nope' })
  t.equal(missing.status, 404, "the upstream's errors pass through too")
  t.ok(missing.bytes.equals((await call(upstream.url, '/observability.sessions.get', { ...one, session_id: 'nope' })).bytes))

  const prefer = await call(proxy.url, '/observability.sessions.list', list, { ...AUTH, prefer: 'error=too_many_requests, retry_after=2' })
  t.equal(prefer.status, 429, 'an injected 429 in front of the upstream')
  t.equal(prefer.headers.get('retry-after'), '2')
  await call(proxy.url, '/__admin/faults', { status: 503, times: 1 }, { 'content-type': 'application/json' })
  t.equal((await call(proxy.url, '/observability.sessions.list', list)).status, 503, 'a fault rule in front')
  t.equal((await call(proxy.url, '/observability.sessions.list', list)).status, 200, 'then the upstream again')
  const noToken = await call(proxy.url, '/observability.sessions.list', list, { 'content-type': 'application/json' })
  t.equal(noToken.status, 401)
  t.equal(JSON.parse(noToken.bytes.toString()).type, 'unauthenticated')
  const refused = await call(proxy.url, '/observability.sessions.list', list, { ...AUTH, authorization: 'Bearer other' })
  t.equal(refused.status, 401, "the caller's token goes to the upstream, which refuses this one")

  const journal = JSON.parse((await call(proxy.url, '/__admin/requests')).bytes.toString()).requests
  t.same(journal.map((e: any) => [e.status, e.source]), [
    [200, 'upstream'], [200, 'upstream'], [200, 'upstream'], [200, 'upstream'], [404, 'upstream'],
    [429, 'mock'], [503, 'mock'], [200, 'upstream'], [401, 'mock'], [401, 'upstream'],
  ])
  t.notOk('source' in JSON.parse((await call(upstream.url, '/__admin/requests')).bytes.toString()).requests[0], 'without --proxy, no source')

  // What passed through, as fixtures.
  const corpus = parseCorpus(JSON.parse(readFileSync(out, 'utf8')), out)
  t.ok(corpus.length >= sessions.length + 3, `${corpus.length} sessions written`)
  const text = readFileSync(out, 'utf8')
  const ids = sessions.flatMap((s: any) => [s.rev_user_id, s.rev_org_id]).filter(Boolean)
  t.ok(ids.length > 0)
  t.same(ids.filter((id: string) => text.includes(id)), [], 'anonymized')
  const withRecording = corpus.find((s) => s.session_id === first.session_id)!
  t.equal(withRecording.details?.recordings?.length, 1, 'the recording seen is kept')
  t.ok(existsSync(`${out}.salt`))
  const replay = await startMockServer({ fixtures: out })
  t.teardown(() => replay.close())
  t.equal((await call(replay.url, '/observability.sessions.data.get', get)).status, 200, 'the file replays')
})

t.test('a recording seen before its session, .jsonl, a salt kept beside the file', async (t) => {
  const upstream = await startMockServer({ seed: 5, sessions: 20 })
  t.teardown(() => upstream.close())
  const out = join(dir, 'early.jsonl')
  writeFileSync(`${out}.salt`, 'kept\n')
  const proxy = await startMockServer({ proxy: `${upstream.url}/`, record: out })
  t.teardown(() => proxy.close())
  const s = JSON.parse((await call(upstream.url, '/observability.sessions.list', { type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 1 })).bytes.toString()).sessions[0]
  await call(proxy.url, '/observability.sessions.data.get', { session_id: s.session_id, version_key: 'shop.example.com', tab_id: s.tab_ids.at(-1) })
  t.equal(readFileSync(out, 'utf8'), '', 'no session yet: nothing written')
  await call(proxy.url, `/observability.sessions.get?session_id=${s.session_id}&version_key=shop.example.com&platform=web`)
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.equal(lines.length, 1)
  t.equal(lines[0].details.recordings[0].tab_id, s.tab_ids.at(-1))
  t.equal(readFileSync(`${out}.salt`, 'utf8'), 'kept\n', 'the salt beside the file is used, not replaced')

  // Sessions without recording ids: their one recording answers to the session id.
  const example = await startMockServer({ fixtures: 'fixtures/example.json' })
  t.teardown(() => example.close())
  const notes = join(dir, 'notes.jsonl')
  const proxy2 = await startMockServer({ proxy: example.url, record: notes })
  t.teardown(() => proxy2.close())
  await call(proxy2.url, '/observability.sessions.list', { type: 'mobile', platform: 'ios', version_key: 'com.example.notes' })
  const bare = 'b2e1d7ef-0002-4000-8000-000000000005'
  await call(proxy2.url, '/observability.sessions.data.get', { session_id: bare, version_key: 'com.example.notes' })
  const written = readFileSync(notes, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.equal(written.length, 2)
  t.equal(written.find((x) => x.session_id === bare).details.recordings.length, 1)
})

t.test('an unreachable upstream, and options that do not go together', async (t) => {
  const gone = await startMockServer({})
  const url = gone.url
  await gone.close()
  const proxy = await startMockServer({ proxy: url })
  t.teardown(() => proxy.close())
  const r = await call(proxy.url, '/observability.sessions.list', { type: 'web', platform: 'web', version_key: 'k' })
  t.equal(r.status, 503)
  t.match(JSON.parse(r.bytes.toString()), { type: 'service_unavailable', message: /^the upstream http:\/\/127\.0\.0\.1:\d+ cannot be reached: Error: connect ECONNREFUSED/ })
  await t.rejects(startMockServer({ record: join(dir, 'x.json') }), new OptionError(`--record ${join(dir, 'x.json')}: needs --proxy, and a .json or .jsonl file`))
  await t.rejects(startMockServer({ proxy: url, record: join(dir, 'x.csv') }), OptionError)
  await t.rejects(startMockServer({ proxy: 'ftp://x' }), /proxy must be an http:\/\/ or https:\/\/ URL/)
})

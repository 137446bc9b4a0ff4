/**
 * observability.sessions.data.get and the replay objects behind its URLs, from the outside:
 * choosing recordings and tabs, errors, faults/journal/limiter like the other endpoints,
 * determinism, rrweb segments, PNG frames, and pre-signed URLs that expire on the virtual clock.
 */
import t from 'tap'
import { PNG } from 'pngjs'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, AUTH, NOW } from '../helpers/app.ts'
import type { StoredSession, StoredMobileSession, StoredWebSession } from '../../src/contract/schemas/sessions.ts'

const DATA = '/observability.sessions.data.get'
type Json = Record<string, any>

const app = await buildTestApp({ sessions: 120 })
t.teardown(() => app.close())
const corpus = (await app.inject({ method: 'GET', url: '/__admin/corpus' })).json().sessions as StoredSession[]
const mobile = corpus.find((s): s is StoredMobileSession => s.type === 'mobile' && (s.recording_ids?.length ?? 0) > 1)!
const web = corpus.find((s): s is StoredWebSession => s.type === 'web' && (s.tab_ids?.length ?? 0) > 1 && (s.details?.events?.length ?? 0) > 0)!

async function dataGet(a: FastifyInstance, body: Json, headers: Json = AUTH) {
  return a.inject({ method: 'POST', url: DATA, headers, payload: body })
}
/** A replay URL, fetched from the app it came from (path and query; the host is checked apart). */
async function fetchUrl(a: FastifyInstance, url: string) {
  const u = new URL(url)
  return a.inject({ method: 'GET', url: `${u.pathname}${u.search}` })
}

t.test('absent recording_id/tab_id: the first; given: that one; POST and GET agree', async (t) => {
  const first = (await dataGet(app, { session_id: mobile.session_id, version_key: mobile.version_key })).json()
  t.equal(first.recording, 'mobile_recording')
  t.equal(first.recording_id, mobile.recording_ids![0])
  t.equal(first.app_launch.launch_type, 'cold')
  const second = (await dataGet(app, { session_id: mobile.session_id, version_key: mobile.version_key, recording_id: mobile.recording_ids![1] })).json()
  t.equal(second.recording_id, mobile.recording_ids![1])
  t.equal(second.app_launch.launch_type, 'hot', 'a later recording is a resumed app')
  t.equal(second.recording_events_timeline[0].event_name, 'resumed')
  const q = new URLSearchParams({ session_id: web.session_id, version_key: `"${web.version_key}"`, tab_id: web.tab_ids![1]! })
  const get = await app.inject({ method: 'GET', url: `${DATA}?${q}`, headers: AUTH })
  t.equal(get.statusCode, 200)
  t.equal(get.json().tab_id, web.tab_ids![1], 'quoted query values are read as the SDK writes them')
  const post = await dataGet(app, { session_id: web.session_id, version_key: web.version_key, tab_id: web.tab_ids![1] })
  t.equal(post.body, get.body, 'byte for byte')
  const firstTab = (await dataGet(app, { session_id: web.session_id, version_key: web.version_key })).json()
  t.equal(firstTab.tab_id, web.tab_ids![0])
  t.equal(firstTab.timeline_data.events[0].event_type, 'nav')
  t.equal(firstTab.timeline_data.events[0].page_url, web.first_page_url, 'a session begins on its first page')
  t.equal(firstTab.timeline_data.events.at(-1).event_type, 'recording_stopped')
})

t.test('errors: unknown session, recording or tab → 404; the other kind’s id → 400; validation', async (t) => {
  const cases: [Json, number, string][] = [
    [{ session_id: 'nope', version_key: mobile.version_key }, 404, 'not_found'],
    [{ session_id: mobile.session_id, version_key: 'other.app' }, 404, 'not_found'],
    [{ session_id: mobile.session_id, version_key: mobile.version_key, recording_id: 'nope' }, 404, 'not_found'],
    [{ session_id: web.session_id, version_key: web.version_key, tab_id: 'nope' }, 404, 'not_found'],
    [{ session_id: mobile.session_id, version_key: mobile.version_key, tab_id: 'x' }, 400, 'invalid_field'],
    [{ session_id: web.session_id, version_key: web.version_key, recording_id: 'x' }, 400, 'invalid_field'],
    [{ version_key: web.version_key }, 400, 'missing_required_field'],
    [{ session_id: web.session_id, version_key: web.version_key, platform: 'web' }, 400, 'invalid_field'],
    [{ session_id: 7, version_key: web.version_key }, 400, 'unexpected_json_type'],
  ]
  for (const [body, status, type] of cases) {
    const res = await dataGet(app, body)
    t.equal(res.statusCode, status, JSON.stringify(body))
    t.equal(res.json().type, type)
  }
  const wrong = await dataGet(app, { session_id: mobile.session_id, version_key: mobile.version_key, tab_id: 'x' })
  t.match(wrong.json(), { field_name: 'tab_id', message: /recording_id/ })
  t.equal((await dataGet(app, { session_id: mobile.session_id, version_key: mobile.version_key }, {})).statusCode, 401, 'a token is needed')
})

t.test('faultable, journaled and rate-limited like the other endpoints', async (t) => {
  const a = await buildTestApp({ sessions: 20, faults: [{ status: 503, match: { endpoint: 'sessions.data.get' }, times: 1 }], rateLimit: { limit: 2, windowMs: 60_000 } })
  t.teardown(() => a.close())
  const s = (await a.inject({ method: 'GET', url: '/__admin/corpus' })).json().sessions[0] as StoredSession
  const body = { session_id: s.session_id, version_key: s.version_key }
  t.equal((await dataGet(a, body)).statusCode, 503, 'a rule matching sessions.data.get fires')
  t.equal((await dataGet(a, body)).statusCode, 200)
  t.equal((await dataGet(a, body)).statusCode, 200, 'a faulted request used none of the window')
  const limited = await dataGet(a, body)
  t.equal(limited.statusCode, 429, 'the limiter counts it')
  t.equal(limited.json().type, 'too_many_requests')
  const journal = a.mock.journal.list().filter((e) => e.path === DATA)
  t.strictSame(journal.map((e) => e.status), [503, 200, 200, 429], 'the journal records each')
  const list = await a.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: { type: 'mobile', platform: 'android', version_key: 'x' } })
  t.equal(list.statusCode, 429, 'one window for all endpoints')
})

t.test('same seed and clock, same bytes; derived lazily per request', async (t) => {
  const other = await buildTestApp({ sessions: 120 })
  t.teardown(() => other.close())
  for (const s of [mobile, web]) {
    const a = await dataGet(app, { session_id: s.session_id, version_key: s.version_key })
    const b = await dataGet(other, { session_id: s.session_id, version_key: s.version_key })
    t.equal(a.body, b.body, `${s.type}: same recording from another process with the same seed`)
    const again = await dataGet(app, { session_id: s.session_id, version_key: s.version_key })
    t.equal(again.body, a.body, `${s.type}: asked again`)
  }
  const seeded = await buildTestApp({ sessions: 120, seed: 8 })
  t.teardown(() => seeded.close())
  const s8 = (await seeded.inject({ method: 'GET', url: '/__admin/corpus' })).json().sessions[0] as StoredSession
  const fromOtherSeed = await dataGet(seeded, { session_id: s8.session_id, version_key: s8.version_key })
  t.equal(fromOtherSeed.statusCode, 200)
  t.notOk(corpus.some((s) => s.session_id === s8.session_id), 'another seed, another corpus')
})

t.test('URLs use the host the client used; web segments are rrweb event streams', async (t) => {
  const headers = { ...AUTH, host: 'mock.example.test:8443' }
  const r = (await dataGet(app, { session_id: web.session_id, version_key: web.version_key }, headers)).json()
  t.ok(r.replay_data.length >= 1)
  for (const p of r.replay_data) {
    const u = new URL(p.presigned_url)
    t.equal(u.host, 'mock.example.test:8443')
    t.match(u.pathname, /^\/__replays\/web\//)
    for (const k of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) t.ok(u.searchParams.get(k), k)
    t.ok(Date.parse(p.start_time) <= Date.parse(p.end_time))
  }
  const res = await fetchUrl(app, r.replay_data[0].presigned_url)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const events = res.json() as Json[]
  t.equal(events[0]!.type, 4, 'meta first')
  t.equal(events[0]!.data.href, r.first_page_url)
  t.equal(events[1]!.type, 2, 'then a full snapshot')
  t.match(JSON.stringify(events[1]!.data.node), JSON.stringify({ textContent: r.first_page_title }).slice(1, -1), 'of a page titled as the first page')
  t.ok(events.every((e, i) => i === 0 || e.timestamp >= events[i - 1]!.timestamp), 'in time order')
  // Every click of every tab's timeline is one rrweb click in that tab's replay segments.
  let clicked = 0
  for (const tab_id of web.tab_ids!) {
    const tab = (await dataGet(app, { session_id: web.session_id, version_key: web.version_key, tab_id })).json()
    const clicks = tab.timeline_data.events.filter((e: Json) => e.event_type === 'click').length
    let replayed = 0
    for (const seg of tab.replay_data) {
      const stream = (await fetchUrl(app, seg.presigned_url)).json() as Json[]
      replayed += stream.filter((e) => e.type === 3 && e.data.source === 2 && e.data.type === 2).length
    }
    t.equal(replayed, clicks, `tab ${tab_id}: one rrweb click per click of its timeline`)
    clicked += clicks
  }
  t.ok(clicked > 0, 'the session has clicks to replay')
})

t.test('mobile frames are PNG images at 1/8 of the screen', async (t) => {
  const r = (await dataGet(app, { session_id: mobile.session_id, version_key: mobile.version_key })).json()
  const v = r.video_playback_data[0]
  t.equal(v.start_frame, v.frames[0])
  t.equal(v.end_frame, v.frames.at(-1))
  const screens = r.recording_events_timeline.filter((e: Json) => e.event_name === 'started').length
  t.equal(v.frames.length, screens + 1, 'one frame at the start and one per screen shown')
  const u = new URL(v.presigned_url)
  const frames: Buffer[] = []
  for (const f of v.frames) {
    const res = await app.inject({ method: 'GET', url: `${u.pathname}${v.frame_image_map[f]}${u.search}` })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'image/png')
    const png = PNG.sync.read(res.rawPayload)
    t.equal(png.width, Math.round(mobile.device_metadata.screen_width / 8))
    t.equal(png.height, Math.round(mobile.device_metadata.screen_height / 8))
    frames.push(res.rawPayload)
  }
  t.ok(new Set(frames.map((f) => f.toString('base64'))).size > 1, 'frames differ by screen')
})

t.test('pre-signed URLs: expiry on the virtual clock, refusals as an object store gives them', async (t) => {
  const a = await buildTestApp({ sessions: 120 })
  t.teardown(() => a.close())
  const r = (await dataGet(a, { session_id: web.session_id, version_key: web.version_key })).json()
  const url = r.replay_data[0].presigned_url as string
  t.equal(new URL(url).searchParams.get('X-Amz-Date'), '20260115T120000Z', 'signed at the virtual clock’s time')
  t.equal(new URL(url).searchParams.get('X-Amz-Expires'), '3600')
  a.mock.clock.advance(3_600_000)
  t.equal((await fetchUrl(a, url)).statusCode, 200, 'valid up to its last second')
  a.mock.clock.advance(1)
  const expired = await fetchUrl(a, url)
  t.equal(expired.statusCode, 403)
  t.match(expired.headers['content-type'], /^application\/xml/)
  t.match(expired.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message><X-Amz-Expires>3600<\/X-Amz-Expires><Expires>2026-01-15T13:00:00Z<\/Expires><ServerTime>2026-01-15T13:00:00Z<\/ServerTime><RequestId>[^<]+<\/RequestId><\/Error>$/)
  a.mock.clock.set(NOW + 60_000)
  t.equal((await fetchUrl(a, url)).statusCode, 200, 'the clock moved back within expiry: served again')
  const fresh = (await dataGet(a, { session_id: web.session_id, version_key: web.version_key })).json().replay_data[0].presigned_url
  t.equal(new URL(fresh).searchParams.get('X-Amz-Date'), '20260115T120100Z', 'a new request signs anew')

  const u = new URL(url)
  const tampered = new URL(url)
  tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64))
  const bad = await fetchUrl(a, tampered.toString())
  t.equal(bad.statusCode, 403)
  t.match(bad.body, '<Code>SignatureDoesNotMatch</Code>')
  const moved = new URL(url)
  moved.searchParams.set('X-Amz-Date', '20260115T120001Z')
  t.match((await fetchUrl(a, moved.toString())).body, 'SignatureDoesNotMatch', 'the date is signed')
  for (const drop of ['X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Signature']) {
    const missing = new URL(url)
    missing.searchParams.delete(drop)
    const res = await fetchUrl(a, missing.toString())
    t.equal(res.statusCode, 400, `without ${drop}`)
    t.match(res.body, '<Code>AuthorizationQueryParametersError</Code>')
  }
  const weird = new URL(url)
  weird.searchParams.set('X-Amz-Expires', 'soon')
  t.equal((await fetchUrl(a, weird.toString())).statusCode, 400)
  const badDate = new URL(url)
  badDate.searchParams.set('X-Amz-Date', 'yesterday')
  t.equal((await fetchUrl(a, badDate.toString())).statusCode, 400)

  const folder = u.pathname.replace(/[^/]+$/, '')
  const denied = async (path: string, what: string) => {
    const res = await a.inject({ method: 'GET', url: `${path}${u.search}` })
    t.equal(res.statusCode, 403, what)
    t.match(res.body, '<Code>AccessDenied</Code><Message>Access Denied</Message>', what)
  }
  await denied(`${folder}99.json`, 'a segment the tab does not have')
  await denied(`${folder}0.png`, 'a file of another kind')
  await denied(`${folder}`, 'the folder itself')
  await denied('/__replays/web/x', 'a path of another shape')
  t.match((await a.inject({ method: 'GET', url: `${folder.replace('/web/', '/mobile/')}0000.png${u.search}` })).body, 'SignatureDoesNotMatch', 'the folder is signed')
  // Signed for a session that has since gone: the object is no longer there.
  await a.inject({ method: 'PUT', url: '/__admin/corpus', payload: { sessions: [] } })
  t.equal(a.mock.store.size, 0)
  await denied(u.pathname, 'after the corpus was replaced')
  t.equal((await a.inject({ method: 'GET', url: u.pathname })).statusCode, 400, 'no query at all')
})

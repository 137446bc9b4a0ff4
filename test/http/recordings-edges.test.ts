/**
 * Recordings of hand-written sessions that say little: no details, no recording or tab ids, no
 * duration, counters the details do not account for. The recording still agrees with the session.
 */
import t from 'tap'
import { PNG } from 'pngjs'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

const DATA = '/observability.sessions.data.get'
const device = {
  app_version: '1.0.0',
  manufacturer: 'Google',
  model: 'Pixel 8',
  network_type: 'wifi',
  os_version: '14',
  plug_sdk_version: '2.5.0',
  screen_height: 4,
  screen_width: 4,
  sdk_version: '34',
}
const mobileBase = {
  type: 'mobile',
  platform: 'android',
  created_at: '2026-01-10T10:00:00.000Z',
  device_metadata: device,
  has_exception_occurred: false,
  is_anr: false,
  is_crash: false,
  rage_tap: false,
  session_duration_ms: 60_000,
  version_key: 'edge.app',
} as const
const webBase = {
  type: 'web',
  platform: 'web',
  created_at: '2026-01-10T10:00:00.000Z',
  dead_click_count: 0,
  rage_click_count: 0,
  device_metadata: { type: 'desktop' },
  session_duration_ms: 60_000,
  version_key: 'edge.example.com',
} as const

const corpus: StoredSession[] = [
  // An exception flagged, but neither a custom event with an exception class nor a crash.
  { ...mobileBase, session_id: 'm-bare', has_exception_occurred: true },
  // Two recordings of a session without duration: everything happens at its one instant.
  { ...mobileBase, session_id: 'm-instant', session_duration_ms: 0, recording_ids: ['r1', 'r2'], details: { screen_names: ['Only'] } },
  // Counters with no details behind them, no pages, no first page, no tabs.
  {
    ...webBase,
    session_id: 'w-bare',
    dead_click_count: 2,
    rage_click_count: 1,
    console_metadata: { error: 1, warn: 0 },
    network_metadata: { status_counts: { '500': 2 } },
  },
  // Two tabs of a session without duration: the first tab sees nothing happen.
  { ...webBase, session_id: 'w-instant', session_duration_ms: 0, tab_ids: ['t1', 't2'], first_page_url: 'https://edge.example.com/i', first_page_title: 'I' },
  // Pages without names, clicks without labels.
  {
    ...webBase,
    session_id: 'w-terse',
    first_page_url: 'https://edge.example.com/a',
    details: { pages: [{ url: 'https://edge.example.com/a' }], events: [{}], custom_events: [{ name: 'nested', properties: { a: { b: 1 }, list: [1, 2] } }] },
  },
]

const app = await buildTestApp({ corpus })
t.teardown(() => app.close())
const get = async (session_id: string, extra: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'POST', url: DATA, headers: AUTH, payload: { session_id, version_key: session_id.startsWith('m') ? 'edge.app' : 'edge.example.com', ...extra } })
  t.equal(res.statusCode, 200, session_id)
  return res.json()
}

t.test('a mobile session with nothing but flags', async (t) => {
  const r = await get('m-bare')
  t.equal(r.recording_id, 'm-bare', 'no recording_ids: one recording named by the session id')
  const ev = r.recording_events_timeline
  t.ok(ev.some((e: any) => e.event_name === 'started' && e.screen === 'Main'), 'one screen, Main')
  t.ok(ev.some((e: any) => e.event_name === 'exception' && e.exception_class_name), 'the flagged exception is shown')
  t.notOk('observability_sessions_log_data' in r, 'no crash or ANR, no log data')
  t.notOk('user_attributes' in r)
  const v = r.video_playback_data[0]
  const u = new URL(v.presigned_url)
  const frame = await app.inject({ method: 'GET', url: `${u.pathname}${v.frame_image_map[v.frames[0]]}${u.search}` })
  t.strictSame([PNG.sync.read(frame.rawPayload).width, PNG.sync.read(frame.rawPayload).height], [1, 1], 'a tiny screen is one pixel')
  for (const file of ['x.json', '9999.png']) {
    const res = await app.inject({ method: 'GET', url: `${u.pathname}${file}${u.search}` })
    t.equal(res.statusCode, 403, file)
  }
})

t.test('two recordings of an instant: the later one holds it', async (t) => {
  const first = await get('m-instant')
  t.strictSame(first.recording_events_timeline.map((e: any) => e.event_name), ['app_launch'])
  const second = await get('m-instant', { recording_id: 'r2' })
  t.equal(second.recording_events_timeline[0].event_name, 'resumed')
  t.notOk('screen' in second.recording_events_timeline[0], 'nothing shown yet when it resumed')
  t.ok(second.recording_events_timeline.some((e: any) => e.screen === 'Only'))
  t.equal(second.video_playback_data[0].frames.length, 2)
})

t.test('a web session with counters and nothing else', async (t) => {
  const r = await get('w-bare')
  t.equal(r.tab_id, 'w-bare', 'no tab_ids: one tab named by the session id')
  t.equal(r.first_page_url, 'https://edge.example.com/', 'a page made from the version key')
  t.equal(r.first_page_title, 'edge.example.com')
  const ev = r.timeline_data.events
  t.equal(ev.filter((e: any) => e.is_dead).length, 2, 'dead clicks made up to the counter')
  t.equal(ev.filter((e: any) => e.is_rage).length, 1)
  t.equal(ev.filter((e: any) => e.label === 'console_log' && e.event_details.log_type === 'error').length, 1)
  t.equal(ev.filter((e: any) => e.label === 'network_request' && e.event_details.response_status === '500').length, 2)
  t.strictSame(r.console_metadata, { error: 1, warn: 0 })
})

t.test('two tabs of an instant: the first still shows its page', async (t) => {
  const first = await get('w-instant')
  t.strictSame(first.timeline_data.events.map((e: any) => e.event_type), ['recording_stopped'])
  t.equal(first.replay_data.length, 1, 'one segment, on the page current then')
  const u = new URL(first.replay_data[0].presigned_url)
  const events = (await app.inject({ method: 'GET', url: `${u.pathname}${u.search}` })).json()
  t.equal(events[0].data.href, 'https://edge.example.com/i')
  const second = await get('w-instant', { tab_id: 't2' })
  t.equal(second.timeline_data.events[0].event_type, 'nav')
})

t.test('a terse web session: names from URLs, properties flattened', async (t) => {
  const r = await get('w-terse')
  const ev = r.timeline_data.events
  t.equal(ev[0].label, 'https://edge.example.com/a', 'a page without a name is named by its URL')
  t.equal(ev[0].value, 'https://edge.example.com/a', 'and normalized as itself')
  const click = ev.find((e: any) => e.event_type === 'click')
  t.equal(click.label, 'unlabelled element')
  t.notOk('value' in click)
  t.strictSame(ev.find((e: any) => e.label === 'custom_event').event_details, { 'a.b': '1', list: '[1,2]' })
})

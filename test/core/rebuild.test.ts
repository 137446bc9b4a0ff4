/**
 * Details rebuilt from recordings: for every session of a generated corpus, the details rebuilt from
 * all its derived recordings hold what the original details hold (items of a screen or page come
 * back in timeline order, so lists compare as multisets), and edge shapes of hand-written
 * recordings are read as documented.
 */
import t from 'tap'
import { generateCorpus } from '../../src/core/corpus/generate.ts'
import { deriveMobile, recordingIds } from '../../src/core/recordings/mobile.ts'
import { deriveWeb, tabIds } from '../../src/core/recordings/web.ts'
import { mobileDetails, parseScalar, unflatten, webDetails } from '../../src/core/recordings/rebuild.ts'
import type { MobileRecording, WebRecording } from '../../src/contract/schemas/recordings.ts'

const sorted = (xs: unknown[] | undefined) => (xs ?? []).map((x) => JSON.stringify(x)).sort()

t.test('generated sessions: rebuilt details hold the original details', async (t) => {
  const corpus = generateCorpus({ seed: 11, sessions: 160, now: Date.UTC(2026, 0, 15) })
  let mobile = 0
  let web = 0
  for (const s of corpus) {
    const { version_key: vk, details: d0, ...session } = s
    const d = d0 ?? {}
    if (session.type === 'mobile') {
      const recs = recordingIds(session).map((id) => deriveMobile(5, vk, session, d, id)!.recording as MobileRecording)
      const r = mobileDetails(session, recs)
      const o = d as typeof r
      t.same(r.screen_names, o.screen_names, 'screens, in order')
      t.same(sorted(r.custom_events), sorted(o.custom_events), 'custom events')
      t.same(sorted(r.api_calls), sorted(o.api_calls), 'api calls')
      t.same(r.attributes, o.attributes, 'attributes')
      t.equal(r.is_anonymous, o.is_anonymous, 'anonymity, from the absence of a user')
      mobile++
    } else {
      const recs = tabIds(session).map((id) => deriveWeb(5, vk, session, d, id)!.recording as WebRecording)
      const r = webDetails(session, recs)
      const o = d as typeof r
      t.same(r.pages, o.pages, 'pages, in order')
      t.same(sorted(r.console_logs), sorted(o.console_logs), 'console logs')
      t.same(sorted(r.events), sorted(o.events), 'clicks')
      t.same(sorted(r.network_logs), sorted(o.network_logs), 'network logs')
      t.same(sorted(r.custom_events), sorted(o.custom_events), 'custom events')
      t.same(r.attributes, o.attributes, 'attributes, parsed back from the session attributes')
      t.equal(r.is_anonymous, o.is_anonymous, 'anonymity')
      web++
    }
  }
  t.ok(mobile > 20 && web > 20, `both kinds seen (${mobile} mobile, ${web} web)`)
})

t.test('flattened values come back as they were written', async (t) => {
  t.same(unflatten({ 'org.tier': 'gold', 'org.seats': '5', plan: 'pro', beta: 'true', tags: '["a"]', quoted: '"x"' }), {
    org: { tier: 'gold', seats: 5 },
    plan: 'pro',
    beta: true,
    tags: ['a'],
    quoted: '"x"',
  })
  t.same(unflatten({ a: '1', 'a.b': '2' }), { a: { b: 2 } }, 'a scalar under a path that nests later is replaced by the object')
  t.equal(parseScalar('null'), null)
  t.equal(parseScalar('not json'), 'not json')
})

t.test('hand-written recordings: missing parts read as empty', async (t) => {
  const mobileSession = { type: 'mobile', platform: 'ios', session_id: 's', created_at: '2026-01-01T00:00:00.000Z', device_metadata: {}, has_exception_occurred: false, is_anr: false, is_crash: false, rage_tap: false, session_duration_ms: 1, rev_user_id: 'u' } as any
  const m = mobileDetails(mobileSession, [
    {
      recording_events_timeline: [
        { event_type: 'system', event_name: 'started' },
        { event_type: 'plug', event_name: 'api', name: '/v1/x' },
        { event_type: 'plug', event_name: 'event' },
        { event_type: 'plug', event_name: 'event', name: 'bare' },
      ],
    } as any,
  ])
  t.same(m, { is_anonymous: false, screen_names: [], custom_events: [{ name: 'bare' }], api_calls: [{ api_name: '/v1/x', round_trip_time_ms: 0 }] })
  const webSession = { type: 'web', platform: 'web', session_id: 'w' } as any
  const w = webDetails(webSession, [
    {
      timeline_data: {
        events: [
          { event_type: 'nav', page_url: 'https://a.example/p', timestamp: 'x' },
          { event_type: 'nav', page_url: 'https://a.example/q', label: 'Q', value: 'https://a.example/q', timestamp: 'x' },
          { event_type: 'click', timestamp: 'x' },
          { label: 'console_log', event_details: { log_type: 'warn' }, timestamp: 'x' },
          { label: 'custom_event', event: 'e', timestamp: 'x' },
          { label: 'custom_event', timestamp: 'x' },
          { label: 'other', timestamp: 'x' },
          { event_type: 'recording_stopped', timestamp: 'x' },
        ],
      },
    } as any,
  ])
  t.same(w, {
    is_anonymous: true,
    pages: [{ name: 'https://a.example/p', url: 'https://a.example/p' }, { name: 'Q', url: 'https://a.example/q', normalized_url: 'https://a.example/q' }],
    console_logs: [{ log_type: 'warn' }],
    events: [{ is_dead: false, is_rage: false }],
    network_logs: [],
    custom_events: [{ name: 'e' }],
  })
})

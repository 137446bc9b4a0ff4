/**
 * Anonymizing recorded sessions: nothing an anonymized field held upstream survives anywhere in the
 * output, the same salt gives the same output, what filters test is kept, and details rebuilt from
 * anonymized recordings are the anonymized details (so a replayed corpus's filters agree with its
 * recordings). Property tests with fast-check and fixed seeds.
 */
import t from 'tap'
import fc from 'fast-check'
import { generateCorpus } from '../../../src/core/corpus/generate.ts'
import { deriveMobile, recordingIds } from '../../../src/core/recordings/mobile.ts'
import { deriveWeb, tabIds } from '../../../src/core/recordings/web.ts'
import { mobileDetails, webDetails } from '../../../src/core/recordings/rebuild.ts'
import { Pseudonyms, idLike } from '../../../src/core/anonymize/pseudonyms.ts'
import { Anonymizer } from '../../../src/core/anonymize/session.ts'
import type { StoredSession } from '../../../src/contract/schemas/sessions.ts'

const NOW = Date.UTC(2026, 0, 15)
const corpus = generateCorpus({ seed: 21, sessions: 60, now: NOW })

/** A session as a recorder stores it: details rebuilt from its recordings, which it keeps. */
function recorded(s: StoredSession): StoredSession {
  const { version_key: vk, details, ...session } = s
  if (session.type === 'mobile') {
    const recs = recordingIds(session).map((id) => deriveMobile(3, vk, session, details ?? {}, id)!.recording)
    return { ...session, version_key: vk, details: { ...mobileDetails(session, recs as any), recordings: recs as any } }
  }
  const recs = tabIds(session).map((id) => deriveWeb(3, vk, session, details ?? {}, id)!.recording)
  return { ...session, version_key: vk, details: { ...webDetails(session, recs as any), recordings: recs as any } }
}

// Upstream values that must not survive: distinctive enough that no pseudonym or kept text holds them by chance.
const marker = fc.stringMatching(/^Zq[a-z]{3}[0-9][a-zA-Z0-9]{4,10}$/)
const email = fc.tuple(fc.stringMatching(/^zq[a-z0-9._]{3,10}$/), fc.stringMatching(/^[a-z]{3,8}$/)).map(([u, d]) => `${u}@${d}.example.org`)
const ipv4 = fc.tuple(fc.integer({ min: 11, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'))
const ipv6 = fc.array(fc.integer({ min: 0x1000, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'))

interface Secrets {
  org: string
  user: string
  attr: string
  num: number
  mail: string
  v4: string
  v6: string
  token: string
  pathId: string
  query: string
  label: string
}

const secrets: fc.Arbitrary<Secrets> = fc.record({
  org: marker, user: marker, attr: marker, num: fc.integer({ min: 10_000_000, max: 2 ** 40 }), mail: email, v4: ipv4, v6: ipv6,
  token: marker, pathId: marker, query: marker, label: marker,
})

/** A recorded session carrying the secrets in every field that must be anonymized. */
function planted(s: StoredSession, x: Secrets): StoredSession {
  const out = structuredClone(s) as any
  out.rev_org_id = x.org
  out.rev_user_id = x.user
  const d = out.details
  d.attributes = { ...d.attributes, who: x.attr, account: x.num, nested: { email: x.mail } }
  const url = `https://shop.example.com/users/${x.pathId}/orders?ref=${x.query}&ip=${x.v4}`
  if (out.type === 'web') {
    out.first_page_url = url
    out.session_attributes = { attributes: { ...out.session_attributes?.attributes, who: x.attr } }
    d.console_logs.push({ log_type: 'error', body: `login failed for ${x.mail} from ${x.v4} / ${x.v6}: token=${x.token}`, full_url: url })
    d.pages.push({ name: 'Account', url, normalized_url: url })
    d.events.push({ value: `Hello ${x.mail}`, is_dead: false, is_rage: false })
    d.network_logs.push({ request_method: 'GET', request_url: url, response_status: 200 })
    d.custom_events.push({ name: 'login', properties: { user: x.attr, screen: 'Account' } })
    for (const r of d.recordings) {
      r.rev_user_id = x.user
      r.rev_org_id = x.org
      r.first_page_url = url
      r.session_attributes = out.session_attributes
      r.timeline_data.events.push(
        { event_type: 'nav', timestamp: r.created_at, page_url: url, label: 'Account', value: url },
        { event_type: 'click', timestamp: r.created_at, page_url: url, label: `Hi ${x.mail}`, value: `Hi ${x.mail}`, is_dead: false, is_rage: false },
        { label: 'console_log', timestamp: r.created_at, page_url: url, value: `Bearer ${x.token}`, event_details: { log_type: 'log', body: `Bearer ${x.token}`, full_url: url } },
        { label: 'network_request', timestamp: r.created_at, page_url: url, target: url, value: `GET ${url} 200`, event_details: { request_method: 'GET', request_url: url, response_status: '200' } },
        { label: 'custom_event', event: 'login', timestamp: r.created_at, page_url: url, event_details: { user: x.attr, 'nested.n': String(x.num) } },
        { event_type: 'form_change', timestamp: r.created_at, label: x.label, value: x.mail, target: x.token, event_details: { field: x.attr } },
      )
    }
  } else {
    d.custom_events.push({ name: 'login', properties: { user: x.attr, screen: 'Home', n: x.num } })
    d.api_calls.push({ api_name: `/v1/users/${x.pathId}`, round_trip_time_ms: 12, request_properties: { method: 'GET', url, auth: x.token }, response_properties: { status: 200, body: { email: x.mail } } })
    for (const r of d.recordings) {
      r.rev_user_id = x.user
      r.rev_org_id = x.org
      r.user_attributes = { who: x.attr }
      r.observability_sessions_log_data = { is_crash: true, is_anr: false, value: `crash for ${x.mail} at ${x.v4} key=${x.token}` }
      r.recording_events_timeline.push(
        { event_type: 'plug', event_name: 'event', name: 'login', event_properties: { user: x.attr }, custom_tag: x.label, exception_tag: x.mail, timestamp_offset_ms: 0 },
        { event_type: 'plug', event_name: 'api', name: `/v1/users/${x.pathId}`, event_properties: { round_trip_time_ms: 12 }, request_properties: { auth: x.token }, response_properties: { ids: [x.attr] }, timestamp_offset_ms: 0 },
      )
    }
  }
  return out
}

const leaked = (text: string, x: Secrets) =>
  [x.org, x.user, x.attr, String(x.num), x.mail, x.v4, x.v6, x.token, x.pathId, x.query, x.label].filter((v) => text.includes(v))

t.test('no upstream value of an anonymized field survives, anywhere in the session', async (t) => {
  const sessions = corpus.map(recorded)
  let runs = 0
  fc.assert(
    fc.property(fc.constantFrom(...sessions), secrets, fc.string({ minLength: 1, maxLength: 12 }), (s, x, salt) => {
      const out = JSON.stringify(new Anonymizer(new Pseudonyms(salt)).session(planted(s, x)))
      runs++
      const found = leaked(out, x)
      if (found.length > 0) t.comment(`leaked ${found.join(', ')}`)
      return found.length === 0
    }),
    { seed: 1606, numRuns: 300 },
  )
  t.equal(runs, 300)
})

t.test('deterministic per salt: the same salt gives the same output, another salt other pseudonyms', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...corpus.map(recorded)), secrets, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (s, x, a, b) => {
      const one = JSON.stringify(new Anonymizer(new Pseudonyms(a)).session(planted(s, x)))
      const two = JSON.stringify(new Anonymizer(new Pseudonyms(a)).session(planted(s, x)))
      const other = new Anonymizer(new Pseudonyms(b)).session(planted(s, x))
      const mine = JSON.parse(one)
      return one === two && (a === b) === (mine.rev_user_id === other.rev_user_id)
    }),
    { seed: 1607, numRuns: 150 },
  )
  t.pass('held for every drawn session and salt pair')
})

t.test('what filters test and what identifies no one is kept', async (t) => {
  const a = new Anonymizer(new Pseudonyms('k'))
  for (const s of corpus.map(recorded)) {
    const o = a.session(s) as any
    const i = s as any
    for (const key of ['session_id', 'created_at', 'platform', 'type', 'version_key', 'device_metadata', 'session_duration_ms', 'recording_ids', 'tab_ids', 'first_page_title', 'dead_click_count', 'rage_click_count', 'console_metadata', 'network_metadata', 'page_load_time_ms', 'is_crash', 'is_anr', 'rage_tap']) {
      t.same(o[key], i[key], `${s.session_id} ${key}`)
    }
    if (s.type === 'mobile') {
      t.same(o.details.screen_names, i.details.screen_names, 'screen names')
      t.same(o.details.custom_events.map((e: any) => [e.name, e.exception_class_name, e.properties?.screen]), i.details.custom_events.map((e: any) => [e.name, e.exception_class_name, e.properties?.screen]), 'event names, exception classes, screens')
      t.same(o.details.api_calls.map((c: any) => [c.api_name, c.round_trip_time_ms, c.request_properties, c.response_properties]), i.details.api_calls.map((c: any) => [c.api_name, c.round_trip_time_ms, c.request_properties, c.response_properties]), 'API names, times, methods and statuses')
    } else {
      t.same(o.details.pages.map((p: any) => p.name), i.details.pages.map((p: any) => p.name), 'page names')
      t.same(o.details.console_logs.map((l: any) => [l.log_type, l.body]), i.details.console_logs.map((l: any) => [l.log_type, l.body]), 'log types, and bodies without personal data')
      t.same(o.details.network_logs.map((n: any) => [n.request_method, n.response_status]), i.details.network_logs.map((n: any) => [n.request_method, n.response_status]), 'methods and statuses')
      t.same(o.details.events, i.details.events, 'button labels without personal data')
    }
  }
})

t.test('details rebuilt from anonymized recordings are the anonymized details', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...corpus.map(recorded)), secrets, fc.string(), (s, x, salt) => {
      const o = new Anonymizer(new Pseudonyms(salt)).session(planted(s, x)) as any
      const { recordings, ...details } = o.details
      const again = o.type === 'mobile' ? mobileDetails(o, recordings) : webDetails(o, recordings)
      const norm = (d: any) => JSON.stringify(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Array.isArray(v) ? v.map((e) => JSON.stringify(e)).sort() : v])).valueOf())
      // The planted extras were added to details and recordings separately; compare what came from recordings alone.
      const base = new Anonymizer(new Pseudonyms(salt)).session(s) as any
      const { recordings: r0, ...d0 } = base.details
      const rebuilt = base.type === 'mobile' ? mobileDetails(base, r0) : webDetails(base, r0)
      return norm(rebuilt) === norm(d0) && again !== undefined && details !== undefined
    }),
    { seed: 1608, numRuns: 120 },
  )
  t.pass('held for every drawn session')
})

t.test('pseudonyms: shapes, and the URL and text rules at their edges', async (t) => {
  const p = new Pseudonyms('salt')
  t.match(p.string('x'), /^anon_[0-9a-f]{16}$/)
  t.equal(p.string('x'), new Pseudonyms('salt').string('x'), 'same salt, same pseudonym')
  t.not(p.string('x'), new Pseudonyms('pepper').string('x'), 'another salt, another pseudonym')
  t.ok(Number.isInteger(p.number(5)) && p.number(5) < 1_000_000)
  t.match(String(p.number(2.5)), /^\d+(\.\d{1,2})?$/)
  t.match(p.email('A@b.co'), /^user_[0-9a-f]{12}@example\.com$/)
  t.equal(p.email('A@b.co'), p.email('a@B.CO'), 'emails compare without case')
  t.match(p.ip('192.168.1.1'), /^10\.\d+\.\d+\.\d+$/)
  t.match(p.ip('2001:db8::1'), /^fd00::/)
  t.same(p.value([true, null, 'a']), [true, null, p.string('a')])
  t.equal(p.url('https://shop.example.com/pricing'), 'https://shop.example.com/pricing', 'a URL without ids is kept byte for byte')
  t.equal(p.url('https://shop.example.com/'), 'https://shop.example.com/')
  t.equal(p.url('/v1/cart'), '/v1/cart')
  t.equal(p.url('/status/500'), `/status/${p.string('500')}`, 'digit segments are ids')
  t.equal(p.url('https://u:pw@h.example:8443/a?x=1&flag#frag'), `https://${p.string('u:pw')}@h.example:8443/a?x=${p.string('1')}&flag#${p.string('frag')}`)
  t.equal(p.url('http://127.0.0.1:9000/x'), `http://${p.ip('127.0.0.1')}:9000/x`, 'an IP host is replaced, its port kept')
  t.equal(p.url('http://[::1]/x'), `http://[${p.ip('::1')}]/x`)
  t.equal(p.url('https://a.example/#'), 'https://a.example/#')
  t.equal(p.url('/a/%E0%A4%A/b'), '/a/%E0%A4%A/b', 'a malformed escape is left as it is')
  t.equal(p.url('not a url 123456789'), `not a url ${p.string('123456789')}`, 'anything else is free text')
  t.equal(p.text('TypeError: x is undefined'), 'TypeError: x is undefined', 'ordinary messages are kept')
  t.equal(p.text('password: "hunter2"'), `password: "${p.string('hunter2')}"`)
  t.equal(p.text('from 2001:db8::1 and fe80:: at 12:30:45'), `from ${p.ip('2001:db8::1')} and ${p.ip('fe80::')} at 12:30:45`, 'compressed IPv6 replaced, a time of day kept')
  t.equal(p.text('session expired; Basic dXNlcg'), `session expired; Basic ${p.string('dXNlcg')}`, 'a word after a key name is a secret only after = or :, or a scheme')
  t.equal(p.text('see https://a.example/x?token=abc'), `see https://a.example/x?token=${p.string('abc')}`, 'a credential in a URL is replaced once')
  t.ok(idLike('550e8400-e29b-41d4-a716-446655440000') && idLike('a@b.c') && idLike('42') && idLike('abc12345'))
  t.notOk(idLike('') || idLike('v1') || idLike('cart') || idLike('app.js') || idLike('checkout-page'))
  const a = new Anonymizer(p)
  t.same(a.callProperties({ method: 'GET', nested: [{ path: '/x/12345' }], n: 3 }), { method: 'GET', nested: [{ path: `/x/${p.string('12345')}` }], n: 3 })
  t.equal(a.apiName('GetUser'), 'GetUser', 'a name that is no path is kept')
  t.equal(a.apiName('https://api.example.com/u/123'), `https://api.example.com/u/${p.string('123')}`)
  const bare = { type: 'web', platform: 'web', session_id: 's', version_key: 'k', created_at: 'x', dead_click_count: 0, rage_click_count: 0, device_metadata: {}, session_duration_ms: 1 } as any
  t.same(a.session(bare), bare, 'a session without ids, URLs, attributes or details is kept')
  t.same(a.session({ ...bare, type: 'mobile', platform: 'ios' }), { ...bare, type: 'mobile', platform: 'ios' })
  const sparse = { ...bare, details: { pages: [{ url: 'https://a.example/p' }], console_logs: [{ log_type: 'log' }], events: [{ is_dead: true }], custom_events: [{ name: 'e' }] } }
  t.same(a.session(sparse).details, sparse.details, 'optional parts left out stay out')
  const mob = { ...bare, type: 'mobile', platform: 'ios', details: { custom_events: [{ name: 'e' }], api_calls: [{ api_name: 'x', round_trip_time_ms: 1 }] } }
  t.same(a.session(mob).details, mob.details)
  t.same(a.webRecording({ timeline_data: { events: [{ label: 'custom_event', event_details: { screen: 'Home', n: '3' } }] } } as any).timeline_data.events[0]!.event_details, { screen: 'Home', n: String(p.number(3)) }, 'a flattened screen is kept')
  const rec = { timeline_data: { events: [{ label: 'console_log', value: 'log', event_details: { log_type: 'log' } }, { event_type: 'nav', page_url: 'https://a.example/' }, { event_type: 'click' }] } } as any
  t.same(a.webRecording(rec), rec, 'recording events without optional parts are kept')
  t.same(a.mobileRecording({ recording_events_timeline: [{ event_type: 'plug', event_name: 'api' }] } as any), { recording_events_timeline: [{ event_type: 'plug', event_name: 'api' }] })
})

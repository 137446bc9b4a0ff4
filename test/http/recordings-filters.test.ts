/**
 * Recordings agree with the list (property-based, fixed seed): for generated list filters over the
 * detail fields, every session a filter returns shows the matched item in one of its recordings
 * (a screen view, custom event, API call, page visit, click, console log, network request), and
 * the counters and flags the session shows agree with what its recordings hold.
 */
import t from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import * as A from '../helpers/filter-arbitraries.ts'
import { attributeFilterHolds, type Req } from '../helpers/reference.ts'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { exportCorpus } from '../helpers/walk.ts'
import { loadFixturesFile } from '../../src/core/corpus/fixtures.ts'

const SEED = 42
const LIST = '/observability.sessions.list'
const DATA = '/observability.sessions.data.get'
/** Sessions of each answer whose recordings are fetched (bounded work per run). */
const PER_RUN = 6

type Json = Record<string, any>

const generated = await buildTestApp()
const example = await buildTestApp({ corpus: loadFixturesFile('fixtures/example.json') })
t.teardown(async () => {
  await generated.close()
  await example.close()
})
const envs: { app: FastifyInstance; scopes: A.Scope[] }[] = []
for (const app of [generated, example]) envs.push({ app, scopes: A.scopesOf(await exportCorpus(app)) })

const details = (s: A.Scope, key: string): any[] => s.sessions.flatMap((x) => x.details?.[key] ?? [])
const flag = () => fc.boolean()
const pages = (key: string) => (s: A.Scope) => A.listOf(A.uniq(details(s, 'pages').flatMap((p) => p[key] ?? [])), 'https://nowhere.example.com/')

/** Whether a filter value says anything (an empty list, or an object of empty lists, does not). */
const active = (v: unknown): boolean =>
  Array.isArray(v) ? v.length > 0 : v !== null && typeof v === 'object' ? Object.values(v).some(active) : v !== undefined
const inOr = (list: unknown[] | undefined, v: unknown) => !active(list) || list!.includes(v)

/** An attribute filter against `event_details` (strings only): the value read back as its filter's type. */
function detailHolds(f: Req, d: Record<string, string> | undefined): boolean {
  const raw = d?.[f.attribute_path]
  if (raw === undefined) return false
  let value: unknown = raw
  if (f.filter_type === 'int64_filter' || f.filter_type === 'bool_filter') {
    try {
      value = JSON.parse(raw)
    } catch {
      return false
    }
  }
  const nested = f.attribute_path.split('.').reduceRight((inner: unknown, key: string) => ({ [key]: inner }), value)
  return attributeFilterHolds(f, nested)
}

interface Field {
  arb: (s: A.Scope) => fc.Arbitrary<unknown>
  /** Whether the recordings' events show an item that meets the filter (undefined: checked by counters). */
  shown?: (v: any, events: Json[]) => boolean
}

const MOBILE: Record<string, Field> = {
  screen_name: {
    arb: (s) => A.listOf(A.valuesOf(s, (x) => x.details?.screen_names), 'NoSuchScreen'),
    shown: (v: string[], ev) => ev.some((e) => e.event_name === 'started' && v.includes(e.screen)),
  },
  custom_events: {
    arb: (s) => {
      const events = details(s, 'custom_events')
      const classes = A.uniq(events.flatMap((e) => e.exception_class_name ?? []))
      return A.aroundRecord(events, (e) => ({
        event_name: A.around(e.name, A.uniq(events.map((x) => x.name)), 'no_such_event'),
        exception_class_name: A.around(e.exception_class_name, classes, 'NoSuchException'),
        properties_filters: A.attributeFiltersAround(e.properties ?? {}, events.map((x) => x.properties ?? {})),
      }))
    },
    shown: (v, ev) =>
      ev.some(
        (e) =>
          e.event_type === 'plug' &&
          (e.event_name === 'event' || e.event_name === 'exception') &&
          inOr(v.event_name, e.name) &&
          inOr(v.exception_class_name, e.exception_class_name) &&
          (v.properties_filters ?? []).every((f: Req) => attributeFilterHolds(f, e.event_properties ?? {})),
      ),
  },
  response_time_list: {
    arb: (s) => {
      const calls = details(s, 'api_calls')
      const rtts = A.uniq(calls.map((c) => c.round_trip_time_ms as number))
      return A.aroundRecord(calls, (c) => ({
        api_name: A.around(c.api_name, A.uniq(calls.map((x) => x.api_name)), '/no/such/api'),
        request_properties: A.attributeFiltersAround(c.request_properties ?? {}, calls.map((x) => x.request_properties ?? {})),
        response_properties: A.attributeFiltersAround(c.response_properties ?? {}, calls.map((x) => x.response_properties ?? {})),
        round_trip_time: fc.record(
          {
            equals_ms: A.around(c.round_trip_time_ms, rtts, 0.5),
            range: fc.record({
              min_ms: fc.option(fc.constantFrom(c.round_trip_time_ms, c.round_trip_time_ms - 50.5, 0), { nil: undefined }),
              max_ms: fc.option(fc.constantFrom(c.round_trip_time_ms, c.round_trip_time_ms + 100, 5000), { nil: undefined }),
            }),
          },
          { requiredKeys: [] },
        ),
      }))
    },
    shown: (v, ev) =>
      ev.some((e) => {
        if (e.event_name !== 'api') return false
        const rtt = e.event_properties.round_trip_time_ms as number
        const r = v.round_trip_time ?? {}
        return (
          inOr(v.api_name, e.name) &&
          (v.request_properties ?? []).every((f: Req) => attributeFilterHolds(f, e.request_properties ?? {})) &&
          (v.response_properties ?? []).every((f: Req) => attributeFilterHolds(f, e.response_properties ?? {})) &&
          inOr(r.equals_ms, rtt) &&
          (r.range?.min_ms === undefined || rtt >= r.range.min_ms) &&
          (r.range?.max_ms === undefined || rtt <= r.range.max_ms)
        )
      }),
  },
  has_exception_occurred: { arb: flag },
  is_anr: { arb: flag },
  is_crash: { arb: flag },
  rage_tap: { arb: flag },
}

const WEB: Record<string, Field> = {
  page_name: { arb: pages('name'), shown: (v: string[], ev) => ev.some((e) => e.event_type === 'nav' && v.includes(e.label)) },
  page_url: { arb: pages('url'), shown: (v: string[], ev) => ev.some((e) => e.event_type === 'nav' && v.includes(e.page_url)) },
  normalized_url: { arb: pages('normalized_url'), shown: (v: string[], ev) => ev.some((e) => e.event_type === 'nav' && v.includes(e.value)) },
  console_logs: {
    arb: (s) => {
      const logs = details(s, 'console_logs')
      return A.aroundRecord(logs, (l) => ({
        body: A.around(l.body === undefined ? undefined : A.substringsOf([l.body])[1], A.substringsOf(A.uniq(logs.flatMap((x) => x.body ?? []))), 'no such text'),
        full_url: A.around(l.full_url, A.uniq(logs.flatMap((x) => x.full_url ?? [])), 'https://nowhere.example.com/x.js'),
        log_type: A.around(l.log_type, A.uniq(logs.map((x) => x.log_type)), 'debug'),
      }))
    },
    shown: (v, ev) =>
      ev.some(
        (e) =>
          e.label === 'console_log' &&
          inOr(v.log_type, e.event_details.log_type) &&
          inOr(v.full_url, e.event_details.full_url) &&
          (!active(v.body) || v.body.some((b: string) => (e.event_details.body ?? '').includes(b))),
      ),
  },
  events: {
    arb: (s) => {
      const events = details(s, 'events')
      return A.aroundRecord(events, (e) => ({
        is_dead: fc.oneof(fc.constant(e.is_dead === true), fc.boolean()),
        is_rage: fc.oneof(fc.constant(e.is_rage === true), fc.boolean()),
        value: A.around(e.value, A.uniq(events.flatMap((x) => x.value ?? [])), 'No such button'),
      }))
    },
    shown: (v, ev) =>
      ev.some(
        (e) =>
          e.event_type === 'click' &&
          (v.is_dead === undefined || e.is_dead === v.is_dead) &&
          (v.is_rage === undefined || e.is_rage === v.is_rage) &&
          inOr(v.value, e.value),
      ),
  },
  network_logs: {
    arb: (s) => {
      const logs = details(s, 'network_logs')
      return A.aroundRecord(logs, (l) => ({
        request_method: A.around(l.request_method, A.uniq(logs.map((x) => x.request_method)), 'PATCH'),
        request_url: A.around(l.request_url, A.uniq(logs.map((x) => x.request_url)), 'https://nowhere.example.com/'),
        response_status: A.around(l.response_status, A.uniq(logs.map((x) => x.response_status as number)), 418),
      }))
    },
    shown: (v, ev) =>
      ev.some(
        (e) =>
          e.label === 'network_request' &&
          inOr(v.request_method, e.event_details.request_method) &&
          inOr(v.request_url, e.event_details.request_url) &&
          inOr(v.response_status, Number(e.event_details.response_status)),
      ),
  },
  custom_events: {
    arb: (s) => {
      const events = details(s, 'custom_events')
      return A.aroundRecord(events, (e) => ({
        event_details_filters: A.attributeFiltersAround(e.properties ?? {}, events.map((x) => x.properties ?? {})),
        event_name: A.around(e.name, A.uniq(events.map((x) => x.name)), 'no_such_event'),
      }))
    },
    shown: (v, ev) =>
      ev.some(
        (e) =>
          e.label === 'custom_event' &&
          inOr(v.event_name, e.event) &&
          (v.event_details_filters ?? []).every((f: Req) => detailHolds(f, e.event_details)),
      ),
  },
  has_console_errors: { arb: flag },
  has_dead_clicks: { arb: flag },
  has_network_errors: { arb: flag },
  has_rage_clicks: { arb: flag },
}

async function recordingsOf(app: FastifyInstance, s: Json): Promise<Json[]> {
  const ids: string[] = (s.type === 'mobile' ? s.recording_ids : s.tab_ids) ?? [s.session_id]
  const out: Json[] = []
  for (const id of ids) {
    const res = await app.inject({
      method: 'POST',
      url: DATA,
      headers: AUTH,
      payload: { session_id: s.session_id, version_key: s.version_key, [s.type === 'mobile' ? 'recording_id' : 'tab_id']: id },
    })
    if (res.statusCode !== 200) throw new Error(`data.get ${res.statusCode}: ${res.body}`)
    out.push(res.json())
  }
  return out
}

const count = (list: Json[], p: (e: Json) => boolean) => list.filter(p).length

/** The session's visible counters and flags against its recordings; a message per disagreement. */
function counterProblems(s: Json, recs: Json[]): string[] {
  const problems: string[] = []
  const agree = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${s.session_id} ${what}: session ${JSON.stringify(a)}, recordings ${JSON.stringify(b)}`)
  }
  if (s.type === 'mobile') {
    const ev = recs.flatMap((r) => r.recording_events_timeline as Json[])
    agree('is_crash', s.is_crash, recs.some((r) => r.observability_sessions_log_data?.is_crash === true))
    agree('is_anr', s.is_anr, ev.some((e) => e.event_name === 'anr') && recs.some((r) => r.observability_sessions_log_data?.is_anr === true))
    agree('rage_tap', s.rage_tap, ev.some((e) => e.event_name === 'rage_tap'))
    agree('has_exception_occurred', s.has_exception_occurred, ev.some((e) => e.event_name === 'exception'))
    for (const r of recs) {
      agree('device_metadata', s.device_metadata, r.device_metadata)
      const offsets = (r.recording_events_timeline as Json[]).map((e) => e.timestamp_offset_ms as number)
      if (offsets.some((o, i) => o < 0 || (i > 0 && o < offsets[i - 1]!) || o > s.session_duration_ms)) problems.push(`${s.session_id}: events out of order`)
    }
    return problems
  }
  const ev = recs.flatMap((r) => r.timeline_data.events as Json[])
  const clicks = ev.filter((e) => e.event_type === 'click')
  agree('dead_click_count', s.dead_click_count, count(clicks, (e) => e.is_dead))
  agree('rage_click_count', s.rage_click_count, count(clicks, (e) => e.is_rage))
  const logs = ev.filter((e) => e.label === 'console_log')
  for (const [type, n] of Object.entries(s.console_metadata ?? {})) agree(`console ${type}`, n, count(logs, (e) => e.event_details.log_type === type))
  const requests = ev.filter((e) => e.label === 'network_request')
  for (const [status, n] of Object.entries(s.network_metadata?.status_counts ?? {})) {
    agree(`status ${status}`, n, count(requests, (e) => e.event_details.response_status === status))
  }
  for (const r of recs) {
    for (const key of ['console_metadata', 'network_metadata', 'session_attributes', 'device_metadata', 'dead_click_count', 'rage_click_count']) {
      agree(key, s[key], r[key])
    }
    agree('first_page_url', s.first_page_url ?? ev[0]!.page_url, r.first_page_url)
    agree('first_page_title', s.first_page_title ?? ev[0]!.label, r.first_page_title)
  }
  agree('first nav', s.first_page_url ?? ev[0]!.page_url, ev[0]!.page_url)
  return problems
}

for (const [type, fields] of [
  ['mobile', MOBILE],
  ['web', WEB],
] as const) {
  t.test(`${type}: what a filter matched is in the recording, and counters agree`, async (t) => {
    let shownChecks = 0
    let sessions = 0
    for (const [field, { arb, shown }] of Object.entries(fields)) {
      const usable = envs.map((e) => ({ ...e, scopes: e.scopes.filter((s) => s.type === type) })).filter((e) => e.scopes.length > 0)
      const input = fc.nat(usable.length - 1).chain((ei) =>
        fc.nat(usable[ei]!.scopes.length - 1).chain((si) => fc.tuple(fc.constant(ei), fc.constant(si), arb(usable[ei]!.scopes[si]!))),
      )
      await fc.assert(
        fc.asyncProperty(input, async ([ei, si, value]) => {
          const { app, scopes } = usable[ei]!
          const scope = scopes[si]!
          const req = { type, platform: scope.platform, version_key: scope.version_key, limit: 100, [field]: value }
          const page = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: req })
          if (page.statusCode !== 200) throw new Error(`list ${page.statusCode}: ${page.body}`)
          const found = (page.json().sessions as Json[]).slice(0, PER_RUN)
          for (const listed of found) {
            const s = scope.sessions.find((x) => x.session_id === listed.session_id)!
            const recs = await recordingsOf(app, s)
            sessions++
            const problems = counterProblems(s, recs)
            if (problems.length > 0) throw new Error(problems.join('\n'))
            if (shown && active(value)) {
              const events = recs.flatMap((r) => (type === 'mobile' ? r.recording_events_timeline : r.timeline_data.events))
              if (!shown(value, events)) throw new Error(`${field} ${JSON.stringify(value)} matched ${s.session_id}, whose recordings do not show it`)
              shownChecks++
            }
          }
        }),
        { seed: SEED, numRuns: 25 },
      )
    }
    t.ok(shownChecks > 50, `${shownChecks} matched items found in recordings`)
    t.ok(sessions > 100, `${sessions} sessions' recordings checked against their counters`)
  })
}

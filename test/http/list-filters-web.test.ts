/**
 * Every filter of the web variant (src/contract/schemas/filters.ts WebFilterFields), property-based against
 * the plain reference implementation, through HTTP, fixed seeds.
 */
import t from 'tap'
import fc from 'fast-check'
import { WebFilterFields } from '../../src/contract/schemas/filters.ts'
import * as A from '../helpers/filter-arbitraries.ts'
import { buildEnvs, checkEachField, checkFilter, type FieldArb } from '../helpers/filter-harness.ts'

const meta = (key: string): FieldArb => (s) => A.listOf(A.valuesOf(s, (x) => x.device_metadata[key]), 'no-such-value')
const flag: FieldArb = () => fc.boolean()
const details = (s: A.Scope, key: string): any[] => s.sessions.flatMap((x) => x.details?.[key] ?? [])
const pages = (key: string): FieldArb => (s) => A.listOf(A.uniq(details(s, 'pages').flatMap((p) => p[key] ?? [])), 'https://nowhere.example.com/')

export const WEB_FIELDS: Record<string, FieldArb> = {
  browser: meta('browser'),
  browser_version: meta('browser_version'),
  console_logs: (s) => {
    const logs = details(s, 'console_logs')
    const bodies = A.uniq(logs.flatMap((l) => l.body ?? []))
    return A.aroundRecord(logs, (l) => ({
      // Full-text: substrings of real bodies (and a case-changed one that must not match).
      body: A.around(l.body === undefined ? undefined : A.substringsOf([l.body])[1], A.substringsOf(bodies), 'no such text'),
      full_url: A.around(l.full_url, A.uniq(logs.flatMap((x) => x.full_url ?? [])), 'https://nowhere.example.com/x.js'),
      log_type: A.around(l.log_type, A.uniq(logs.map((x) => x.log_type)), 'debug'),
    }))
  },
  created_at: (s) => A.dateFilter(s),
  custom_events: (s) => {
    const events = details(s, 'custom_events')
    return A.aroundRecord(events, (e) => ({
      event_details_filters: A.attributeFiltersAround(e.properties ?? {}, events.map((x) => x.properties ?? {})),
      event_name: A.around(e.name, A.uniq(events.map((x) => x.name)), 'no_such_event'),
    }))
  },
  device_type: meta('type'),
  events: (s) => {
    const events = details(s, 'events')
    return A.aroundRecord(events, (e) => ({
      is_dead: fc.oneof(fc.constant(e.is_dead === true), fc.boolean()),
      is_rage: fc.oneof(fc.constant(e.is_rage === true), fc.boolean()),
      value: A.around(e.value, A.uniq(events.flatMap((x) => x.value ?? [])), 'No such button'),
    }))
  },
  has_console_errors: flag,
  has_dead_clicks: flag,
  has_network_errors: flag,
  has_rage_clicks: flag,
  is_anonymous: flag,
  network_logs: (s) => {
    const logs = details(s, 'network_logs')
    return A.aroundRecord(logs, (l) => ({
      request_method: A.around(l.request_method, A.uniq(logs.map((x) => x.request_method)), 'PATCH'),
      request_url: A.around(l.request_url, A.uniq(logs.map((x) => x.request_url)), 'https://nowhere.example.com/'),
      response_status: A.around(l.response_status, A.uniq(logs.map((x) => x.response_status as number)), 418),
    }))
  },
  network_type: meta('network_type'),
  normalized_url: pages('normalized_url'),
  os: meta('os'),
  page_name: pages('name'),
  page_url: pages('url'),
  rev_org: (s) => A.listOf(A.valuesOf(s, (x) => x.rev_org_id), 'REV-NoSuchOrg'),
  rev_user: (s) => A.listOf(A.valuesOf(s, (x) => x.rev_user_id), 'REVU-NoSuchUser'),
  session_attributes: (s) => A.attributeFilters(s.sessions.map((x) => x.details?.attributes ?? {})),
  session_duration: (s) => A.durationFilter(s),
}

t.test('every web filter field has a property here', async (t) => {
  t.same(Object.keys(WEB_FIELDS).sort(), Object.keys(WebFilterFields).sort())
})

t.test('web filters against the reference', async (t) => {
  const envs = await buildEnvs(t, 'web')
  await checkEachField(t, envs, WEB_FIELDS, 40)

  t.test('several filters at once (AND), whole sessions compared', async (t) => {
    const names = Object.keys(WEB_FIELDS)
    const stats = await checkFilter(
      envs,
      (scope) =>
        fc.subarray(names, { minLength: 2, maxLength: 4 }).chain((chosen) =>
          fc.record(Object.fromEntries(chosen.map((n) => [n, WEB_FIELDS[n]!(scope)]))),
        ),
      { numRuns: 150, seed: 4343, checkBodies: true },
    )
    t.equal(stats.runs, 150)
    t.ok(stats.nonTrivial > 10, `non-trivial combined answers: ${stats.nonTrivial}`)
  })
})

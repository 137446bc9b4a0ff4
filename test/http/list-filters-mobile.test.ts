/**
 * Every filter of the mobile variant (src/contract/schemas/filters.ts MobileFilterFields), property-based
 * against the plain reference implementation, through HTTP, fixed seeds.
 */
import t from 'tap'
import fc from 'fast-check'
import { MobileFilterFields } from '../../src/contract/schemas/filters.ts'
import * as A from '../helpers/filter-arbitraries.ts'
import { buildEnvs, checkEachField, checkFilter, type FieldArb } from '../helpers/filter-harness.ts'

const meta = (key: string): FieldArb => (s) => A.listOf(A.valuesOf(s, (x) => x.device_metadata[key]), 'no-such-value')
const flag = (key: string): FieldArb => () => fc.boolean()
const details = (s: A.Scope, key: string): any[] => s.sessions.flatMap((x) => x.details?.[key] ?? [])

export const MOBILE_FIELDS: Record<string, FieldArb> = {
  app_version: meta('app_version'),
  created_at: (s) => A.dateFilter(s),
  custom_events: (s) => {
    const events = details(s, 'custom_events')
    const names = A.uniq(events.map((e) => e.name))
    const classes = A.uniq(events.flatMap((e) => e.exception_class_name ?? []))
    const props = events.map((e) => e.properties ?? {})
    return A.aroundRecord(events, (e) => ({
      event_name: A.around(e.name, names, 'no_such_event'),
      exception_class_name: A.around(e.exception_class_name, classes, 'NoSuchException'),
      properties_filters: A.attributeFiltersAround(e.properties ?? {}, props),
    }))
  },
  device_model: meta('model'),
  has_exception_occurred: flag('has_exception_occurred'),
  is_anonymous: flag('is_anonymous'),
  is_anr: flag('is_anr'),
  is_crash: flag('is_crash'),
  manufacturer: meta('manufacturer'),
  network_type: meta('network_type'),
  os_version: meta('os_version'),
  rage_tap: flag('rage_tap'),
  response_time_list: (s) => {
    const calls = details(s, 'api_calls')
    const apis = A.uniq(calls.map((c) => c.api_name))
    const rtts = A.uniq(calls.map((c) => c.round_trip_time_ms as number))
    const rtt = A.oneOf(rtts, fc.double({ min: 0, max: 3000, noNaN: true }))
    return A.aroundRecord(calls, (c) => ({
      api_name: A.around(c.api_name, apis, '/no/such/api'),
      request_properties: A.attributeFiltersAround(c.request_properties ?? {}, calls.map((x) => x.request_properties ?? {})),
      response_properties: A.attributeFiltersAround(c.response_properties ?? {}, calls.map((x) => x.response_properties ?? {})),
      round_trip_time: fc.record(
        {
          equals_ms: A.around(c.round_trip_time_ms, rtts, 0.5),
          // Bounds mostly around the record's own time (both inclusive), sometimes any real time.
          range: fc.record({
            min_ms: fc.option(fc.oneof(fc.constantFrom(c.round_trip_time_ms, c.round_trip_time_ms - 50.5, 0), rtt), { nil: undefined }),
            max_ms: fc.option(fc.oneof(fc.constantFrom(c.round_trip_time_ms, c.round_trip_time_ms + 100, 5000), rtt), { nil: undefined }),
          }),
        },
        { requiredKeys: [] },
      ),
    }))
  },
  rev_org: (s) => A.listOf(A.valuesOf(s, (x) => x.rev_org_id), 'REV-NoSuchOrg'),
  rev_user: (s) => A.listOf(A.valuesOf(s, (x) => x.rev_user_id), 'REVU-NoSuchUser'),
  screen_name: (s) => A.listOf(A.valuesOf(s, (x) => x.details?.screen_names), 'NoSuchScreen'),
  session_attributes: (s) => A.attributeFilters(s.sessions.map((x) => x.details?.attributes ?? {})),
  session_duration: (s) => A.durationFilter(s),
}

t.test('every mobile filter field has a property here', async (t) => {
  t.same(Object.keys(MOBILE_FIELDS).sort(), Object.keys(MobileFilterFields).sort())
})

t.test('mobile filters against the reference', async (t) => {
  const envs = await buildEnvs(t, 'mobile')
  await checkEachField(t, envs, MOBILE_FIELDS, 40)

  t.test('several filters at once (AND), whole sessions compared', async (t) => {
    const names = Object.keys(MOBILE_FIELDS)
    const stats = await checkFilter(
      envs,
      (scope) =>
        fc.subarray(names, { minLength: 2, maxLength: 4 }).chain((chosen) =>
          fc.record(Object.fromEntries(chosen.map((n) => [n, MOBILE_FIELDS[n]!(scope)]))),
        ),
      { numRuns: 150, seed: 4242, checkBodies: true },
    )
    t.equal(stats.runs, 150)
    t.ok(stats.nonTrivial > 10, `non-trivial combined answers: ${stats.nonTrivial}`)
  })
})

/**
 * Filter semantics at their edges (the README's choices), on the hand-written
 * fixtures/example.json, where what each session holds is known: every answer is checked against the
 * reference and against the sessions the fixture's own text says should match.
 */
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { idsOf, walkForward } from '../helpers/walk.ts'
import { referenceList } from '../helpers/reference.ts'
import { loadFixturesFile } from '../../src/core/corpus/fixtures.ts'

const corpus = loadFixturesFile('fixtures/example.json')
const M = { type: 'mobile', platform: 'android', version_key: 'com.example.notes' }
const I = { type: 'mobile', platform: 'ios', version_key: 'com.example.notes' }
const W = { type: 'web', platform: 'web', version_key: 'notes.example.com' }
/** The ids of the fixture's sessions picked by a predicate over the stored session. */
const where = (scope: typeof M, pred: (s: any) => boolean) =>
  new Set(corpus.filter((s) => s.version_key === scope.version_key && s.platform === scope.platform && pred(s)).map((s) => s.session_id))

t.test('edges', async (t) => {
  const app = await buildTestApp({ corpus })
  t.teardown(() => app.close())
  const now = app.mock.clock.now()
  const check = async (req: Record<string, unknown>, expected: Set<string>, what: string) => {
    const got = idsOf(await walkForward(app, req))
    t.same(got, referenceList(corpus, req, now).map((s) => s.session_id), `${what}: as the reference`)
    t.same(new Set(got), expected, `${what}: ${expected.size} session(s)`)
  }
  const none = new Set<string>()
  const all = (scope: typeof M) => where(scope, () => true)

  // Text matches are exact and case-sensitive; console_logs.body and string_filter.contains are substrings.
  await check({ ...W, console_logs: { body: ['is undefined'] } }, where(W, (s) => s.session_id.endsWith('06')), 'body: a substring')
  await check({ ...W, console_logs: { body: ['IS UNDEFINED'] } }, none, 'body: case-sensitive')
  await check({ ...W, console_logs: { body: ['no such words'] } }, none, 'body: logs without a body never match text')
  await check({ ...W, console_logs: { log_type: ['log'], full_url: ['https://notes.example.com/app.js'] } }, where(W, (s) => ['06', '07'].some((x) => s.session_id.endsWith(x))), 'one log meets both')
  await check({ ...W, console_logs: { log_type: ['error'], full_url: ['https://notes.example.com/vendor.js'], body: ['Failed'] } }, none, 'conditions met by different logs do not combine')
  await check({ ...W, page_url: ['https://notes.example.com/pricing'] }, none, 'page_url is exact (the query string counts)')
  await check({ ...W, normalized_url: ['https://notes.example.com/pricing'] }, where(W, (s) => s.session_id.endsWith('06')), 'normalized_url')
  await check({ ...W, page_name: ['Checkout'] }, where(W, (s) => ['06', '08'].some((x) => s.session_id.endsWith(x))), 'any page in the list')
  await check({ ...W, page_name: ['checkout'] }, none, 'page names are case-sensitive')

  // Defaults of hand-written details: absent flags are false, absent lists empty.
  await check({ ...W, is_anonymous: false }, where(W, (s) => s.details?.is_anonymous !== true), 'is_anonymous absent = false')
  await check({ ...W, events: { is_dead: false, is_rage: false, value: ['Sign up'] } }, where(W, (s) => s.session_id.endsWith('07')), 'event flags absent = false')
  await check({ ...W, events: { is_rage: true, is_dead: true } }, where(W, (s) => s.session_id.endsWith('08')), 'one event both dead and rage')
  await check({ ...W, has_console_errors: false }, where(W, (s) => !(s.details?.console_logs ?? []).some((l: any) => l.log_type === 'error')), 'no console logs: no errors')
  await check({ ...W, has_network_errors: true }, where(W, (s) => ['06', '08'].some((x) => s.session_id.endsWith(x))), 'status >= 400')
  await check({ ...W, has_dead_clicks: true, has_rage_clicks: true }, where(W, (s) => s.dead_click_count > 0 && s.rage_click_count > 0), 'visible counters')
  await check({ ...W, network_logs: { response_status: [304], request_url: ['https://api.notes.example.com/plans'] } }, where(W, (s) => s.session_id.endsWith('07')), 'network log')
  await check({ ...I, screen_name: ['Home'] }, where(I, (s) => (s.details?.screen_names ?? []).includes('Home')), 'screen names')

  // An empty list, or a record filter with nothing in it, is no constraint.
  await check({ ...W, browser: [], events: {}, console_logs: { body: [] }, network_logs: {}, custom_events: { event_details_filters: [] } }, all(W), 'empty filters')
  await check({ ...M, custom_events: {}, response_time_list: { round_trip_time: { range: {} } }, session_attributes: [] }, all(M), 'empty mobile filters')
  await check({ ...W, os: [] }, all(W), 'an empty list')

  // Custom-attribute filters: paths, types, existence.
  await check({ ...M, session_attributes: [{ attribute_path: 'org.tier', filter_type: 'string_filter', equals: ['gold'] }] }, where(M, (s) => s.details?.attributes?.org?.tier === 'gold'), 'dots walk into objects')
  await check({ ...M, session_attributes: [{ attribute_path: 'org' }] }, where(M, (s) => s.details?.attributes?.org !== undefined), 'no filter_type: the path exists (an object too)')
  await check({ ...M, session_attributes: [{ attribute_path: 'plan.tier', filter_type: 'none' }] }, none, 'a path through a string does not exist')
  await check({ ...M, session_attributes: [{ attribute_path: 'beta', filter_type: 'bool_filter' }] }, where(M, (s) => typeof s.details?.attributes?.beta === 'boolean'), 'bool_filter without equals: a boolean is there')
  await check({ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'bool_filter', equals: true }] }, none, 'bool_filter on a string')
  await check({ ...M, session_attributes: [{ attribute_path: 'seats', filter_type: 'string_filter', equals: ['5'] }] }, none, 'string_filter on a number')
  await check({ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'int64_filter' }] }, none, 'int64_filter on a string')
  await check({ ...I, session_attributes: [{ attribute_path: 'seats', filter_type: 'int64_filter', equals: [5, 120], range: { min: 100 } }] }, where(I, (s) => s.details?.attributes?.seats === 120), 'equals and range both hold')
  await check({ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'string_filter', equals: ['pro', 'free'], contains: ['r'] }] }, where(M, (s) => s.details?.attributes?.plan === 'pro' || s.details?.attributes?.plan === 'free'), 'equals and contains both hold')
  await check({ ...M, response_time_list: { round_trip_time: { equals_ms: [182.5] } } }, where(M, (s) => s.session_id.endsWith('01')), 'round trip time equals, a double')
  await check({ ...M, response_time_list: { round_trip_time: { range: { min_ms: 95, max_ms: 95 } } } }, where(M, (s) => s.session_id.endsWith('02')), 'range inclusive at both ends')
  await check({ ...M, response_time_list: { api_name: ['/v1/cart'], response_properties: [{ attribute_path: 'status', filter_type: 'int64_filter', range: { min: 500 } }] } }, none, 'one call must meet all conditions')
  await check({ ...M, custom_events: { event_name: ['app_error'], exception_class_name: ['java.io.IOException'], properties_filters: [{ attribute_path: 'screen', filter_type: 'string_filter', contains: ['Edit'] }] } }, where(M, (s) => s.session_id.endsWith('01')), 'custom event with properties')
  await check({ ...I, custom_events: { exception_class_name: ['NSRangeException'], properties_filters: [{ attribute_path: 'screen' }] } }, none, 'an event without properties has no paths')

  // Dates: inclusive bounds, any offset; presets on the virtual clock (2026-01-15T12:00Z).
  await check({ ...M, created_at: { type: 'range', after: '2026-01-12T18:05:41Z', before: '2026-01-12T18:05:41Z' } }, where(M, (s) => s.created_at === '2026-01-12T18:05:41.000Z'), 'a one-instant range holds its sessions')
  await check({ ...M, created_at: { type: 'range', after: '2026-01-12T20:05:41.001+02:00' } }, where(M, (s) => s.created_at > '2026-01-12T18:05:41.000Z'), 'after, with an offset, exclusive of what lies before')
  await check({ ...W, created_at: { type: 'preset', preset_type: 'last_n_days', days: 4 } }, where(W, (s) => Date.parse(s.created_at) >= now - 4 * 86_400_000), 'last_n_days')
  await check({ ...W, created_at: { type: 'preset', preset_type: 'next_n_days', days: 30 } }, none, 'next_n_days: nothing in the future')
  await check({ ...W, created_at: { type: 'preset', preset_type: 'last_n_days', days: 0 } }, none, 'last 0 days: only this instant')
  await check({ ...W, session_duration: { min_ms: 305000, max_ms: 305000 } }, where(W, (s) => s.session_duration_ms === 305000), 'session_duration inclusive')
  await check({ ...M, rev_org: ['REV-AbCdEfGh'], rev_user: ['REVU-Jane0001', 'REVU-Omar0002'] }, where(M, (s) => s.rev_user_id === 'REVU-Jane0001'), 'rev ids (anonymous sessions have none)')
})

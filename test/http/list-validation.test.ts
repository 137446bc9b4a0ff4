/**
 * Every validation error of the list endpoint, through HTTP, with its fields: parse_error,
 * missing_required_field, invalid_enum_value, unexpected_json_type, value_not_permitted,
 * invalid_field, invalid_content_type, bad_request. Bodies are compared whole (apart from `message`,
 * which must be a non-empty string): DevRev's flat shape, nothing of Fastify's.
 */
import t, { type Test } from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { LIST } from '../helpers/walk.ts'

const M = { type: 'mobile', platform: 'android', version_key: 'com.example.shop' }
const W = { type: 'web', platform: 'web', version_key: 'shop.example.com' }

/** Sends and checks: the status, the exact error body (message aside), never a Fastify default. */
async function expectError(t: Test, app: FastifyInstance, req: InjectOptions, expected: Record<string, unknown>, status = 400) {
  const res = await app.inject({ method: 'POST', url: LIST, ...req, headers: { ...AUTH, ...(req.headers ?? {}) } })
  const what = `${req.method ?? 'POST'} ${typeof req.payload === 'string' ? req.payload : JSON.stringify(req.payload ?? req.body ?? '')} `
  t.equal(res.statusCode, status, `${what}→ ${status}`)
  t.match(res.headers['content-type'], /^application\/json/, 'JSON error body')
  const body = res.json()
  const { message, ...rest } = body
  t.type(message, 'string')
  t.ok(message.length > 0, 'a message')
  // `String` / `Array` in `expected` stand for "some non-empty string / array" (e.g. `reason`).
  for (const [k, v] of Object.entries(expected)) {
    if (v === String && typeof rest[k] === 'string' && rest[k] !== '') rest[k] = String
    if (v === Array && Array.isArray(rest[k]) && rest[k].length > 0) rest[k] = Array
  }
  t.same(rest, expected, `${what}→ ${JSON.stringify(expected)}`)
  t.notOk('statusCode' in body || 'error' in body || 'code' in body, 'nothing of Fastify in the body')
  return body
}

let app: FastifyInstance
t.before(async () => {
  app = await buildTestApp({ sessions: 50 })
})
t.teardown(() => app.close())

t.test('parse_error: malformed JSON, empty body', async (t) => {
  const json = { 'content-type': 'application/json' }
  for (const raw of ['{"type":', '{type: "mobile"}', "{'a':1}", '{"a":1,}', 'nul', '[1,2', '{"a":"\\x"}', '\u0000']) {
    await expectError(t, app, { headers: json, payload: raw }, { type: 'parse_error' })
  }
  await expectError(t, app, { headers: json, payload: '' }, { type: 'parse_error' })
  await expectError(t, app, { headers: json, payload: '   ' }, { type: 'parse_error' })
  // No body at all (no content-type either): also an empty body.
  await expectError(t, app, {}, { type: 'parse_error' })
  // JSON that a prototype-pollution guard refuses is not valid input either.
  await expectError(t, app, { headers: json, payload: '{"type":"mobile","__proto__":{"x":1}}' }, { type: 'invalid_field', field_name: '__proto__' })
  await expectError(t, app, { headers: json, payload: '{"constructor":{"prototype":{"x":1}}}' }, { type: 'invalid_field', field_name: 'constructor.prototype' })
})

t.test('bad_request: a JSON body that is not an object', async (t) => {
  for (const raw of ['[]', '[{"type":"mobile"}]', '"mobile"', '42', 'true', 'null']) {
    await expectError(t, app, { headers: { 'content-type': 'application/json' }, payload: raw }, { type: 'bad_request' })
  }
})

t.test('invalid_content_type: not JSON', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    ['text/plain', 'text/plain'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['application/xml', 'application/xml'],
    ['multipart/form-data; boundary=x', 'multipart/form-data; boundary=x'],
    [undefined, ''],
  ]
  for (const [ct, value] of cases) {
    const headers: Record<string, string> = ct === undefined ? {} : { 'content-type': ct }
    await expectError(t, app, { headers, payload: Buffer.from(JSON.stringify(M)) }, { type: 'invalid_content_type', value })
  }
  // application/json with parameters, and +json types are JSON.
  const ok = await app.inject({ method: 'POST', url: LIST, headers: { ...AUTH, 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify(M) })
  t.equal(ok.statusCode, 200)
})

t.test('missing_required_field, top level and nested, with its path', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{}, 'type'],
    [{ platform: 'android', version_key: 'x' }, 'type'],
    [{ type: 'mobile', version_key: 'x' }, 'platform'],
    [{ type: 'web', platform: 'web' }, 'version_key'],
    [{ ...M, session_attributes: [{ filter_type: 'string_filter', equals: ['pro'] }] }, 'session_attributes[0].attribute_path'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan' }, {}] }, 'session_attributes[1].attribute_path'],
    [{ ...M, created_at: {} }, 'created_at.type'],
    [{ ...M, created_at: { after: '2026-01-01T00:00:00Z' } }, 'created_at.type'],
    [{ ...M, created_at: { type: 'preset', days: 3 } }, 'created_at.preset_type'],
    [{ ...M, created_at: { type: 'preset', preset_type: 'last_n_days' } }, 'created_at.days'],
    [{ ...M, custom_events: { properties_filters: [{ filter_type: 'none' }] } }, 'custom_events.properties_filters[0].attribute_path'],
    [{ ...M, response_time_list: { response_properties: [{ attribute_path: 'a' }, { filter_type: 'int64_filter' }] } }, 'response_time_list.response_properties[1].attribute_path'],
    [{ ...W, custom_events: { event_details_filters: [{}] } }, 'custom_events.event_details_filters[0].attribute_path'],
  ]
  for (const [payload, field_name] of cases) await expectError(t, app, { payload: payload as object }, { type: 'missing_required_field', field_name })
})

t.test('invalid_enum_value: field_name, value, allowed_values', async (t) => {
  const cases: Array<[unknown, string, string, string[]]> = [
    [{ ...M, type: 'desktop' }, 'type', 'desktop', ['mobile', 'web']],
    [{ ...M, platform: 'windows' }, 'platform', 'windows', ['android', 'ios', 'web']],
    [{ ...M, platform: 'Android' }, 'platform', 'Android', ['android', 'ios', 'web']],
    [{ ...M, mode: 'sideways' }, 'mode', 'sideways', ['after', 'before']],
    [{ ...M, created_at: { type: 'between' } }, 'created_at.type', 'between', ['range', 'preset']],
    [{ ...M, created_at: { type: 'preset', preset_type: 'last_n_weeks', days: 1 } }, 'created_at.preset_type', 'last_n_weeks', ['last_n_days', 'next_n_days']],
    [
      { ...W, session_attributes: [{ attribute_path: 'plan', filter_type: 'regex_filter' }] },
      'session_attributes[0].filter_type',
      'regex_filter',
      ['bool_filter', 'int64_filter', 'string_filter', 'none'],
    ],
  ]
  for (const [payload, field_name, value, allowed_values] of cases) {
    await expectError(t, app, { payload: payload as object }, { type: 'invalid_enum_value', field_name, value, allowed_values })
  }
})

t.test('unexpected_json_type: expected and actual, for every JSON type', async (t) => {
  const cases: Array<[unknown, string, string, string]> = [
    [{ ...M, version_key: 5 }, 'version_key', 'string', 'number'],
    [{ ...M, cursor: true }, 'cursor', 'string', 'bool'],
    [{ ...M, type: 7 }, 'type', 'string', 'number'],
    [{ ...M, platform: ['android'] }, 'platform', 'string', 'array'],
    [{ ...M, mode: null }, 'mode', 'string', 'null'],
    [{ ...M, limit: '10' }, 'limit', 'number', 'string'],
    [{ ...M, limit: null }, 'limit', 'number', 'null'],
    [{ ...M, is_crash: 'yes' }, 'is_crash', 'bool', 'string'],
    [{ ...W, has_dead_clicks: 1 }, 'has_dead_clicks', 'bool', 'number'],
    [{ ...M, app_version: '3.2.0' }, 'app_version', 'array', 'string'],
    [{ ...M, sort_by: 'created_at:desc' }, 'sort_by', 'array', 'string'],
    [{ ...M, app_version: ['3.2.0', 3] }, 'app_version[1]', 'string', 'number'],
    [{ ...M, created_at: 'today' }, 'created_at', 'object', 'string'],
    [{ ...M, session_duration: [] }, 'session_duration', 'object', 'array'],
    [{ ...M, session_duration: { min_ms: '5' } }, 'session_duration.min_ms', 'number', 'string'],
    [{ ...M, custom_events: null }, 'custom_events', 'object', 'null'],
    [{ ...M, session_attributes: [['plan']] }, 'session_attributes[0]', 'object', 'array'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'bool_filter', equals: 'true' }] }, 'session_attributes[0].equals', 'bool', 'string'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'int64_filter', equals: 5 }] }, 'session_attributes[0].equals', 'array', 'number'],
    [{ ...M, session_attributes: [{ attribute_path: 'seats', filter_type: 'int64_filter', range: { min: {} } }] }, 'session_attributes[0].range.min', 'number', 'object'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: false }] }, 'session_attributes[0].filter_type', 'string', 'bool'],
    [{ ...M, response_time_list: { round_trip_time: { equals_ms: ['1'] } } }, 'response_time_list.round_trip_time.equals_ms[0]', 'number', 'string'],
    [{ ...W, events: { is_dead: 'no' } }, 'events.is_dead', 'bool', 'string'],
    [{ ...W, network_logs: { response_status: ['500'] } }, 'network_logs.response_status[0]', 'number', 'string'],
    [{ ...W, created_at: { type: 'range', after: 1700000000 } }, 'created_at.after', 'string', 'number'],
  ]
  for (const [payload, field_name, expected, actual] of cases) {
    await expectError(t, app, { payload: payload as object }, { type: 'unexpected_json_type', field_name, expected, actual })
  }
})

t.test('value_not_permitted: field_name and reason', async (t) => {
  const cases: Array<[unknown, string, Record<string, unknown>?]> = [
    [{ ...M, limit: 0 }, 'limit'],
    [{ ...M, limit: -5 }, 'limit'],
    [{ ...M, limit: 1.5 }, 'limit'],
    [{ ...M, version_key: '' }, 'version_key'],
    [{ ...M, session_duration: { min_ms: -1 } }, 'session_duration.min_ms'],
    [{ ...M, session_duration: { max_ms: 10.5 } }, 'session_duration.max_ms'],
    [{ ...M, created_at: { type: 'range', after: 'yesterday' } }, 'created_at.after'],
    [{ ...M, created_at: { type: 'range', before: '2026-01-01' } }, 'created_at.before'],
    [{ ...M, created_at: { type: 'range', before: '2026-02-30T25:00:00Z' } }, 'created_at.before'],
    [{ ...M, created_at: { type: 'preset', preset_type: 'last_n_days', days: -1 } }, 'created_at.days'],
    [{ ...M, created_at: { type: 'preset', preset_type: 'next_n_days', days: 4294967296 } }, 'created_at.days'],
    [{ ...M, created_at: { type: 'preset', preset_type: 'next_n_days', days: 0.5 } }, 'created_at.days'],
    [{ ...M, session_attributes: [{ attribute_path: '' }] }, 'session_attributes[0].attribute_path'],
    [{ ...M, session_attributes: [{ attribute_path: 'seats', filter_type: 'int64_filter', equals: [1.5] }] }, 'session_attributes[0].equals[0]'],
    [{ ...W, network_logs: { response_status: [404.5] } }, 'network_logs.response_status[0]'],
  ]
  for (const [payload, field_name] of cases) {
    const body = await expectError(t, app, { payload: payload as object }, { type: 'value_not_permitted', field_name, reason: String })
    t.type(body.reason, 'string')
  }
  // sort_by: the item at fault, and what is allowed.
  const mobileSorts = ['created_at', 'created_at:asc', 'created_at:desc', 'session_duration_ms', 'session_duration_ms:asc', 'session_duration_ms:desc']
  const webSorts = [...mobileSorts, 'dead_click_count', 'dead_click_count:asc', 'dead_click_count:desc', 'rage_click_count', 'rage_click_count:asc', 'rage_click_count:desc']
  const sortCases: Array<[unknown, string, string[]]> = [
    [{ ...M, sort_by: ['nope'] }, 'sort_by[0]', mobileSorts],
    [{ ...M, sort_by: ['created_at:desc', 'dead_click_count:desc'] }, 'sort_by[1]', mobileSorts],
    [{ ...M, sort_by: ['created_at:up'] }, 'sort_by[0]', mobileSorts],
    [{ ...M, sort_by: ['created_at:DESC'] }, 'sort_by[0]', mobileSorts],
    [{ ...M, sort_by: [''] }, 'sort_by[0]', mobileSorts],
    [{ ...W, sort_by: ['rage_click_count', 'page_load_time_ms:asc'] }, 'sort_by[1]', webSorts],
  ]
  for (const [payload, field_name, allowed_values] of sortCases) {
    await expectError(t, app, { payload: payload as object }, { type: 'value_not_permitted', field_name, allowed_values, reason: String })
  }
  // type and platform must agree.
  const mismatch: Array<[unknown, string[]]> = [
    [{ ...M, platform: 'web' }, ['android', 'ios']],
    [{ ...W, platform: 'ios' }, ['web']],
    [{ ...W, platform: 'android' }, ['web']],
  ]
  for (const [payload, allowed_values] of mismatch) {
    await expectError(t, app, { payload: payload as object }, { type: 'value_not_permitted', field_name: 'platform', allowed_values, reason: String })
  }
})

t.test('invalid_field: unknown fields, and a filter of the other variant', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{ ...M, colour: 'red' }, 'colour'],
    [{ ...M, filter: { app_version: ['1'] } }, 'filter'],
    [{ ...M, created_date: { type: 'range' } }, 'created_date'],
    [{ ...M, browser: ['Chrome'] }, 'browser'],
    [{ ...M, has_dead_clicks: true }, 'has_dead_clicks'],
    [{ ...M, console_logs: {} }, 'console_logs'],
    [{ ...W, app_version: ['1'] }, 'app_version'],
    [{ ...W, is_crash: false }, 'is_crash'],
    [{ ...W, screen_name: ['Home'] }, 'screen_name'],
    [{ ...M, created_at: { type: 'range', after: '2026-01-01T00:00:00Z', until: 'x' } }, 'created_at.until'],
    [{ ...M, created_at: { type: 'preset', preset_type: 'last_n_days', days: 1, after: '2026-01-01T00:00:00Z' } }, 'created_at.after'],
    [{ ...M, session_duration: { avg_ms: 5 } }, 'session_duration.avg_ms'],
    [{ ...M, custom_events: { event_details_filters: [] } }, 'custom_events.event_details_filters'],
    [{ ...W, custom_events: { exception_class_name: ['X'] } }, 'custom_events.exception_class_name'],
    [{ ...M, response_time_list: { round_trip_time: { range: { min: 1 } } } }, 'response_time_list.round_trip_time.range.min'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'bool_filter', contains: ['x'] }] }, 'session_attributes[0].contains'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan', equals: ['pro'] }] }, 'session_attributes[0].equals'],
    [{ ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'none', equals: ['pro'] }] }, 'session_attributes[0].equals'],
    [{ ...W, events: { is_dead: true, count: 2 } }, 'events.count'],
  ]
  for (const [payload, field_name] of cases) await expectError(t, app, { payload: payload as object }, { type: 'invalid_field', field_name })
  // Names that every JS object inherits are unknown fields like any other.
  const inherited: Array<[string, string]> = [
    [`{"type":"mobile","platform":"android","version_key":"x","constructor":1}`, 'constructor'],
    [`{"type":"mobile","platform":"android","version_key":"x","toString":"a"}`, 'toString'],
    [`{"type":"web","platform":"web","version_key":"x","created_at":{"type":"range","valueOf":"a"}}`, 'created_at.valueOf'],
    [`{"type":"web","platform":"web","version_key":"x","events":{"hasOwnProperty":true}}`, 'events.hasOwnProperty'],
  ]
  for (const [payload, field_name] of inherited) {
    await expectError(t, app, { headers: { 'content-type': 'application/json' }, payload }, { type: 'invalid_field', field_name })
  }
})

t.test('the first fault is named: required fields before unknown ones, in schema order', async (t) => {
  await expectError(t, app, { payload: { colour: 'red' } }, { type: 'missing_required_field', field_name: 'type' })
  await expectError(t, app, { payload: { type: 'web', colour: 'red' } }, { type: 'missing_required_field', field_name: 'platform' })
  await expectError(t, app, { payload: { ...M, colour: 'red', limit: 'x' } }, { type: 'invalid_field', field_name: 'colour' })
  await expectError(t, app, { payload: { ...M, limit: 'x', colour: 'red' } }, { type: 'unexpected_json_type', field_name: 'limit', expected: 'number', actual: 'string' })
  await expectError(t, app, { payload: { ...M, platform: 'web', limit: 0, sort_by: ['x'] } }, { type: 'value_not_permitted', field_name: 'platform', allowed_values: ['android', 'ios'], reason: String })
  await expectError(t, app, { payload: { ...M, limit: 0, sort_by: ['x'] } }, { type: 'value_not_permitted', field_name: 'limit', reason: String })
  await expectError(t, app, { payload: { ...M, sort_by: ['x'], cursor: 'bad' } }, { type: 'value_not_permitted', field_name: 'sort_by[0]', allowed_values: Array, reason: String })
})

t.test('valid requests pass: every variant of the nested unions', async (t) => {
  const ok: unknown[] = [
    { ...M, created_at: { type: 'range' } },
    { ...M, created_at: { type: 'range', after: '2026-01-01T00:00:00+05:30', before: '2026-01-20T00:00:00.123Z' } },
    { ...M, created_at: { type: 'preset', preset_type: 'next_n_days', days: 4294967295 } },
    { ...M, session_attributes: [{ attribute_path: 'plan' }, { attribute_path: 'plan', filter_type: 'none' }] },
    { ...M, session_attributes: [{ attribute_path: 'beta', filter_type: 'bool_filter' }, { attribute_path: 'beta', filter_type: 'bool_filter', equals: true }] },
    { ...M, session_attributes: [{ attribute_path: 'seats', filter_type: 'int64_filter', equals: [], range: {} }] },
    { ...M, session_attributes: [{ attribute_path: 'plan', filter_type: 'string_filter', equals: ['pro'], contains: ['r'] }] },
    { ...M, mode: 'before', limit: 1, sort_by: [], cursor: undefined },
    { ...W, events: {}, console_logs: {}, network_logs: {}, custom_events: {} },
  ]
  for (const payload of ok) {
    const res = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: payload as object })
    t.equal(res.statusCode, 200, JSON.stringify(payload))
  }
})

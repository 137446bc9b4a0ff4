/**
 * Where JSON comes in: nesting too deep is refused with the key's path (it used to overflow the
 * stack later, in rule parsing or when the corpus was exported); a `__proto__` key is an
 * `invalid_field` naming it; a body-less admin call with an empty body succeeds whatever its
 * content type.
 */
import t from 'tap'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { MAX_JSON_DEPTH, unsafeJson } from '../../src/core/validate.ts'
import { parseRuleList } from '../../src/core/faults/rules.ts'
import { parseCorpus } from '../../src/core/corpus/fixtures.ts'
import { loadFixturesFile } from '../../src/core/corpus/fixtures.ts'

const nested = (levels: number): unknown => {
  let v: unknown = 1
  for (let i = 0; i < levels; i++) v = { a: v }
  return v
}
const nestedText = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`

t.test('unsafeJson: depth, arrays, prototype keys', async (t) => {
  t.equal(unsafeJson(nested(MAX_JSON_DEPTH)), undefined, 'at the limit: fine')
  t.match(unsafeJson(nested(MAX_JSON_DEPTH + 1)), { type: 'value_not_permitted', fields: { field_name: /^a(\.a)+$/ } })
  t.match(unsafeJson({ list: [[[{ x: nested(MAX_JSON_DEPTH) }]]] }), { type: 'value_not_permitted', fields: { field_name: /^list\[0\]\[0\]\[0\]\.x\.a/ } })
  t.match(unsafeJson(JSON.parse('{"a":{"__proto__":{"x":1}}}')), { type: 'invalid_field', fields: { field_name: 'a.__proto__' } })
  t.match(unsafeJson({ constructor: { prototype: {} } }), { type: 'invalid_field', fields: { field_name: 'constructor.prototype' } })
  t.equal(unsafeJson({ prototype: 1, constructor: 'x', list: [1, 'a', null] }), undefined)
})

t.test('a deeply nested fault rule: 400 naming the field, and the admin API still answers', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/__admin/faults',
    headers: { 'content-type': 'application/json' },
    payload: `{"status":503,"match":{"body":${nestedText(2000)}}}`,
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { type: 'value_not_permitted', field_name: /^match\.body\.a\.a/ })
  t.equal((await app.inject({ method: 'GET', url: '/__admin/faults' })).statusCode, 200)
})

t.test('a deeply nested corpus: refused, and the export still works', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const [session] = loadFixturesFile('fixtures/example.json')
  const body = JSON.stringify({ sessions: [{ ...session, details: { attributes: { deep: 'X' } } }] }).replace('"X"', nestedText(5000))
  const res = await app.inject({ method: 'PUT', url: '/__admin/corpus', headers: { 'content-type': 'application/json' }, payload: body })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { type: 'value_not_permitted', field_name: /^sessions\[0\]\.details\.attributes\.deep\.a/ })
  t.equal((await app.inject({ method: 'GET', url: '/__admin/corpus' })).statusCode, 200)
})

t.test('a deeply nested list request: 400 before anything else reads it', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/observability.sessions.list',
    headers: { ...AUTH, 'content-type': 'application/json' },
    payload: `{"type":"mobile","x":${nestedText(100)}}`,
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { type: 'value_not_permitted', field_name: /^x\.a/ })
})

t.test('values given in code and files are checked the same way', async (t) => {
  t.throws(() => parseRuleList([{ status: 503, match: { body: nested(100) } }]), { name: 'FaultRuleError', field: /^match\.body\.a/ })
  t.throws(() => parseCorpus({ sessions: [nested(100)] }), { name: 'FixtureError', field: /^sessions\[0\]\.a/ })
})

t.test('__proto__ in a body: invalid_field naming the key', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/__admin/faults',
    headers: { 'content-type': 'application/json' },
    payload: '{"status":503,"match":{"body":{"__proto__":{"polluted":1}}}}',
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { type: 'invalid_field', field_name: 'match.body.__proto__' })
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('a body-less admin call with an empty body succeeds whatever its content type', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const headers of [
    { 'content-type': 'application/json' },
    { 'content-type': 'text/plain' },
    { 'transfer-encoding': 'chunked' },
    { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
  ]) {
    for (const [method, url] of [['POST', '/__admin/reset'], ['DELETE', '/__admin/faults'], ['DELETE', '/__admin/requests'], ['DELETE', '/__admin/rate-limit']] as const) {
      const res = await app.inject({ method, url, headers, payload: '' })
      t.equal(res.statusCode, 204, `${method} ${url} ${JSON.stringify(headers)}`)
    }
  }
  // A route that takes a body still says it is missing; a body in another media type is still refused.
  const empty = await app.inject({ method: 'POST', url: '/__admin/clock', headers: { 'content-type': 'application/json' }, payload: '' })
  t.match(empty.json(), { type: 'parse_error', message: 'the request body is empty' })
  const text = await app.inject({ method: 'POST', url: '/__admin/reset', headers: { 'content-type': 'text/plain' }, payload: 'x' })
  t.match(text.json(), { type: 'invalid_content_type', value: 'text/plain' })
  const none = await app.inject({ method: 'POST', url: '/__admin/reset', headers: { 'transfer-encoding': 'chunked' }, payload: 'x' })
  t.match(none.json(), { type: 'invalid_content_type', value: '' })
})

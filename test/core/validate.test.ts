/**
 * The validator's explanation walk, on small schemas of every kind it meets (pure core): which
 * DevRev error names the first fault, and with which path. The HTTP tests cover the real schemas.
 */
import t from 'tap'
import { Type } from '@sinclair/typebox'
import { compileValidator, isDateTime, jsonType, walk } from '../../src/core/validate.ts'
import { DevRevError } from '../../src/contract/catalogue.ts'
import { StringEnum, DISCRIMINATOR } from '../../src/contract/schemas/common.ts'
import { Corpus } from '../../src/contract/schemas/sessions.ts'

const body = (e: DevRevError | undefined) => {
  const b = e?.toBody()
  if (b) delete b.message
  return b
}

t.test('jsonType: DevRev names of JSON types', async (t) => {
  t.equal(jsonType(null), 'null')
  t.equal(jsonType([]), 'array')
  t.equal(jsonType(true), 'bool')
  t.equal(jsonType(1.5), 'number')
  t.equal(jsonType('s'), 'string')
  t.equal(jsonType({}), 'object')
})

t.test('isDateTime: RFC 3339 with a zone, and a real date', async (t) => {
  for (const ok of ['2024-01-31T12:00:00Z', '2024-01-31T12:00:00.123456Z', '2024-01-31t12:00:00z', '2024-01-31T12:00:00+05:30', '2024-01-31T12:00:00-00:00']) t.ok(isDateTime(ok), ok)
  for (const bad of ['2024-01-31', '2024-01-31T12:00:00', '2024-01-31 12:00:00Z', '2024-13-01T00:00:00Z', '2024-01-31T25:00:00Z', 'yesterday', '', '2024-01-31T12:00Z']) {
    t.notOk(isDateTime(bad), bad)
  }
})

t.test('walk: objects, arrays, records, literals, enums, unions, numbers, strings', async (t) => {
  const S = Type.Object({
    a: Type.String({ minLength: 3 }),
    n: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    f: Type.Optional(Type.Number()),
    l: Type.Optional(Type.Literal('x')),
    k: Type.Optional(Type.Literal(7)),
    r: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    e: Type.Optional(StringEnum(['p', 'q'])),
    u: Type.Optional(Type.Unknown()),
    d: Type.Optional(Type.String({ format: 'date-time' })),
    b: Type.Optional(Type.Boolean()),
    xs: Type.Optional(Type.Array(Type.Object({ y: Type.String() }))),
  })
  const cases: Array<[unknown, Record<string, unknown> | undefined]> = [
    [{ a: 'abc' }, undefined],
    [{ a: 'abc', u: { anything: [1] }, l: 'x', k: 7, r: { z: 1 }, e: 'p', b: false, f: 0.5, n: 9, d: '2024-01-01T00:00:00Z', xs: [{ y: '' }] }, undefined],
    [{ a: 'abc', n: undefined }, undefined],
    [{ a: 'abc', n: undefined, zz: 1 }, { type: 'invalid_field', field_name: 'zz' }],
    [{}, { type: 'missing_required_field', field_name: 'a' }],
    [{ a: undefined }, { type: 'missing_required_field', field_name: 'a' }],
    [{ a: 'ab' }, { type: 'value_not_permitted', field_name: 'a', reason: 'must be at least 3 characters' }],
    [{ a: 'abc', n: 0 }, { type: 'value_not_permitted', field_name: 'n', reason: 'must be at least 1' }],
    [{ a: 'abc', n: 10 }, { type: 'value_not_permitted', field_name: 'n', reason: 'must be at most 9' }],
    [{ a: 'abc', n: 2.5 }, { type: 'value_not_permitted', field_name: 'n', reason: 'must be an integer' }],
    [{ a: 'abc', f: 'x' }, { type: 'unexpected_json_type', field_name: 'f', expected: 'number', actual: 'string' }],
    [{ a: 'abc', l: 'y' }, { type: 'invalid_enum_value', field_name: 'l', value: 'y', allowed_values: ['x'] }],
    [{ a: 'abc', l: 1 }, { type: 'unexpected_json_type', field_name: 'l', expected: 'string', actual: 'number' }],
    [{ a: 'abc', k: 8 }, { type: 'invalid_enum_value', field_name: 'k', value: '8', allowed_values: ['7'] }],
    [{ a: 'abc', k: '7' }, { type: 'unexpected_json_type', field_name: 'k', expected: 'number', actual: 'string' }],
    [{ a: 'abc', r: [] }, { type: 'unexpected_json_type', field_name: 'r', expected: 'object', actual: 'array' }],
    [{ a: 'abc', r: { z: 'one' } }, { type: 'unexpected_json_type', field_name: 'r.z', expected: 'number', actual: 'string' }],
    [{ a: 'abc', e: 'z' }, { type: 'invalid_enum_value', field_name: 'e', value: 'z', allowed_values: ['p', 'q'] }],
    [{ a: 'abc', e: false }, { type: 'unexpected_json_type', field_name: 'e', expected: 'string', actual: 'bool' }],
    [{ a: 'abc', d: 'today' }, { type: 'value_not_permitted', field_name: 'd', reason: 'must be an RFC 3339 date-time, e.g. 2024-01-31T12:00:00Z' }],
    [{ a: 'abc', b: null }, { type: 'unexpected_json_type', field_name: 'b', expected: 'bool', actual: 'null' }],
    [{ a: 'abc', xs: {} }, { type: 'unexpected_json_type', field_name: 'xs', expected: 'array', actual: 'object' }],
    [{ a: 'abc', xs: [{ y: 'a' }, { y: 1 }] }, { type: 'unexpected_json_type', field_name: 'xs[1].y', expected: 'string', actual: 'number' }],
    [{ a: 'abc', zz: 1 }, { type: 'invalid_field', field_name: 'zz' }],
    [{ a: 'abc', valueOf: 1 }, { type: 'invalid_field', field_name: 'valueOf' }],
    ['abc', { type: 'unexpected_json_type', field_name: '', expected: 'object', actual: 'string' }],
  ]
  for (const [value, expected] of cases) t.same(body(walk(S, value, '')), expected, JSON.stringify(value))
  // Paths are joined under a prefix.
  t.same(body(walk(S, {}, 'outer')), { type: 'missing_required_field', field_name: 'outer.a' })
})

t.test('walk: discriminated and other unions', async (t) => {
  const D = Type.Union(
    [Type.Object({ kind: Type.Literal('a'), x: Type.String() }), Type.Object({ kind: Type.Optional(Type.Literal('b')), y: Type.Optional(Type.Integer()) })],
    { [DISCRIMINATOR]: { property: 'kind', missing: 'b' } },
  )
  t.same(body(walk(D, { kind: 'a' }, 'p')), { type: 'missing_required_field', field_name: 'p.x' })
  t.same(body(walk(D, { y: 'no' }, 'p')), { type: 'unexpected_json_type', field_name: 'p.y', expected: 'number', actual: 'string' }, 'a missing tag selects the default branch')
  t.same(body(walk(D, { kind: 'c' }, 'p')), { type: 'invalid_enum_value', field_name: 'p.kind', value: 'c', allowed_values: ['a', 'b'] })
  t.same(body(walk(D, { kind: 1 }, 'p')), { type: 'unexpected_json_type', field_name: 'p.kind', expected: 'string', actual: 'number' })
  t.same(body(walk(D, [], 'p')), { type: 'unexpected_json_type', field_name: 'p', expected: 'object', actual: 'array' })
  const Required = Type.Union([Type.Object({ t: Type.Literal('a') })], { [DISCRIMINATOR]: { property: 't' } })
  t.same(body(walk(Required, {}, '')), { type: 'missing_required_field', field_name: 't' })
  // A union of non-string literals is no enum; an undiscriminated union names no field.
  const Numbers = Type.Union([Type.Literal(1), Type.Literal(2)])
  t.equal(walk(Numbers, 3, 'n')?.type, 'bad_request')
  const Mixed = Type.Union([Type.String(), Type.Integer()])
  t.equal(walk(Mixed, true, 'm')?.type, 'bad_request')
})

t.test('compileValidator: fast path, first fault, non-objects', async (t) => {
  const v = compileValidator<{ a: string }>(Type.Object({ a: Type.String() }, { additionalProperties: false }))
  const ok = { a: 'x' }
  t.equal(v(ok), ok, 'the value itself when valid')
  for (const bad of [null, [], 'a', 1, true, undefined]) {
    t.throws(() => v(bad), { name: 'DevRevError', type: 'bad_request' }, `${JSON.stringify(bad)} is not an object`)
  }
  t.throws(() => v({ a: 1 }), { name: 'DevRevError', type: 'unexpected_json_type', fields: { field_name: 'a' } })
  t.throws(() => v({ a: 'x', b: 1 }), { name: 'DevRevError', type: 'invalid_field', fields: { field_name: 'b' } })
})

t.test('the corpus schema: records, literals and unknown values in the walk', async (t) => {
  const v = compileValidator(Corpus)
  const web = {
    type: 'web',
    platform: 'web',
    session_id: 's',
    created_at: '2026-01-01T00:00:00Z',
    dead_click_count: 0,
    rage_click_count: 0,
    session_duration_ms: 1,
    device_metadata: { type: 'desktop' },
    version_key: 'v',
    network_metadata: { status_counts: { '200': 1 } },
    details: { attributes: { deep: { any: ['thing'] } } },
  }
  t.same(v({ sessions: [web] }), { sessions: [web] })
  t.throws(() => v({ sessions: [{ ...web, network_metadata: { status_counts: { '200': 'one' } } }] }), {
    name: 'DevRevError',
    type: 'unexpected_json_type',
    fields: { field_name: 'sessions[0].network_metadata.status_counts.200' },
  })
  t.throws(() => v({ sessions: [{ ...web, platform: 'ios' }] }), { name: 'DevRevError', type: 'invalid_enum_value', fields: { field_name: 'sessions[0].platform', allowed_values: ['web'] } })
  t.throws(() => v({ sessions: [web, { ...web, details: { pages: [{ name: 'x' }] } }] }), { name: 'DevRevError', type: 'missing_required_field', fields: { field_name: 'sessions[1].details.pages[0].url' } })
})

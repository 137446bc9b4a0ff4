import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  answerOf,
  errorTypeOf,
  FaultRuleError,
  loadFaultsFile,
  parseRule,
  parseRuleList,
  parseRules,
} from '../../../src/core/faults/rules.ts'
import { CANONICAL_TYPE_BY_STATUS, DevRevError, ERROR_CATALOGUE, ERROR_TYPES } from '../../../src/contract/catalogue.ts'
import { ownFieldsOf } from '../../../src/contract/schemas/faults.ts'

/** The DevRevError a bad rule throws: its type and the key it names. */
function rejection(value: unknown, path?: string): { type: string; field: unknown; message: string } {
  try {
    parseRule(value, path)
  } catch (e) {
    if (!(e instanceof DevRevError)) throw e
    const err = e
    return { type: err.type, field: err.fields.field_name, message: err.message }
  }
  throw new Error(`accepted: ${JSON.stringify(value)}`)
}

t.test('a valid rule comes back as a copy, unchanged', async (t) => {
  const rule = {
    error: 'too_many_requests',
    retry_after: 3,
    message: 'slow down',
    detail: 'd',
    delay_ms: 5,
    match: { endpoint: 'sessions.list', method: 'POST', token: 't1', body: { platform: 'ios' }, headers: { 'X-A': 'b' } },
    after: 2,
    times: 3,
    every: 5,
    probability: 0.1,
  }
  const parsed = parseRule(rule)
  t.same(parsed, rule)
  t.not(parsed, rule)
  t.not(parsed.match, rule.match)
})

t.test('the shape is checked key by key, naming the key', async (t) => {
  t.match(rejection({ error: 'nope' }), { type: 'invalid_enum_value', field: 'error' })
  t.match(rejection({ error: 'forbidden', colour: 'red' }), { type: 'invalid_field', field: 'colour' })
  t.match(rejection({ delay_ms: 'slow' }), { type: 'unexpected_json_type', field: 'delay_ms' })
  t.match(rejection({ delay_ms: -1 }), { type: 'value_not_permitted', field: 'delay_ms' })
  t.match(rejection({ delay_ms: 300_001 }), { type: 'value_not_permitted', field: 'delay_ms' })
  t.match(rejection({ error: 'forbidden', probability: 1.5 }), { type: 'value_not_permitted', field: 'probability' })
  t.match(rejection({ error: 'forbidden', times: 0 }), { type: 'value_not_permitted', field: 'times' })
  t.match(rejection({ error: 'forbidden', every: 0 }), { type: 'value_not_permitted', field: 'every' })
  t.match(rejection({ error: 'forbidden', after: 1.5 }), { type: 'value_not_permitted', field: 'after' })
  t.match(rejection({ fault: 'meltdown' }), { type: 'invalid_enum_value', field: 'fault' })
  t.match(rejection({ error: 'forbidden', match: { endpoint: 'works.list' } }), {
    type: 'invalid_enum_value',
    field: 'match.endpoint',
  })
  t.match(rejection({ error: 'forbidden', match: { method: 'PUT' } }), { type: 'invalid_enum_value', field: 'match.method' })
  t.match(rejection({ error: 'forbidden', match: { token: '' } }), { type: 'value_not_permitted', field: 'match.token' })
  t.match(rejection({ error: 'forbidden', match: { path: '/x' } }), { type: 'invalid_field', field: 'match.path' })
  t.match(rejection({ error: 'forbidden', match: { headers: { a: 1 } } }), {
    type: 'unexpected_json_type',
    field: 'match.headers.a',
  })
  t.match(rejection({ error: 'forbidden', match: { body: [] } }), { type: 'unexpected_json_type', field: 'match.body' })
  t.match(rejection({ error: 'invalid_enum_value', allowed_values: [1] }), {
    type: 'unexpected_json_type',
    field: 'allowed_values[0]',
  })
})

t.test('a rule must be an object', async (t) => {
  t.match(rejection('boom'), { type: 'unexpected_json_type', field: 'rule', message: /must be a JSON object, got string/ })
  t.match(rejection(null, '[3]'), { type: 'unexpected_json_type', field: '[3]' })
  t.match(rejection([]), { type: 'unexpected_json_type', field: 'rule', message: /got array/ })
})

t.test('the checks between keys name the key at fault', async (t) => {
  t.match(rejection({ status: 418 }), { type: 'invalid_enum_value', field: 'status' })
  t.match(rejection({ error: 'forbidden', status: 404 }), { type: 'value_not_permitted', field: 'status', message: /answers 403/ })
  t.match(rejection({ error: 'forbidden', fault: 'empty_response' }), { type: 'value_not_permitted', field: 'fault' })
  t.match(rejection({ status: 500, fault: 'connection_reset' }), { type: 'value_not_permitted', field: 'fault' })
  t.match(rejection({}), { type: 'missing_required_field', field: 'error', message: /error, status, fault or delay_ms/ })
  t.match(rejection({ match: { endpoint: 'sessions.list' }, times: 1 }), { type: 'missing_required_field', field: 'error' })
  t.match(rejection({ error: 'internal_error', max_bytes: 3 }), {
    type: 'invalid_field',
    field: 'max_bytes',
    message: /not a field of internal_error \(its fields: reference_id\)/,
  })
  t.match(rejection({ error: 'forbidden', retry_after: 3 }), { type: 'invalid_field', field: 'retry_after', message: /none/ })
  t.match(rejection({ fault: 'connection_reset', message: 'x' }), { type: 'invalid_field', field: 'message' })
  t.match(rejection({ delay_ms: 10, detail: 'x' }), { type: 'invalid_field', field: 'detail' })
  t.match(rejection({ delay_ms: 10, retry_after: 2 }), { type: 'invalid_field', field: 'retry_after' })
  // A matching pair of error and status is fine; undefined keys (from code) are skipped.
  t.same(parseRule({ error: 'not_found', status: 404, message: undefined }), { error: 'not_found', status: 404 })
})

t.test('errors under a path carry it in field_name and message', async (t) => {
  t.match(rejection({ error: 'nope' }, '[2]'), { field: '[2].error', message: /^rule \[2\]: / })
  t.match(rejection({}, '[0]'), { field: '[0].error', message: /^rule \[0\]: a rule needs/ })
})

t.test('parseRules takes one rule or an array, all or nothing', async (t) => {
  t.same(parseRules({ error: 'forbidden' }), [{ error: 'forbidden' }])
  t.same(parseRules([{ status: 503 }, { fault: 'malformed_json' }]), [{ status: 503 }, { fault: 'malformed_json' }])
  t.throws(() => parseRules([{ status: 503 }, { status: 1 }]), { name: 'DevRevError', message: /^rule \[1\]: / })
})

t.test('parseRuleList (the file format) names the index and the key', async (t) => {
  t.same(parseRuleList([]), [])
  t.throws(() => parseRuleList({ error: 'forbidden' }), new FaultRuleError(-1, '', 'must be a JSON array of rules, got object'))
  t.throws(() => parseRuleList([{ error: 'forbidden' }, 7]), { message: 'rule 1: must be a JSON object, got number', index: 1 })
  t.throws(() => parseRuleList([{ error: 'forbidden' }, { error: 'forbidden', bogus: 1 }]), {
    message: 'rule 1, key "bogus": unknown field: bogus',
    index: 1,
    field: 'bogus',
  })
})

t.test('loadFaultsFile reads and parses; parseRuleList validates', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'faults-'))
  const good = join(dir, 'good.json')
  writeFileSync(good, JSON.stringify([{ status: 429, retry_after: 1 }]))
  t.same(parseRuleList(loadFaultsFile(good)), [{ status: 429, retry_after: 1 }])
  t.throws(() => parseRuleList([{ status: 1 }], (i, f, r) => new RangeError(`${i} ${f} ${r}`)), { name: 'RangeError', message: /^0 status / })
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, '[{"error": ')
  t.throws(() => loadFaultsFile(bad), { message: /^not valid JSON: / })
  t.throws(() => loadFaultsFile(join(dir, 'missing.json')), { message: 'cannot read (ENOENT)' })
})

t.test('errorTypeOf: error, or the canonical type of status', async (t) => {
  t.equal(errorTypeOf({ error: 'token_expired' }), 'token_expired')
  for (const [status, type] of Object.entries(CANONICAL_TYPE_BY_STATUS)) t.equal(errorTypeOf({ status: Number(status) }), type)
  t.equal(errorTypeOf({ delay_ms: 1 }), undefined)
})

t.test('answerOf fills every type with its own fields, overridable', async (t) => {
  for (const type of ERROR_TYPES) {
    const a = answerOf(parseRule({ error: type }))
    if (a.kind !== 'error') throw new Error('not an error answer')
    const body = a.error.toBody()
    t.equal(a.error.status, ERROR_CATALOGUE[type].status, type)
    t.same(body, { type, message: ERROR_CATALOGUE[type].message, ...ERROR_CATALOGUE[type].fields }, type)
    t.equal(a.delayMs, 0)
  }
  const tooMany = answerOf(parseRule({ error: 'too_many_requests', retry_after: 7, message: 'm', detail: 'd', delay_ms: 3 }))
  t.match(tooMany, { kind: 'error', delayMs: 3 })
  if (tooMany.kind !== 'error') throw new Error('not an error answer')
  t.same(tooMany.error.toBody(), { type: 'too_many_requests', message: 'm', detail: 'd', retry_after: 7 })
  const vnp = answerOf(parseRule({ error: 'value_not_permitted', field_name: 'cursor', pattern: '^x$', allowed_values: ['a'] }))
  if (vnp.kind !== 'error') throw new Error('not an error answer')
  t.same(vnp.error.toBody(), {
    type: 'value_not_permitted',
    message: 'value not permitted',
    field_name: 'cursor',
    reason: 'must be at least 1',
    allowed_values: ['a'],
    pattern: '^x$',
  })
  t.same(ownFieldsOf('value_not_permitted'), ['field_name', 'reason', 'allowed_values', 'pattern'])
  t.same(answerOf(parseRule({ fault: 'empty_response', delay_ms: 4 })), { kind: 'network', fault: 'empty_response', delayMs: 4 })
  t.same(answerOf(parseRule({ delay_ms: 9 })), { kind: 'delay', delayMs: 9 })
})

t.test('an answer never shares the catalogue defaults', async (t) => {
  const a = answerOf(parseRule({ error: 'invalid_enum_value' }))
  if (a.kind !== 'error') throw new Error('not an error answer')
  ;(a.error.fields.allowed_values as string[]).push('mutated')
  t.same(ERROR_CATALOGUE.invalid_enum_value.fields.allowed_values, ['android', 'ios', 'web'])
})

/** DevRev's error catalogue as data, and the error the core raises (contract NOTES §4). */
import t from 'tap'
import {
  CANONICAL_TYPE_BY_STATUS,
  DevRevError,
  ERROR_CATALOGUE,
  ERROR_TYPES,
  errors,
  isErrorType,
} from '../../src/contract/catalogue.ts'

t.test('every documented type with its status (contract NOTES §4)', async (t) => {
  const byStatus: Record<number, string[]> = {}
  for (const type of ERROR_TYPES) (byStatus[ERROR_CATALOGUE[type].status] ??= []).push(type)
  t.same(byStatus[401]!.sort(), ['dev_org_deactivated', 'token_expired', 'token_revoked', 'unauthenticated'])
  t.same(byStatus[403], ['forbidden'])
  t.same(byStatus[404], ['not_found'])
  t.same(byStatus[413], ['request_entity_too_large'])
  t.same(byStatus[429], ['too_many_requests'])
  t.same(byStatus[500], ['internal_error'])
  t.same(byStatus[503], ['service_unavailable'])
  for (const type of ['bad_request', 'parse_error', 'invalid_enum_value', 'invalid_field', 'missing_required_field', 'unexpected_json_type', 'value_not_permitted', 'invalid_id', 'invalid_content_type']) {
    t.equal(ERROR_CATALOGUE[type as keyof typeof ERROR_CATALOGUE].status, 400, type)
  }
  t.same(Object.keys(ERROR_CATALOGUE.request_entity_too_large.fields), ['max_bytes'])
  t.same(Object.keys(ERROR_CATALOGUE.too_many_requests.fields), ['retry_after'])
  t.same(Object.keys(ERROR_CATALOGUE.internal_error.fields), ['reference_id'])
  t.same([...ERROR_CATALOGUE.unexpected_json_type.required].sort(), ['actual', 'expected', 'field_name'])
  for (const type of ERROR_TYPES) {
    const e = ERROR_CATALOGUE[type]
    for (const r of e.required) t.ok(r in e.fields, `${type}: required ${r} has a default`)
    t.ok(e.message.length > 0)
  }
  for (const [status, type] of Object.entries(CANONICAL_TYPE_BY_STATUS)) t.equal(ERROR_CATALOGUE[type].status, Number(status), `${status} → ${type}`)
})

t.test('isErrorType', async (t) => {
  t.equal(isErrorType('not_found'), true)
  t.equal(isErrorType('too_many_requests'), true)
  t.equal(isErrorType('nope'), false)
  t.equal(isErrorType('toString'), false, 'not an inherited name')
  t.equal(isErrorType(404), false)
  t.equal(isErrorType(undefined), false)
})

t.test('DevRevError: flat body, type first, own fields and detail', async (t) => {
  const plain = new DevRevError('not_found')
  t.equal(plain.status, 404)
  t.equal(plain.message, 'not found', 'the catalogue message by default')
  t.equal(plain.name, 'DevRevError')
  t.equal(JSON.stringify(plain.toBody()), '{"type":"not_found","message":"not found"}')

  const full = new DevRevError('too_many_requests', { retry_after: 3, gone: undefined }, { message: 'slow down', detail: 'window' })
  t.equal(full.status, 429)
  t.equal(JSON.stringify(full.toBody()), '{"type":"too_many_requests","message":"slow down","detail":"window","retry_after":3}', 'undefined fields are left out')
  t.ok(full instanceof Error)
})

t.test('the validation shorthands', async (t) => {
  t.same(errors.missingField('a.b').toBody(), { type: 'missing_required_field', message: 'missing required field: a.b', field_name: 'a.b' })
  t.same(errors.invalidField('x').toBody(), { type: 'invalid_field', message: 'unknown field: x', field_name: 'x' })
  t.same(errors.invalidField('cursor', 'bad cursor').toBody(), { type: 'invalid_field', message: 'bad cursor', field_name: 'cursor' })
  t.same(errors.invalidEnum('mode', 'x', ['after', 'before']).toBody(), {
    type: 'invalid_enum_value',
    message: 'invalid value for mode: x',
    field_name: 'mode',
    value: 'x',
    allowed_values: ['after', 'before'],
  })
  t.same(errors.unexpectedType('limit', 'number', 'string').toBody(), {
    type: 'unexpected_json_type',
    message: 'limit must be of type number, got string',
    field_name: 'limit',
    expected: 'number',
    actual: 'string',
  })
  t.same(errors.notPermitted('limit', 'must be at least 1').toBody(), { type: 'value_not_permitted', message: 'limit must be at least 1', field_name: 'limit', reason: 'must be at least 1' })
  t.same(errors.notPermitted('p', 'r', { allowed_values: ['a'], pattern: '^a$' }).toBody(), {
    type: 'value_not_permitted',
    message: 'p r',
    field_name: 'p',
    allowed_values: ['a'],
    pattern: '^a$',
    reason: 'r',
  })
})

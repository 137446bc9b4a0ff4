import t from 'tap'
import { parsePreferences, preferRule } from '../../src/http/prefer.ts'
import { DevRevError } from '../../src/contract/catalogue.ts'

t.test('parsePreferences reads RFC 7240 preferences', async (t) => {
  t.same(parsePreferences(undefined), [])
  t.same(parsePreferences(''), [])
  t.same(parsePreferences('respond-async, wait=10'), [
    { name: 'respond-async', value: undefined },
    { name: 'wait', value: '10' },
  ])
  // Names are case-insensitive; spaces around `=` are allowed; parameters after `;` are dropped.
  t.same(parsePreferences('Error = too_many_requests ; x=y, Retry_After=2'), [
    { name: 'error', value: 'too_many_requests' },
    { name: 'retry_after', value: '2' },
  ])
  // Quoted strings keep their commas, semicolons and escaped quotes.
  t.same(parsePreferences('message="a, b; \\"c\\"", detail=x'), [
    { name: 'message', value: 'a, b; "c"' },
    { name: 'detail', value: 'x' },
  ])
  // Several headers are read as one list; empty members are skipped.
  t.same(parsePreferences(['code=503', ' , delay=5']), [
    { name: 'code', value: '503' },
    { name: 'delay', value: '5' },
  ])
  t.same(parsePreferences('trailing\\'), [{ name: 'trailing\\', value: undefined }])
})

t.test('preferRule: Prism-style and rule-key spellings', async (t) => {
  t.equal(preferRule(undefined), undefined)
  t.equal(preferRule('return=minimal, example=ok, dynamic=true'), undefined, 'preferences that are not rule keys are ignored')
  t.same(preferRule('error=too_many_requests, retry_after=2'), {
    rule: { error: 'too_many_requests', retry_after: 2 },
    applied: 'error=too_many_requests, retry_after=2',
  })
  t.same(preferRule('code=503'), { rule: { status: 503 }, applied: 'code=503' })
  t.same(preferRule('delay=300, return=minimal'), { rule: { delay_ms: 300 }, applied: 'delay=300' })
  t.same(preferRule('status=404, delay_ms=1'), { rule: { status: 404, delay_ms: 1 }, applied: 'status=404, delay_ms=1' })
  t.same(preferRule('fault=connection_reset'), { rule: { fault: 'connection_reset' }, applied: 'fault=connection_reset' })
  t.same(preferRule('error=bad_request, message="no way, sorry", detail=d'), {
    rule: { error: 'bad_request', message: 'no way, sorry', detail: 'd' },
    applied: 'error=bad_request, message="no way, sorry", detail=d',
  })
})

t.test('preferRule reads own fields by their JSON type', async (t) => {
  t.same(preferRule('error=invalid_enum_value, field_name=platform, value=x, allowed_values="a,b"')?.rule, {
    error: 'invalid_enum_value',
    field_name: 'platform',
    value: 'x',
    allowed_values: ['a', 'b'],
  })
  t.same(preferRule('error=value_not_permitted, field_name=f, allowed_values=""')?.rule, {
    error: 'value_not_permitted',
    field_name: 'f',
    allowed_values: [],
  })
  t.same(preferRule('error=artifact_already_attached_to_a_parent, is_same=true')?.rule, {
    error: 'artifact_already_attached_to_a_parent',
    is_same: true,
  })
  t.same(preferRule('error=artifact_already_attached_to_a_parent, is_same=false')?.rule, {
    error: 'artifact_already_attached_to_a_parent',
    is_same: false,
  })
  t.same(preferRule('error=request_entity_too_large, max_bytes=10')?.rule, { error: 'request_entity_too_large', max_bytes: 10 })
})

function rejection(header: string): { type: string; field: unknown; message: string } {
  try {
    preferRule(header)
  } catch (e) {
    if (!(e instanceof DevRevError)) throw e
    return { type: e.type, field: e.fields.field_name, message: e.message }
  }
  throw new Error(`accepted: ${header}`)
}

t.test('a bad value is a 400 naming the preference as written', async (t) => {
  t.match(rejection('code=418'), { type: 'invalid_enum_value', field: 'code', message: /^Prefer header, code: / })
  t.match(rejection('delay=soon'), { type: 'unexpected_json_type', field: 'delay' })
  t.match(rejection('error=nope'), { type: 'invalid_enum_value', field: 'error' })
  t.match(rejection('error'), { type: 'invalid_enum_value', field: 'error' })
  t.match(rejection('error=forbidden, is_same=maybe'), { type: 'unexpected_json_type', field: 'is_same' })
  t.match(rejection('error=forbidden, retry_after=2'), { type: 'invalid_field', field: 'retry_after' })
  t.match(rejection('retry_after=2'), { type: 'missing_required_field', field: 'error', message: /error, status, fault or delay_ms/ })
  t.match(rejection('code=404, error=forbidden'), { type: 'value_not_permitted', field: 'code' })
  t.match(rejection('times=2, code=503'), { type: 'invalid_field', field: 'times', message: /stored rules/ })
  t.match(rejection('match=x'), { type: 'invalid_field', field: 'match' })
})

/**
 * Reading GET query strings the way DevRev's clients write them (src/http/validation.ts): quotes
 * around a value stripped, arrays comma-joined or repeated, integers from digits, everything else a
 * string for the schema to judge.
 */
import t from 'tap'
import { Type } from '@sinclair/typebox'
import { readQuery, validatorCompiler } from '../../src/http/validation.ts'
import { ListQuery, GetRequest } from '../../src/contract/schemas/requests.ts'
import { buildTestApp, AUTH } from '../helpers/app.ts'

t.test('readQuery', async (t) => {
  const q = (query: Record<string, unknown>) => ({ ...readQuery(ListQuery, query) })
  t.same(q({ platform: '"web"', version_key: 'x', limit: '10' }), { platform: 'web', version_key: 'x', limit: 10 })
  t.same(q({ limit: '-3' }), { limit: -3 }, 'negative digits are a number (the schema judges it)')
  t.same(q({ limit: '1.5' }), { limit: '1.5' }, 'not digits: left a string')
  t.same(q({ limit: '"7"' }), { limit: 7 })
  t.same(q({ sort_by: '"created_at:desc","session_duration_ms"' }), { sort_by: ['created_at:desc', 'session_duration_ms'] })
  t.same(q({ sort_by: ['a', 'b,c'] }), { sort_by: ['a', 'b', 'c'] }, 'repeated and comma-joined')
  t.same(q({ platform: ['ios', 'web'] }), { platform: 'web' }, 'a repeated scalar: the last one')
  t.same(q({ version_key: '"abc' }), { version_key: '"abc' }, 'an unbalanced quote stays')
  t.same(q({ version_key: 'abc"' }), { version_key: 'abc"' })
  t.same(q({ version_key: '"' }), { version_key: '"' }, 'a lone quote stays')
  t.same(q({ version_key: '""' }), { version_key: '' }, 'two quotes: empty')
  t.same(q({ colour: '"red"' }), { colour: 'red' }, 'unknown keys are read as strings (and refused by the schema)')
  t.equal(Object.getPrototypeOf(readQuery(ListQuery, {})), null)
  t.same({ ...readQuery(Type.Unknown(), { a: '"1"', b: ['x', 'y'] }) }, { a: '1', b: 'y' }, 'a schema without properties: every value a string')
})

t.test('the validator compiler: query and body', async (t) => {
  const query = validatorCompiler({ schema: GetRequest, httpPart: 'querystring', method: 'GET', url: '/x' }) as (d: unknown) => { value?: unknown; error?: { type?: string; fields?: Record<string, unknown> } }
  t.same(query({ platform: 'web', version_key: 'v', session_id: '"s"' }).value, { platform: 'web', version_key: 'v', session_id: 's' })
  t.match(query(undefined).error, { type: 'missing_required_field', fields: { field_name: 'platform' } }, 'no query at all')
  const body = validatorCompiler({ schema: GetRequest, httpPart: 'body', method: 'POST', url: '/x' }) as typeof query
  t.match(body({ platform: 'web', version_key: 'v', session_id: '"s"' }).value, { session_id: '"s"' }, 'bodies are not unquoted')
  t.match(body([]).error, { type: 'bad_request' })
})

t.test('unbalanced quotes through HTTP', async (t) => {
  const app = await buildTestApp({ sessions: 20 })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/observability.sessions.list?platform=web&version_key=%22shop.example.com', headers: AUTH })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { sessions: [] }, 'version_key "shop.example.com (with the quote) is another app')
  const platform = await app.inject({ method: 'GET', url: '/observability.sessions.list?platform=%22web&version_key=x', headers: AUTH })
  t.match(platform.json(), { type: 'invalid_enum_value', field_name: 'platform', value: '"web' })
})

/**
 * How errors leave (src/http/plugins/errors.ts): DevRevErrors as they are, Fastify's own errors
 * translated, a bug as 500 internal_error with a reference_id; never Fastify's default body.
 */
import t from 'tap'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { translate } from '../../src/http/plugins/errors.ts'
import { DevRevError } from '../../src/contract/catalogue.ts'
import { errorBodyForStatus, ErrorBodies, RouteNotFound } from '../../src/contract/schemas/errors.ts'
import { buildTestApp } from '../helpers/app.ts'

const req = { id: 'req-7', headers: { 'content-type': 'text/csv' } } as unknown as FastifyRequest
const fastifyError = (code: string, statusCode?: number, message = 'boom') => Object.assign(new Error(message), { code, statusCode }) as FastifyError

t.test('translate: Fastify errors in DevRev words', async (t) => {
  const own = new DevRevError('not_found')
  t.equal(translate(own as unknown as FastifyError, req, 10), own, 'a DevRevError passes as it is')
  t.same(translate(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), req, 1234).toBody(), {
    type: 'request_entity_too_large',
    message: 'request body is larger than 1234 bytes',
    max_bytes: 1234,
  })
  t.same(translate(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), req, 1).toBody(), {
    type: 'invalid_content_type',
    message: 'the request body must be application/json',
    value: 'text/csv',
  })
  const noType = { id: 'x', headers: {} } as unknown as FastifyRequest
  t.equal(translate(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), noType, 1).fields.value, '', 'no content type at all: empty value')
  t.equal(translate(fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400), req, 1).type, 'parse_error')
  t.equal(translate(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400), req, 1).type, 'parse_error')
  const syntax = translate(new SyntaxError('Unexpected token }') as FastifyError, req, 1)
  t.same(syntax.toBody(), { type: 'parse_error', message: 'malformed JSON: Unexpected token }' })
  t.same(translate(fastifyError('FST_ERR_BAD_URL', 400, "'/%zz' is not a valid url component"), req, 1).toBody(), {
    type: 'bad_request',
    message: "'/%zz' is not a valid url component",
  })
  t.same(translate(fastifyError('ANY', 502), req, 1).toBody(), { type: 'internal_error', message: 'internal error', reference_id: 'req-7' })
  t.same(translate(new Error('bug') as FastifyError, req, 1).toBody(), { type: 'internal_error', message: 'internal error', reference_id: 'req-7' }, 'no status: a bug, 500')
})

t.test('a bug in a handler: 500 internal_error with the request id as reference_id', async (t) => {
  const crash = fp(async (app: FastifyInstance) => {
    app.get('/test/crash', async () => {
      throw new Error('a bug')
    })
    app.get('/test/teapot', async () => {
      throw Object.assign(new Error('short and stout'), { statusCode: 418 })
    })
  })
  const app = await buildTestApp({ sessions: 5, plugins: [crash] })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/test/crash', headers: { 'x-request-id': 'trace-42' } })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { type: 'internal_error', message: 'internal error', reference_id: 'trace-42' })
  const generated = await app.inject({ method: 'GET', url: '/test/crash' })
  t.match(generated.json(), { type: 'internal_error', reference_id: /\S/ }, 'a generated id when none is sent')
  const teapot = await app.inject({ method: 'GET', url: '/test/teapot' })
  t.equal(teapot.statusCode, 400, 'sent with bad_request\'s status')
  t.same(teapot.json(), { type: 'bad_request', message: 'short and stout' }, 'another 4xx: bad_request, DevRev-shaped')
})

t.test('error body schemas', async (t) => {
  t.equal(ErrorBodies.too_many_requests.properties.type.const, 'too_many_requests')
  t.same(Object.keys(ErrorBodies.too_many_requests.properties).sort(), ['detail', 'message', 'retry_after', 'type'])
  t.equal(errorBodyForStatus(404), ErrorBodies.not_found, 'one type: its schema')
  const many = errorBodyForStatus(401)
  t.same(many.anyOf.map((s: { title: string }) => s.title).sort(), ['error-dev_org_deactivated', 'error-token_expired', 'error-token_revoked', 'error-unauthenticated'])
  t.equal(RouteNotFound.properties.message.const, 'route not found')
})

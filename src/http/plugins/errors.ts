/**
 * Every 4xx/5xx leaves in DevRev's flat error shape, never Fastify's `{statusCode, error, message}`:
 * DevRevErrors as they are, Fastify's own errors (body parsing, size, media type) translated, and an
 * unknown route as DevRev answers it, `404 {"message":"route not found"}`.
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DevRevError, type ErrorType } from '../../contract/catalogue.ts'
import { drainThen } from '../drain.ts'
import { sendJson } from '../reply.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The `type` of the DevRev error this request was answered with; null for none. */
    errorType: ErrorType | null
    /** The `Retry-After` (seconds) it was told; null for none. */
    retryAfter: number | null
  }
}

/**
 * Sends a DevRevError, noting its type and any `Retry-After` on the request as it goes: the journal
 * and the retry memory read them there instead of parsing the body or the headers back. Every 429
 * carries `Retry-After`, equal to the body's `retry_after`.
 */
export function sendDevRevError(reply: FastifyReply, err: DevRevError): FastifyReply {
  const req = reply.request
  req.errorType = err.type
  if (err.type === 'too_many_requests') {
    req.retryAfter = Number(err.fields.retry_after)
    reply.header('retry-after', String(err.fields.retry_after))
  }
  return sendJson(reply.code(err.status), JSON.stringify(err.toBody()))
}

/** Fastify's own errors, in DevRev's words. */
export function translate(err: FastifyError, req: FastifyRequest, maxBodyBytes: number): DevRevError {
  // A POST without any body (no content type either) reaches validation as null; it is an empty
  // body, as with `Content-Type: application/json` and nothing after it, not a null to validate.
  // Told apart here, on the error path, rather than by a hook on every request.
  // An empty body with a content type is left undefined by the JSON parser (http/json-body.ts).
  if (err.validationContext === 'body' && (req.body === undefined || (req.body === null && req.headers['content-type'] === undefined))) {
    return new DevRevError('parse_error', {}, { message: 'the request body is empty' })
  }
  if (err instanceof DevRevError) return err
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DevRevError('request_entity_too_large', { max_bytes: maxBodyBytes }, {
        message: `request body is larger than ${maxBodyBytes} bytes`,
      })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DevRevError('invalid_content_type', { value: req.headers['content-type'] ?? '' }, {
        message: 'the request body must be application/json',
      })
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DevRevError('parse_error', {}, { message: 'the request body is empty' })
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new DevRevError('parse_error', {}, { message: 'the request body is not valid JSON' })
  }
  if (err instanceof SyntaxError) return new DevRevError('parse_error', {}, { message: `malformed JSON: ${err.message}` })
  const status = err.statusCode ?? 500
  if (status < 500) return new DevRevError('bad_request', {}, { message: err.message })
  return new DevRevError('internal_error', { reference_id: String(req.id) }, { message: 'internal error' })
}

export default fp<{ maxBodyBytes: number }>(
  async (app, opts) => {
    app.decorateRequest('errorType', null)
    app.decorateRequest('retryAfter', null)
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const e = translate(err, req, opts.maxBodyBytes)
      if (e.status >= 500) req.log.error({ err }, 'internal error')
      // Refused by its size before it was read: answered once the client has sent it (Fastify has
      // already asked for `Connection: close`), so the client can read the answer.
      if (e.type === 'request_entity_too_large') return drainThen(req.raw, () => sendDevRevError(reply, e))
      return sendDevRevError(reply, e)
    })
    app.setNotFoundHandler((_req, reply) => {
      return sendJson(reply.code(404), '{"message":"route not found"}')
    })
  },
  { name: 'devrev-errors' },
)

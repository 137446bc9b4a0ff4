/**
 * The emulated DevRev endpoints: POST/GET /observability.sessions.list and .get. Routes validate
 * (through the schemas), call the core and write the answer; sessions go out pre-serialized.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { GetRequest, GetResponse, ListQuery, ListRequest, ListResponse } from '../../schemas/requests.js'
import { sessionBytes, sessionJson, type SessionRecord } from '../../core/corpus/store.js'
import type { ListResult } from '../../core/query/engine.js'
import { sendJson } from '../reply.js'
import { DevRevError } from '../../core/errors/catalogue.js'
const tags = ['observability']

const COMMA = Buffer.from(',')
const TAIL = Buffer.from(']}')

/**
 * The page as bytes, copied once from each session's memoized UTF-8: no string is built, flattened
 * or encoded per request (that was most of a page's cost; see README, Performance).
 */
function listBody(r: ListResult): Buffer {
  let head = '{'
  if (r.next_cursor !== undefined) head += `"next_cursor":"${r.next_cursor}",`
  if (r.prev_cursor !== undefined) head += `"prev_cursor":"${r.prev_cursor}",`
  const first = Buffer.from(`${head}"sessions":[`)
  const parts: Buffer[] = [first]
  let length = first.length + TAIL.length
  for (let i = 0; i < r.sessions.length; i++) {
    const b = sessionBytes(r.sessions[i]!)
    if (i > 0) parts.push(COMMA)
    parts.push(b)
    length += b.length + (i > 0 ? 1 : 0)
  }
  parts.push(TAIL)
  return Buffer.concat(parts, length)
}

const sessionBody = (rec: SessionRecord) => `{"session":${sessionJson(rec)}}`

/**
 * Sends and returns nothing. Returning the reply (a thenable) from a handler makes Fastify wait on it
 * with end-of-stream listeners while the async onSend hooks run: measurable work on every request.
 */
function answer(reply: FastifyReply, body: string | Buffer): void {
  sendJson(reply, body)
}

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A POST without any body (no content type either) is an empty body, as with `Content-Type:
  // application/json` and nothing after it: parse_error, not a `null` to validate.
  app.addHook('preValidation', async (req) => {
    if (req.method === 'POST' && req.body == null && req.headers['content-type'] === undefined) {
      throw new DevRevError('parse_error', {}, { message: 'the request body is empty' })
    }
  })

  app.post(
    '/observability.sessions.list',
    {
      schema: {
        operationId: 'observability-sessions-list-post',
        summary: 'List Observability Sessions (POST)',
        tags,
        body: ListRequest,
        response: { 200: ListResponse },
      },
    },
    // Handlers are synchronous and return nothing (see `answer`); a throw still reaches the error handler.
    (req, reply) => answer(reply, listBody(app.mock.list(req.body))),
  )

  app.get(
    '/observability.sessions.list',
    {
      schema: {
        operationId: 'observability-sessions-list',
        summary: 'List Observability Sessions (GET)',
        tags,
        querystring: ListQuery,
        response: { 200: ListResponse },
      },
    },
    (req, reply) => {
      const type = req.query.platform === 'web' ? ('web' as const) : ('mobile' as const)
      answer(reply, listBody(app.mock.list({ ...req.query, type })))
    },
  )

  app.post(
    '/observability.sessions.get',
    {
      schema: {
        operationId: 'observability-sessions-get-post',
        summary: 'Get Observability Session (POST)',
        tags,
        body: GetRequest,
        response: { 200: GetResponse },
      },
    },
    (req, reply) => answer(reply, sessionBody(app.mock.get(req.body))),
  )

  app.get(
    '/observability.sessions.get',
    {
      schema: {
        operationId: 'observability-sessions-get',
        summary: 'Get Observability Session (GET)',
        tags,
        querystring: GetRequest,
        response: { 200: GetResponse },
      },
    },
    (req, reply) => answer(reply, sessionBody(app.mock.get(req.query))),
  )
}

export default sessionRoutes

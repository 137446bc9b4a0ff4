/**
 * The emulated DevRev endpoints: POST/GET /observability.sessions.list and .get. Routes validate
 * (through the schemas), call the core and write the answer; sessions go out pre-serialized.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { GetRequest, GetResponse, ListQuery, ListRequest, ListResponse } from '../../contract/schemas/requests.ts'
import { sessionBytes, sessionJson, type SessionRecord } from '../../core/corpus/record.ts'
import type { ListResult } from '../../core/query/engine.ts'
import { sendJson } from '../reply.ts'
import { BufferPool } from '../buffer-pool.ts'
const tags = ['observability']

const TAIL = Buffer.from(']}')

/**
 * The page as bytes, copied from each session's memoized UTF-8 (no string is built, flattened or
 * encoded per request) into a pooled buffer (no allocation per request). Sessions whose bytes lie
 * next to each other in the arena (a page asked for before, in the same order) are copied as one
 * run. Returns the bytes and the pooled buffer they live in, if any, to give back once the response
 * has finished.
 */
export function listBody(r: ListResult, pool?: BufferPool): { body: Buffer; pooled?: Buffer } {
  let head = '{'
  if (r.next_cursor !== undefined) head += `"next_cursor":"${r.next_cursor}",`
  if (r.prev_cursor !== undefined) head += `"prev_cursor":"${r.prev_cursor}",`
  head += '"sessions":['
  const n = r.sessions.length
  // head is ASCII (cursors are base64url and hex): one byte per character. Each session's bytes end
  // with a comma; the last one's is where the tail goes.
  let length = head.length + TAIL.length - (n > 0 ? 1 : 0)
  for (let i = 0; i < n; i++) {
    const s = sessionBytes(r.sessions[i]!)
    length += s.end - s.start
  }
  const pooled = pool?.take(length)
  const out = pooled ?? Buffer.allocUnsafe(length)
  let at = out.write(head, 0, 'latin1')
  if (n > 0) {
    let run = sessionBytes(r.sessions[0]!)
    let runEnd = run.end
    for (let i = 1; i < n; i++) {
      const s = sessionBytes(r.sessions[i]!)
      if (s.buf === run.buf && s.start === runEnd) runEnd = s.end
      else {
        at += run.buf.copy(out, at, run.start, runEnd)
        run = s
        runEnd = s.end
      }
    }
    // The last session's comma is where the tail goes.
    at += run.buf.copy(out, at, run.start, runEnd) - 1
  }
  out.set(TAIL, at)
  return { body: out.subarray(0, length), pooled }
}

const sessionBody = (rec: SessionRecord) => `{"session":${sessionJson(rec)}}`

/**
 * Sends and returns nothing. Returning the reply (a thenable) from a handler makes Fastify wait on it
 * with end-of-stream listeners while the async onSend hooks run: measurable work on every request.
 */
function answer(reply: FastifyReply, body: string | Buffer): void {
  sendJson(reply, body)
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The pooled buffer a list page was written into, given back once the response is sent. */
    pooledBody: Buffer | null
  }
}

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const pool = new BufferPool()
  app.decorateRequest('pooledBody', null)
  // onResponse runs once the response has been handed to the OS (the 'finish' event): no listener
  // of its own per request.
  app.addHook('onResponse', (req, _reply, done) => {
    if (req.pooledBody !== null) pool.give(req.pooledBody)
    done()
  })
  /**
   * The bytes of each page the core has answered more than once (it hands back the very same page
   * for a repeated request), made the second time it is asked for and then sent as they are. A page
   * asked for once, as each page of a walk is, is written into a pooled buffer instead.
   */
  const bytesOf = new WeakMap<ListResult, Buffer | null>()
  const page = (req: FastifyRequest, reply: FastifyReply, r: ListResult): void => {
    const kept = bytesOf.get(r)
    if (kept === undefined) {
      bytesOf.set(r, null)
      const { body, pooled } = listBody(r, pool)
      if (pooled) req.pooledBody = pooled
      return answer(reply, body)
    }
    if (kept !== null) return answer(reply, kept)
    const { body } = listBody(r)
    bytesOf.set(r, body)
    answer(reply, body)
  }

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
    (req, reply) => page(req, reply, app.mock.list(req.body)),
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
      page(req, reply, app.mock.list({ ...req.query, type }))
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

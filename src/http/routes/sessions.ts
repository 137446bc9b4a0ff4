/**
 * The emulated DevRev endpoints: POST/GET /observability.sessions.list and .get. Routes validate
 * (through the schemas), call the core and write the answer; sessions go out pre-serialized.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { GetRequest, GetResponse, ListQuery, ListRequest, ListResponse } from '../../schemas/requests.js'
import { sessionJson, type SessionRecord } from '../../core/corpus/store.js'
import type { ListResult } from '../../core/query/engine.js'
import { sendJson } from '../reply.js'
const tags = ['observability']

function listBody(r: ListResult): string {
  let s = '{'
  if (r.next_cursor !== undefined) s += `"next_cursor":"${r.next_cursor}",`
  if (r.prev_cursor !== undefined) s += `"prev_cursor":"${r.prev_cursor}",`
  s += '"sessions":['
  for (let i = 0; i < r.sessions.length; i++) s += (i === 0 ? '' : ',') + sessionJson(r.sessions[i]!)
  return `${s}]}`
}

const sessionBody = (rec: SessionRecord) => `{"session":${sessionJson(rec)}}`

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
    async (req, reply) => sendJson(reply, listBody(app.mock.list(req.body))),
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
    async (req, reply) => {
      const type = req.query.platform === 'web' ? ('web' as const) : ('mobile' as const)
      return sendJson(reply, listBody(app.mock.list({ ...req.query, type })))
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
    async (req, reply) => sendJson(reply, sessionBody(app.mock.get(req.body))),
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
    async (req, reply) => sendJson(reply, sessionBody(app.mock.get(req.query))),
  )
}

export default sessionRoutes

/**
 * POST/GET /observability.sessions.data.get: a session's recording (mobile or web), validated like
 * the other emulated endpoints and derived by the core on request. Replay URLs in it point at this
 * server, by the scheme and Host the client used.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { DataGetRequest, DataGetResponse } from '../../contract/schemas/recordings.ts'
import { Recordings } from '../../core/recordings/service.ts'
import { sendJson } from '../reply.ts'

const tags = ['observability']

/** scheme://host of the request, as the client addressed it. */
export const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`

const dataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const recordings = new Recordings(app.mock)
  const answer = (req: FastifyRequest, body: DataGetRequest) => JSON.stringify(recordings.dataGet(body, originOf(req)))

  app.post(
    '/observability.sessions.data.get',
    {
      schema: {
        operationId: 'observability-sessions-data-get-post',
        summary: 'Get Observability Sessions Data (POST)',
        description: "A session's recording: `recording_id` picks a mobile recording, `tab_id` a web tab; absent, the first.",
        tags,
        body: DataGetRequest,
        response: { 200: DataGetResponse },
      },
    },
    (req, reply) => {
      sendJson(reply, answer(req, req.body))
    },
  )

  app.get(
    '/observability.sessions.data.get',
    {
      schema: {
        operationId: 'observability-sessions-data-get',
        summary: 'Get Observability Sessions Data',
        tags,
        querystring: DataGetRequest,
        response: { 200: DataGetResponse },
      },
    },
    (req, reply) => {
      sendJson(reply, answer(req, req.query))
    },
  )
}

export default dataRoutes

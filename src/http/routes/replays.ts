/**
 * GET /__replays/*: the replay objects data.get links to, answered as an object store answers a
 * pre-signed URL: the object, or an XML error (`AccessDenied` / `Request has expired` once the
 * virtual clock passes the URL's expiry). Outside the emulated endpoints: no token, faults, rate
 * limit or journal, as the URL itself is the credential.
 */
import type { FastifyPluginAsync } from 'fastify'
import { Recordings, REPLAY_PATH } from '../../core/recordings/service.ts'
import { pathOf } from '../url.ts'

const xmlEscape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const replayRoutes: FastifyPluginAsync = async (app) => {
  const recordings = new Recordings(app.mock)
  app.get(
    `${REPLAY_PATH}*`,
    {
      // Not in the OpenAPI document: clients never build these URLs, they follow the ones data.get gives.
      schema: { hide: true },
    },
    async (req, reply) => {
      const raw = pathOf(req.url).slice(REPLAY_PATH.length)
      const o = recordings.replayObject(raw, req.query as Record<string, unknown>)
      if ('contentType' in o) return reply.type(o.contentType).send(o.body)
      const extra = Object.entries(o.fields ?? {}).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${o.code}</Code><Message>${xmlEscape(o.message)}</Message>${extra.join('')}` +
        `<RequestId>${xmlEscape(req.id)}</RequestId></Error>`
      return reply.code(o.status).type('application/xml').send(xml)
    },
  )
}

export default replayRoutes

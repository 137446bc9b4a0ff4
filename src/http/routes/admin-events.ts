/**
 * GET /__admin/events: the request journal as Server-Sent Events, one `message` event per entry (the
 * same JSON as an entry of GET /__admin/requests, with the entry's sequence number as its `id`) and a
 * `clear` event when the journal is emptied (DELETE /__admin/requests, reset). A `Last-Event-ID`
 * header (or `?since=N`) first sends the kept entries after N: `0` for all of them. Registered inside
 * routes/admin.ts, so the `--admin-token` guard applies. Every stream ends when the app closes, so
 * an open dashboard never holds the server up.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { openEventStream, type EventStream } from '../sse.ts'

/** Often enough for proxies that drop idle connections after 30 s or more. */
export const HEARTBEAT_MS = 15_000

const EventsQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'send the kept entries after this sequence number first (as Last-Event-ID)' })),
}, { additionalProperties: false })

/** A Last-Event-ID header as a sequence number; anything else is no resume point. */
function lastEventId(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined
}

const adminEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const journal = app.mock.journal
  const streams = new Set<EventStream>()
  app.addHook('preClose', async () => {
    for (const s of streams) s.close()
  })

  app.get(
    '/events',
    {
      schema: {
        summary: 'The request journal live, as Server-Sent Events (one event per entry)',
        tags: ['admin'],
        querystring: EventsQuery,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'an event stream: `data:` the journal entry as JSON, `id:` its sequence number' }) },
      },
    },
    (req, reply) => {
      const since = req.query.since ?? lastEventId(req.headers['last-event-id'])
      reply.hijack()
      const stream = openEventStream(reply.raw, {
        heartbeatMs: HEARTBEAT_MS,
        onClose: () => {
          off()
          streams.delete(stream)
        },
      })
      streams.add(stream)
      if (since !== undefined) for (const { seq, entry } of journal.since(since)) stream.send(JSON.stringify(entry), { id: seq })
      const off = journal.subscribe((e) => {
        if (e.kind === 'clear') stream.send('{}', { event: 'clear' })
        else stream.send(JSON.stringify(e.entry), { id: e.seq })
      })
    },
  )
}

export default adminEventRoutes

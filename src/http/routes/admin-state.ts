/**
 * Admin routes for the mock's state (registered inside routes/admin.ts, so the `--admin-token` guard
 * applies): the virtual clock, the request journal, replacing the corpus, and reset.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DevRevError } from '../../contract/catalogue.ts'
import { duplicateSession } from '../../core/corpus/fixtures.ts'
import { ClockBody, ClockState, CorpusReplaced, JournalList, NoContent } from '../../contract/schemas/admin.ts'
import { Corpus } from '../../contract/schemas/sessions.ts'
import { sendJson } from '../reply.ts'

const tags = ['admin']

/** A corpus export is far larger than any API request: PUT /__admin/corpus takes up to this much. */
export const CORPUS_BODY_LIMIT = 256 * 1024 * 1024

const adminStateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const core = app.mock

  const clockState = () => {
    const now = core.clock.now()
    return { now: new Date(now).toISOString(), now_ms: now, frozen: core.clock.frozen }
  }

  app.get(
    '/clock',
    { schema: { summary: 'The virtual clock', tags, response: { 200: ClockState } } },
    async () => clockState(),
  )

  app.post(
    '/clock',
    {
      schema: {
        summary: 'Move the virtual clock: {"advance_ms": n} forward or {"now": "ISO"} to an instant, and/or {"frozen": true|false}',
        tags,
        body: ClockBody,
        response: { 200: ClockState },
      },
    },
    async (req) => {
      const { advance_ms, now, frozen } = req.body
      if (advance_ms !== undefined && now !== undefined) {
        throw new DevRevError('value_not_permitted', { field_name: 'now', reason: 'give advance_ms or now, not both' }, {
          message: 'give advance_ms or now, not both',
        })
      }
      if (advance_ms === undefined && now === undefined && frozen === undefined) {
        throw new DevRevError('missing_required_field', { field_name: 'advance_ms' }, {
          message: 'give advance_ms (milliseconds forward), now (an ISO date-time) and/or frozen (true or false)',
        })
      }
      let at: number | undefined
      if (advance_ms !== undefined) at = core.clock.advance(advance_ms)
      else if (now !== undefined) at = core.clock.set(Date.parse(now))
      // Frozen where it was just put: reading the running clock again could land a millisecond later.
      if (frozen === true) core.clock.freeze(at)
      else if (frozen === false) core.clock.release()
      return clockState()
    },
  )

  app.get(
    '/requests',
    { schema: { summary: 'The request journal, oldest first', tags, response: { 200: JournalList } } },
    async (_req, reply) => sendJson(reply, JSON.stringify({ requests: core.journal.list() })),
  )

  app.delete(
    '/requests',
    { schema: { summary: 'Empty the journal', tags, response: { 204: NoContent } } },
    async (_req, reply) => {
      core.journal.clear()
      return reply.code(204).send(null)
    },
  )

  app.put(
    '/corpus',
    {
      bodyLimit: CORPUS_BODY_LIMIT,
      schema: {
        summary: 'Replace every session (the fixtures format): all valid, or nothing changed',
        tags,
        body: Corpus,
        response: { 200: CorpusReplaced },
      },
    },
    async (req) => {
      // The route's schema validated the body; what it cannot say is that session ids are unique.
      const dup = duplicateSession(req.body.sessions)
      if (dup) {
        throw new DevRevError('value_not_permitted', { field_name: dup.field, reason: dup.reason }, { message: `${dup.field}: ${dup.reason}` })
      }
      core.replaceCorpus(req.body.sessions)
      return { sessions: core.store.size, version_keys: core.store.versionKeys() }
    },
  )

  app.post(
    '/reset',
    { schema: { summary: 'Back to the start-up state: corpus, fault rules, rate limiter, clock, journal', tags, response: { 204: NoContent } } },
    async (_req, reply) => {
      core.reset()
      return reply.code(204).send(null)
    },
  )
}

export default adminStateRoutes

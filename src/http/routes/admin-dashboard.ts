/**
 * What the dashboard reads beyond the rest of the admin API (registered inside routes/admin.ts, so
 * the `--admin-token` guard applies): each token's count in the rate limiter's window, the corpus
 * counted per app and platform, and a session found by id with its recording. Read-only, and off
 * the emulated endpoints, so looking never shows in the journal nor counts against the limiter.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DevRevError } from '../../contract/catalogue.ts'
import { CorpusCounts, RateLimitTokens, SessionFound, SessionIdParams } from '../../contract/schemas/admin.ts'
import { countByApp, findSession } from '../../core/corpus/summary.ts'
import { tokenHash } from '../../core/journal.ts'
import { Recordings } from '../../core/recordings/service.ts'
import { sendJson } from '../reply.ts'
import { originOf } from './data.ts'

const tags = ['admin']

const adminDashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const core = app.mock
  const recordings = new Recordings(core)

  app.get(
    '/rate-limit/tokens',
    { schema: { summary: "Each token's count in the rate limiter's current window", tags, response: { 200: RateLimitTokens } } },
    async () => ({
      tokens: core.limiter.usage(core.clock.now()).map((u) => ({
        token_hash: tokenHash(u.token),
        used: u.used,
        remaining: u.remaining,
        reset_at: new Date(u.reset * 1000).toISOString(),
      })),
    }),
  )

  app.get(
    '/corpus/counts',
    { schema: { summary: 'Sessions per app and platform', tags, response: { 200: CorpusCounts } } },
    async () => ({ sessions: core.store.size, apps: countByApp(core.store) }),
  )

  app.get(
    '/sessions/:id',
    { schema: { summary: 'A session by id alone, with its first recording', tags, params: SessionIdParams, response: { 200: SessionFound } } },
    async (req, reply) => {
      const rec = findSession(core.store, req.params.id)
      if (!rec) throw new DevRevError('not_found', {}, { message: `no session ${req.params.id} in the corpus` })
      const recording = recordings.dataGet({ session_id: rec.session.session_id, version_key: rec.versionKey }, originOf(req))
      return sendJson(reply, JSON.stringify({ version_key: rec.versionKey, session: rec.session, recording }))
    },
  )
}

export default adminDashboardRoutes

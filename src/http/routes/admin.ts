/**
 * The admin API under /__admin (never faulted, never rate-limited). With `--admin-token T`, every
 * admin call needs `Authorization: Bearer T`, else 401.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '../../contract/schemas/admin.ts'
import { Corpus } from '../../contract/schemas/sessions.ts'
import { adminTokenFromHeader } from '../token.ts'
import { DevRevError } from '../../contract/catalogue.ts'
import { JSON_TYPE } from '../reply.ts'
import { Readable } from 'node:stream'
import adminFaultRoutes from './admin-faults.ts'
import adminStateRoutes from './admin-state.ts'
import adminTlsRoutes from './admin-tls.ts'
import adminEventRoutes from './admin-events.ts'
import adminDashboardRoutes from './admin-dashboard.ts'
import adminUiRoutes from './admin-ui.ts'
import type { TlsMaterial } from '../../core/certificates.ts'
import { openapiAdminRoutes } from '../plugins/openapi.ts'

const tags = ['admin']

export const NDJSON_TYPE = 'application/x-ndjson'

/**
 * The export as text in pieces of about 64 KB, one session's line at a time: a corpus of any size
 * goes out without its whole text (or its sessions as objects) ever being held.
 */
export function* exportChunks(lines: Iterable<string>, jsonLines: boolean): Generator<string> {
  let buf = jsonLines ? '' : '{"sessions":['
  let first = true
  for (const line of lines) {
    if (jsonLines) buf += `${line}\n`
    else buf += first ? line : `,${line}`
    first = false
    if (buf.length >= 65_536) {
      yield buf
      buf = ''
    }
  }
  yield jsonLines ? buf : `${buf}]}`
}

const adminRoutes: FastifyPluginAsyncTypebox<{ adminToken?: string; tls?: TlsMaterial }> = async (app, opts) => {
  if (opts.adminToken !== undefined) {
    const expected = opts.adminToken
    app.addHook('onRequest', async (req) => {
      // The dashboard's page and assets hold no state; what they show comes from guarded calls.
      if ((req.routeOptions.config as { dashboardAsset?: boolean }).dashboardAsset) return
      if (adminTokenFromHeader(req.headers.authorization) !== expected) {
        throw new DevRevError('unauthenticated', {}, { message: 'the admin API needs Authorization: Bearer <admin token>' })
      }
    })
  }

  // A body-less admin call goes on whatever its content type, as long as its body is empty (a
  // chunked empty body has no Content-Length, and often no Content-Type either).
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined)
    done(new DevRevError('invalid_content_type', { value: req.headers['content-type'] ?? '' }, { message: 'the request body must be application/json' }))
  })

  app.get(
    '/health',
    {
      // Probed every few seconds (the image's HEALTHCHECK): only warnings and errors are logged.
      logLevel: 'warn',
      schema: { summary: 'Liveness, version and corpus summary', tags, response: { 200: Health } },
    },
    async () => app.mock.health(),
  )

  app.get(
    '/corpus',
    {
      schema: {
        summary: 'Export every session in the fixtures format (JSON Lines with Accept: application/x-ndjson), streamed',
        tags,
        response: { 200: Corpus },
      },
    },
    async (req, reply) => {
      const jsonLines = (req.headers.accept ?? '').includes(NDJSON_TYPE)
      reply.type(jsonLines ? NDJSON_TYPE : JSON_TYPE)
      // A stream is sent as it is, never serialized (the schema documents what its bytes hold).
      return reply.send(Readable.from(exportChunks(app.mock.store.lines(), jsonLines)) as never)
    },
  )

  // Faults, rate limit, clock, journal, corpus replacement and reset: children, so the guard above applies.
  await app.register(adminFaultRoutes)
  await app.register(adminStateRoutes)
  await app.register(adminTlsRoutes, { tls: opts.tls })
  await app.register(adminEventRoutes)
  await app.register(adminDashboardRoutes)
  await app.register(adminUiRoutes)
  // GET /openapi.json and the /docs page (http/plugins/openapi.ts), guarded like the rest.
  await app.register(openapiAdminRoutes)
}

export default adminRoutes

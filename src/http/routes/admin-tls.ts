/**
 * GET /__admin/tls/ca.pem: the CA a `--tls` mock made at start-up, for clients to trust (registered
 * inside routes/admin.ts, so the `--admin-token` guard applies). Without one, a 404 that says why.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { DevRevError } from '../../contract/catalogue.ts'
import type { TlsMaterial } from '../../core/certificates.ts'

const adminTlsRoutes: FastifyPluginAsyncTypebox<{ tls?: TlsMaterial }> = async (app, opts) => {
  const { tls } = opts
  app.get(
    '/tls/ca.pem',
    {
      schema: {
        summary: 'The PEM of the CA that signed the certificate of a --tls mock',
        tags: ['admin'],
        produces: ['application/x-pem-file'],
        response: { 200: Type.String({ description: 'a PEM certificate' }) },
      },
    },
    async (_req, reply) => {
      if (tls?.ca === undefined) {
        const message = tls
          ? 'this mock serves the certificate given with --tls-cert: its CA is yours, not the mock\'s'
          : 'this mock serves plain HTTP (start it with --tls for HTTPS and a CA)'
        throw new DevRevError('not_found', {}, { message })
      }
      return reply.type('application/x-pem-file').send(tls.ca)
    },
  )
}

export default adminTlsRoutes

/** Decorates the app with the mock's core, the one object every route and hook calls. */
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import type { MockCore } from '../../core/mock.ts'
import { tokenFromHeader } from '../token.ts'

declare module 'fastify' {
  interface FastifyInstance {
    mock: MockCore
  }
  interface FastifyRequest {
    /** The caller's token, read from `Authorization` (Bearer or raw); '' when absent. */
    readonly token: string
  }
}

export default fp<{ core: MockCore }>(
  async (app, opts) => {
    app.decorate('mock', opts.core)
    // Read where it is needed (the journal, rules, limiter, auth): a few string operations, cheaper
    // than a hook per request to read it once.
    app.decorateRequest('token', {
      getter(this: FastifyRequest) {
        return tokenFromHeader(this.headers.authorization)
      },
    })
  },
  { name: 'devrev-mock' },
)

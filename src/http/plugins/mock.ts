/** Decorates the app with the mock's core, the one object every route and hook calls. */
import fp from 'fastify-plugin'
import type { MockCore } from '../../core/mock.js'

declare module 'fastify' {
  interface FastifyInstance {
    mock: MockCore
  }
  interface FastifyRequest {
    /** The caller's token, read from `Authorization` (Bearer or raw); '' when absent. */
    token: string
  }
}

export default fp<{ core: MockCore }>(
  async (app, opts) => {
    app.decorate('mock', opts.core)
    app.decorateRequest('token', '')
  },
  { name: 'devrev-mock' },
)

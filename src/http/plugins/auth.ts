/**
 * Authentication of the emulated endpoints: `Bearer <token>` or the raw token; missing or empty →
 * 401 `unauthenticated`; with `--token`, any other token → 401 `unauthenticated`.
 */
import fp from 'fastify-plugin'
import { DevRevError } from '../../contract/catalogue.ts'

export default fp(
  async (app) => {
    // Callback style: no promise and no microtask per request.
    app.addHook('preValidation', (req, _reply, done) => {
      const token = req.token
      if (token === '') {
        return done(new DevRevError('unauthenticated', {}, { message: 'missing or empty Authorization header' }))
      }
      if (!app.mock.acceptsToken(token)) {
        return done(new DevRevError('unauthenticated', {}, { message: 'the token is not accepted by this server' }))
      }
      done()
    })
  },
  { name: 'devrev-auth', dependencies: ['devrev-mock'] },
)

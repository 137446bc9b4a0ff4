/**
 * Authentication of the emulated endpoints: `Bearer <token>` or the raw token; missing or empty →
 * 401 `unauthenticated`; with `--token`, any other token → 401 `unauthenticated`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { DevRevError } from '../../contract/catalogue.js'

/** A preValidation hook, in callback style (no promise and no microtask per request). */
export function authenticate(app: FastifyInstance) {
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const token = req.token
    if (token === '') {
      return done(new DevRevError('unauthenticated', {}, { message: 'missing or empty Authorization header' }))
    }
    if (!app.mock.acceptsToken(token)) {
      return done(new DevRevError('unauthenticated', {}, { message: 'the token is not accepted by this server' }))
    }
    done()
  }
}

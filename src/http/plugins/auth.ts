/**
 * Authentication of the emulated endpoints: `Bearer <token>` or the raw token; missing or empty →
 * 401 `unauthenticated`; with `--token`, any other token → 401 `unauthenticated`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { tokenFromHeader } from '../../core/auth.js'
import { DevRevError } from '../../core/errors/catalogue.js'

// Both hooks are in callback style: no promise and no microtask per request.

/** Reads the token onto the request, once, on arrival: the journal, fault rules and limiter use it before auth runs. */
export function readToken(req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  req.token = tokenFromHeader(req.headers.authorization)
  done()
}

export function authenticate(app: FastifyInstance) {
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (req.token === '') {
      return done(new DevRevError('unauthenticated', {}, { message: 'missing or empty Authorization header' }))
    }
    if (!app.mock.acceptsToken(req.token)) {
      return done(new DevRevError('unauthenticated', {}, { message: 'the token is not accepted by this server' }))
    }
    done()
  }
}

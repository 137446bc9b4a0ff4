/**
 * Authentication of the emulated endpoints: `Bearer <token>` or the raw token; missing or empty →
 * 401 `unauthenticated`; with `--token`, any other token → 401 `unauthenticated`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { tokenFromHeader } from '../../core/auth.js'
import { DevRevError } from '../../core/errors/catalogue.js'

/** Reads the token onto the request, once, on arrival: the journal, fault rules and limiter use it before auth runs. */
export async function readToken(req: FastifyRequest): Promise<void> {
  req.token = tokenFromHeader(req.headers.authorization)
}

export function authenticate(app: FastifyInstance) {
  return async (req: FastifyRequest): Promise<void> => {
    if (req.token === '') {
      throw new DevRevError('unauthenticated', {}, { message: 'missing or empty Authorization header' })
    }
    if (!app.mock.acceptsToken(req.token)) {
      throw new DevRevError('unauthenticated', {}, { message: 'the token is not accepted by this server' })
    }
  }
}

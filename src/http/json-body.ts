/**
 * The JSON body parser of every route: Fastify's reads the body, this one parses it and refuses,
 * naming the key, a value too deeply nested or a prototype-poisoning key (core/validate.ts). An
 * empty body is left undefined: a route with a body schema then answers `parse_error` (the body is
 * empty), a body-less admin call simply goes on.
 */
import type { FastifyRequest } from 'fastify'
import { DevRevError } from '../contract/catalogue.ts'
import { unsafeJson } from '../core/validate.ts'

export function parseJsonBody(_req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.length === 0) return done(null, undefined)
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return done(new DevRevError('parse_error', {}, { message: 'the request body is not valid JSON' }))
  }
  const problem = unsafeJson(value)
  if (problem) return done(problem)
  done(null, value)
}

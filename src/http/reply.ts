import type { FastifyReply } from 'fastify'

export const JSON_TYPE = 'application/json; charset=utf-8'

/** Sends JSON text already serialized (pre-serialized sessions, error bodies): Fastify sends it as is. */
export function sendJson(reply: FastifyReply, body: string): FastifyReply {
  return reply.type(JSON_TYPE).send(body)
}

import type { FastifyReply } from 'fastify'

export const JSON_TYPE = 'application/json; charset=utf-8'

/** Sends JSON already serialized, as text or UTF-8 bytes (list pages, error bodies): Fastify sends it as is. */
export function sendJson(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return reply.type(JSON_TYPE).send(body)
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a bad chunk size, an invalid header,
 * Content-Length with Transfer-Encoding, headers over the size limit): answered in DevRev's flat
 * shape with `Connection: close`, so a keep-alive client opens a new connection for its next request
 * instead of writing into one that is closing. The raw bytes are never logged: they may hold an
 * `Authorization` header.
 */
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { DevRevError } from '../contract/catalogue.ts'

/** How long a refused connection may stay open for the client to read its answer. */
const LINGER_MS = 1000

export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  /* c8 ignore next -- a client that reset or closed its connection has nobody left to answer */
  if (err.code === 'ECONNRESET' || !socket.writable) return
  // The code only: `err.rawPacket` holds the request's bytes, credentials included.
  this.log.debug({ code: err.code }, 'malformed request refused')
  const message = err.code === 'HPE_HEADER_OVERFLOW' ? 'the request headers are too large' : 'malformed HTTP request'
  const body = JSON.stringify(new DevRevError('bad_request', {}, { message }).toBody())
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
  setTimeout(() => socket.destroy(), LINGER_MS).unref()
}

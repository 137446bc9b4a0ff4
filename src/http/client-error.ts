/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a bad chunk size, an invalid header,
 * Content-Length with Transfer-Encoding, headers over the size limit): answered in DevRev's flat
 * shape with `Connection: close`, so a keep-alive client opens a new connection for its next request
 * instead of writing into one that is closing. The raw bytes are never logged: they may hold an
 * `Authorization` header.
 */
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { DevRevError } from '../contract/catalogue.js'

/** How long a refused connection may stay open for the client to read its answer. */
const LINGER_MS = 1000

function answerOf(code: string | undefined): DevRevError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new DevRevError('bad_request', {}, { message: 'the request headers are too large' })
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new DevRevError('bad_request', {}, { message: 'the request did not arrive in time' })
  }
  return new DevRevError('bad_request', {}, { message: 'malformed HTTP request' })
}

export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  // The code only: `err.rawPacket` holds the request's bytes, credentials included.
  this.log.debug({ code: err.code }, 'malformed request refused')
  const e = answerOf(err.code)
  const body = JSON.stringify(e.toBody())
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${e.status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  setTimeout(() => socket.destroy(), LINGER_MS).unref()
}

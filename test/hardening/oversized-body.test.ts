/**
 * A body over the size limit, announced by Content-Length and sent whole: the client reads the 413
 * in DevRev's shape instead of a broken pipe or a reset, so its 413 handling can be tested. The mock
 * reads and discards the rest of the body (up to a bound) before it answers and closes.
 */
import t from 'tap'
import { request } from 'node:http'
import { connect } from 'node:net'
import type { Writable } from 'node:stream'
import { startTestServer } from '../helpers/app.ts'

const SIZE = 50 * 1024 * 1024
const CHUNK = Buffer.alloc(256 * 1024, 0x20)
const TRIES = 8

/** Writes SIZE bytes to `out` as fast as it takes them, then calls `sent`. */
function writeBody(out: Writable, sent: () => void): void {
  let written = 0
  const pump = (): void => {
    while (written < SIZE) {
      written += CHUNK.length
      if (!out.write(CHUNK)) {
        out.once('drain', pump)
        return
      }
    }
    sent()
  }
  pump()
}

/** POSTs SIZE bytes with Content-Length as Node's http client (axios's transport) does. */
function postBig(port: number): Promise<{ status: number | undefined; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/observability.sessions.list',
      headers: { 'content-type': 'application/json', 'content-length': String(SIZE), authorization: 'Bearer t' },
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    writeBody(req, () => req.end())
  })
}

/**
 * As a blocking client does (many HTTP libraries outside Node): writes the request and the whole
 * body, and only then reads. Resolves what it read, or the error that ended it.
 */
function writeThenRead(port: number): Promise<{ answer: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.pause()
    let answer = ''
    let error: string | undefined
    socket.on('data', (d: Buffer) => (answer += d.toString()))
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code
      socket.resume()
    })
    socket.on('close', () => resolve({ answer, ...(error === undefined ? {} : { error }) }))
    socket.write(
      'POST /observability.sessions.list HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${SIZE}\r\n\r\n`,
    )
    writeBody(socket, () => socket.resume())
  })
}

t.test('a client that reads only after sending its whole 50 MB body still reads the 413', async (t) => {
  const server = await startTestServer()
  t.teardown(() => server.close())
  for (let i = 1; i <= TRIES; i++) {
    const { answer, error } = await writeThenRead(server.port)
    t.equal(error, undefined, `try ${i}: no broken pipe, no reset`)
    t.match(answer, /^HTTP\/1\.1 413 /, `try ${i}: the answer was read`)
    t.match(answer, /\r\nconnection: close\r\n/i)
    t.match(answer, /"type":"request_entity_too_large"/)
  }
})

t.test('a 50 MB body with Content-Length: every try reads the 413, then the connection closes', async (t) => {
  const server = await startTestServer()
  t.teardown(() => server.close())
  for (let i = 1; i <= TRIES; i++) {
    const res = await postBig(server.port)
    t.equal(res.status, 413, `try ${i}: the answer was read`)
    t.equal(res.connection, 'close', `try ${i}: the client is told not to reuse the connection`)
    t.same(JSON.parse(res.body), { type: 'request_entity_too_large', message: 'request body is larger than 1048576 bytes', max_bytes: 1048576 })
  }
})

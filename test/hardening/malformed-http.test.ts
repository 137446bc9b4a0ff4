/**
 * Requests the HTTP parser refuses are answered in DevRev's flat shape with `Connection: close`,
 * and the connection ends cleanly after the answer: a keep-alive client reads it rather than a reset.
 */
import t from 'tap'
import { connect } from 'node:net'
import { startTestServer } from '../helpers/app.ts'

const GOOD = 'GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n'

/**
 * On one connection: a good request, its answer, then `bytes`; resolves everything read until the
 * server ends the connection.
 */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(GOOD))
    let out = ''
    socket.on('data', (d) => {
      const first = out === ''
      out += d.toString()
      if (first) socket.write(bytes)
    })
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
}

const CASES: Record<string, string> = {
  'a bad chunk size': 'POST /observability.sessions.list HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
  'an invalid header': 'GET /observability.sessions.list HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
  'Content-Length with Transfer-Encoding': 'POST /observability.sessions.list HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
  'headers over the size limit': `GET /observability.sessions.list HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
}

t.test('each malformed request: 400 in DevRev shape, Connection: close, then a clean end', async (t) => {
  const server = await startTestServer()
  t.teardown(() => server.close())
  for (const [name, bytes] of Object.entries(CASES)) {
    // A good request first on the same connection: the keep-alive case.
    const raw = await exchange(server.port, bytes)
    const answers = raw.split(/(?=HTTP\/1\.1 )/)
    t.equal(answers.length, 2, `${name}: the good request answered, then the bad one`)
    t.match(answers[0], /^HTTP\/1\.1 200 /)
    const bad = answers[1]!
    t.match(bad, /^HTTP\/1\.1 400 /, name)
    t.match(bad, /\r\nConnection: close\r\n/i, name)
    t.match(bad, /\r\nContent-Type: application\/json/i, name)
    const body = JSON.parse(bad.slice(bad.indexOf('\r\n\r\n') + 4))
    t.same(body, {
      type: 'bad_request',
      message: name === 'headers over the size limit' ? 'the request headers are too large' : 'malformed HTTP request',
    }, name)
  }
})

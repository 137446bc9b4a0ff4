/** The bounds of reading a refused body to its end: bytes, time, a client gone, a body already read. */
import t from 'tap'
import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { drainThen } from '../../src/http/drain.ts'

/** A request body the test feeds by hand. */
function body(complete = false): PassThrough & { complete: boolean } {
  const s = new PassThrough() as PassThrough & { complete: boolean }
  s.complete = complete
  s.pause()
  return s
}
const asRequest = (s: PassThrough): IncomingMessage => s as unknown as IncomingMessage

t.test('a body already read: answered at once', async (t) => {
  let called = 0
  drainThen(asRequest(body(true)), () => called++)
  t.equal(called, 1)
})

t.test('read to its end, then answered, once', async (t) => {
  const s = body()
  let called = 0
  drainThen(asRequest(s), () => called++, { bytes: 100, ms: 10_000 })
  s.write(Buffer.alloc(60))
  await new Promise((r) => setImmediate(r))
  t.equal(called, 0, 'not before the end')
  s.end(Buffer.alloc(30))
  await new Promise((r) => s.once('end', r))
  t.equal(called, 1)
  t.equal(s.listenerCount('data'), 0, 'stops listening')
})

t.test('past the byte bound: answered without waiting for the rest', async (t) => {
  const s = body()
  let called = 0
  drainThen(asRequest(s), () => called++, { bytes: 100, ms: 10_000 })
  s.write(Buffer.alloc(101))
  await new Promise((r) => setImmediate(r))
  t.equal(called, 1)
  s.end(Buffer.alloc(10))
  await new Promise((r) => setImmediate(r))
  t.equal(called, 1, 'once')
})

t.test('past the time bound: answered', async (t) => {
  const s = body()
  const started = Date.now()
  await new Promise<void>((resolve) => drainThen(asRequest(s), resolve, { bytes: 100, ms: 50 }))
  t.ok(Date.now() - started >= 40, 'after the wait')
})

t.test('the client went away: answered', async (t) => {
  const s = body()
  let called = 0
  drainThen(asRequest(s), () => called++, { bytes: 100, ms: 10_000 })
  s.destroy()
  await new Promise((r) => s.once('close', r))
  t.equal(called, 1)
})

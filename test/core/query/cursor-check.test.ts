/**
 * The cursor's check (a 64-bit digest of secret, query and payload; README, Performance): a cursor
 * decodes back to its gap for its own query only, any altered character is refused, and the same
 * secret gives the same cursors in any process while another secret gives others.
 */
import t from 'tap'
import fc from 'fast-check'
import { CursorCodec, type Gap } from '../../../src/core/query/cursor.ts'
import { DevRevError } from '../../../src/contract/catalogue.ts'

const gapArb: fc.Arbitrary<Gap> = fc.record({
  k: fc.array(fc.integer({ min: 0, max: 2 ** 45 }), { minLength: 1, maxLength: 3 }),
  i: fc.string({ unit: 'grapheme', maxLength: 40 }),
  s: fc.constantFrom('a' as const, 'b' as const),
})
const secret = 'devrev-observability-mock:42'

t.test('a cursor decodes to its gap, for its own query only', async (t) => {
  const codec = new CursorCodec(secret)
  fc.assert(
    fc.property(gapArb, fc.string({ maxLength: 200 }), fc.string({ minLength: 1, maxLength: 5 }), (gap, query, extra) => {
      const cursor = codec.encode(query, gap)
      t.same(codec.decode(query, cursor, gap.k.length), gap)
      t.throws(() => codec.decode(query + extra, cursor, gap.k.length), DevRevError)
      return true
    }),
    { seed: 20260115, numRuns: 300 },
  )
})

t.test('any altered character of a cursor is refused', async (t) => {
  const codec = new CursorCodec(secret)
  fc.assert(
    fc.property(gapArb, fc.nat(), fc.constantFrom(...'ABCabc019-_.'), (gap, at, ch) => {
      const query = '{"f":{},"p":"web","s":"created_at:desc","t":"web","v":"shop.example.com"}'
      const cursor = codec.encode(query, gap)
      const i = at % cursor.length
      fc.pre(cursor[i] !== ch)
      const altered = cursor.slice(0, i) + ch + cursor.slice(i + 1)
      t.throws(() => codec.decode(query, altered, gap.k.length), DevRevError, `altered at ${i}`)
      return true
    }),
    { seed: 20260115, numRuns: 300 },
  )
})

t.test('the same secret gives the same cursor; another secret, another', async (t) => {
  const gap: Gap = { k: [1768478400000], i: 'session-1', s: 'a' }
  const a = new CursorCodec(secret).encode('q', gap)
  t.equal(new CursorCodec(secret).encode('q', gap), a)
  t.not(new CursorCodec('devrev-observability-mock:43').encode('q', gap), a)
  t.throws(() => new CursorCodec('devrev-observability-mock:43').decode('q', a, 1), DevRevError)
})

t.test('a cursor of any length round-trips, its payload the base64url of its JSON', async (t) => {
  const codec = new CursorCodec(secret)
  // Short, then longer than any before (multi-byte characters too), then short again.
  for (const i of ['s-1', 'é'.repeat(600), 'x'.repeat(5000), 's-2']) {
    const gap: Gap = { k: [1768478400000, 7], i, s: 'b' }
    const cursor = codec.encode('q', gap)
    const payload = cursor.slice(0, cursor.indexOf('.'))
    t.equal(payload, Buffer.from(JSON.stringify(gap)).toString('base64url'), `payload of an id of ${i.length} characters`)
    t.same(codec.decode('q', cursor, 2), gap)
  }
})

/**
 * The cursor MAC is HMAC-SHA-256 computed from two one-shot hashes (for speed, see README
 * Performance): it must give exactly the bytes `createHmac` gives, for short and long secrets, so
 * cursors stay what they were and a tampered one is still refused.
 */
import t from 'tap'
import { createHmac } from 'node:crypto'
import { CursorCodec, type Gap } from '../../../src/core/query/cursor.js'
import { DevRevError } from '../../../src/core/errors/catalogue.js'

const reference = (secret: string, query: string, payload: string) =>
  createHmac('sha256', secret).update(query).update('\n').update(payload).digest().subarray(0, 12).toString('base64url')

const gaps: Gap[] = [
  { k: [1768478400000], i: 'session-1', s: 'a' },
  { k: [1768478400000, 5300], i: 'séssion-ü', s: 'b' },
]
const queries = ['{"f":{},"p":"web","s":"created_at:desc","t":"web","v":"shop.example.com"}', 'é\n{"x":[1,2]}', '']

for (const secret of ['devrev-observability-mock:42', '', 'k'.repeat(64), 'long secret, longer than a block: '.repeat(4)]) {
  t.test(`secret of ${Buffer.byteLength(secret)} bytes: the MAC is HMAC-SHA-256`, async (t) => {
    const codec = new CursorCodec(secret)
    for (const query of queries) {
      for (const gap of gaps) {
        const cursor = codec.encode(query, gap)
        const [payload, mac] = cursor.split('.') as [string, string]
        t.equal(mac, reference(secret, query, payload))
        t.same(codec.decode(query, cursor, gap.k.length), gap)
        t.throws(() => codec.decode(`${query} `, cursor, gap.k.length), DevRevError)
      }
    }
  })
}

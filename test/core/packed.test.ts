/** The packed form of loaded sessions gives back the same value, so the same JSON text. */
import t from 'tap'
import fc from 'fast-check'
import { Packer } from '../../src/core/corpus/packed.ts'

t.test('any JSON value packs and unpacks to the same JSON text', async (t) => {
  const p = new Packer()
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v)
      const back = JSON.stringify(p.unpack(Buffer.from(p.pack(v))))
      if (back !== text) throw new Error(`${text} came back as ${back}`)
    }),
    { seed: 42, numRuns: 2000 },
  )
  const edge = { a: [-0, 0, -1, 2 ** 53 - 1, -(2 ** 53), 2 ** 60, 1.5, -2.25e-300], s: 'x'.repeat(100), u: 'é€😀', n: null, b: [true, false] }
  t.equal(JSON.stringify(p.unpack(Buffer.from(p.pack(edge)))), JSON.stringify(edge))
  const big = { list: Array.from({ length: 5000 }, (_, i) => `a long and unique string number ${i} ${'y'.repeat(40)}`) }
  t.same(p.unpack(Buffer.from(p.pack(big))), big, 'larger than the scratch buffer')
})

t.test('short strings are shared, up to a bound', async (t) => {
  const p = new Packer()
  const once = p.pack({ plan: 'enterprise' }).length
  t.ok(p.pack({ plan: 'enterprise' }).length < once || once <= 6, 'a repeated string is a reference')
  // Fill the table: new short strings are then written out in full.
  for (let i = 0; i < 1 << 18; i++) p.pack(`s${i}`)
  const fresh = p.pack('a-new-short-string')
  t.equal(JSON.stringify(p.unpack(Buffer.from(fresh))), '"a-new-short-string"')
  t.ok(fresh.length > 'a-new-short-string'.length, 'written in full')
})

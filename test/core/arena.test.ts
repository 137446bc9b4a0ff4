/**
 * The byte arena that list pages are copied from: each session's UTF-8 then a comma, appended in the
 * order asked for, so sessions serialized one after another lie next to each other; a full chunk
 * gives way to a new one, and a text longer than a chunk gets a chunk of its own.
 */
import t from 'tap'
import fc from 'fast-check'
import { ByteArena, CHUNK_BYTES } from '../../src/core/corpus/arena.ts'

const text = (s: { buf: Buffer; start: number; end: number }) => s.buf.toString('utf8', s.start, s.end)

t.test('each text comes back as its UTF-8 and a comma; one after another, adjacent', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 64, max: 2048 }), (texts, chunk) => {
      const arena = new ByteArena(chunk)
      const slices = texts.map((s) => arena.append(s))
      slices.forEach((s, i) => t.equal(text(s), `${texts[i]},`))
      for (let i = 1; i < slices.length; i++) {
        const [a, b] = [slices[i - 1]!, slices[i]!]
        // Adjacent unless the next one started a new chunk.
        if (a.buf === b.buf) t.equal(b.start, a.end)
        else t.equal(b.start, 0)
      }
      return true
    }),
    { seed: 20260115, numRuns: 200 },
  )
})

t.test('a full chunk gives way to a new one; a text longer than a chunk gets its own', async (t) => {
  const arena = new ByteArena(12)
  const a = arena.append('abc') // 4 bytes used of 12
  const b = arena.append('def') // may need up to 3 × 3 + 1 = 10 more: a new chunk
  t.not(b.buf, a.buf)
  t.equal(b.start, 0)
  const long = 'x'.repeat(100)
  const c = arena.append(long)
  t.equal(text(c), `${long},`)
  t.ok(c.buf.length >= 301, 'a chunk of its own, as long as the text needs at most')
  t.equal(new ByteArena().append('é').buf.length, CHUNK_BYTES, 'the default chunk size')
})

/**
 * Hand-written JSON text of strings and durations (src/core/json-text.ts): byte for byte what
 * JSON.stringify writes, for any input.
 */
import t from 'tap'
import fc from 'fast-check'
import { jsonMillis, jsonString, jsonStringOrNull } from '../../src/core/json-text.ts'

t.test('strings: the same text as JSON.stringify', async (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uuid(), fc.constantFrom('/p', 'a"b', 'a\\b', '\u007f', '\u001f', ' ~')), (s) => jsonString(s) === JSON.stringify(s)),
    { seed: 20261130, numRuns: 20000 },
  )
  t.equal(jsonStringOrNull(null), 'null')
  t.equal(jsonStringOrNull('x'), '"x"')
})

t.test('durations: the same text as JSON.stringify, rounded to thousandths or not', async (t) => {
  const rounded = fc.double({ min: 0, max: 2 ** 32, noNaN: true }).map((x) => Math.round(x * 1000) / 1000)
  const small = fc.nat({ max: 10_000_000 }).map((n) => n / 1000)
  const any = fc.oneof(fc.double(), fc.constantFrom(-0, 0, 0.0005, 2 ** 31, 2 ** 31 + 0.001, 1e21, Infinity, Number.NaN, -1.5))
  fc.assert(
    fc.property(fc.oneof(rounded, small, any), (ms) => jsonMillis(ms) === JSON.stringify(ms)),
    { seed: 20261130, numRuns: 50000 },
  )
  t.equal(jsonMillis(1.5), '1.5')
  t.equal(jsonMillis(0.125), '0.125')
  t.equal(jsonMillis(42), '42')
})

/** Reading the token from `Authorization`: `Bearer <token>` or the raw token (the official SDK's form). */
import t from 'tap'
import { tokenFromHeader } from '../../src/http/token.ts'

t.test('tokenFromHeader', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, ''],
    ['', ''],
    ['   ', ''],
    ['Bearer', ''],
    ['Bearer ', ''],
    ['bearer\t', ''],
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
    ['abc', 'abc'],
    ['  abc  ', 'abc'],
    ['Bearerabc', 'Bearerabc'],
    ['Basic dXNlcjpwYXNz', 'Basic dXNlcjpwYXNz'],
    ['Bearer a b', 'a b'],
  ]
  for (const [header, token] of cases) t.equal(tokenFromHeader(header), token, JSON.stringify(header))
})

t.test('the fast path for `Bearer <token>` reads what the general rule reads', async (t) => {
  const fc = (await import('fast-check')).default
  // The general rule: trimmed, an optional case-insensitive `bearer` word, then the rest, trimmed.
  const reference = (header: string) => {
    const m = /^bearer(?:\s+(.*))?$/i.exec(header.trim())
    return (m ? (m[1] ?? '') : header.trim()).trim()
  }
  const tail = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\t', '\u00a0', '=', 'é'), maxLength: 12 })
  fc.assert(
    fc.property(tail, (rest) => tokenFromHeader(`Bearer ${rest}`) === reference(`Bearer ${rest}`)),
    { seed: 20260115, numRuns: 2000 },
  )
  t.pass('2000 headers agree')
})

/** Reading the token from `Authorization`: `Bearer <token>` or the raw token (the official SDK's form). */
import t from 'tap'
import { tokenFromHeader } from '../../src/core/auth.js'

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

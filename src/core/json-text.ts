/**
 * JSON text of a few scalar values, written by hand where a request writes them every time (a
 * cursor's session id, the request log line's fields): `JSON.stringify` of a lone string or number is
 * a call into the runtime that cost more than the rest of building the text. Same bytes as
 * `JSON.stringify` (test/core/json-text.test.ts).
 */

/** `JSON.stringify(s)`: quoted as it is when every character is printable ASCII other than `"` and `\`. */
export function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return JSON.stringify(s)
  }
  return '"' + s + '"'
}

/** `JSON.stringify(s)` for a string or null. */
export const jsonStringOrNull = (s: string | null): string => (s === null ? 'null' : jsonString(s))

/** The decimals of n / 1000 for n in 0..999, as a number's text writes them: '', '.5', '.25', '.125'. */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, n) => (n === 0 ? '' : `.${String(n).padStart(3, '0').replace(/0+$/, '')}`))

/** Up to 2^31 ms (24 days) a double's step is under a millionth: each thousandth has its own shortest text. */
const MAX_TABLE_MS = 2 ** 31

/**
 * `JSON.stringify(ms)` for a duration rounded to thousandths (`Math.round(x * 1000) / 1000`): whole
 * milliseconds and a table of decimals instead of the runtime's general double-to-text conversion.
 */
export function jsonMillis(ms: number): string {
  const micros = Math.round(ms * 1000)
  // Anything else (negative, not rounded to thousandths, not finite, or so large that doubles a
  // thousandth apart could share a shortest text) as JSON writes it.
  if (!(ms >= 0 && ms <= MAX_TABLE_MS) || micros / 1000 !== ms) return JSON.stringify(ms)
  const whole = Math.floor(micros / 1000)
  return whole + THOUSANDTHS[micros - whole * 1000]!
}

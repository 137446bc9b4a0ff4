/**
 * Keyset cursors: opaque, stateless and bound to the query that issued them.
 *
 * A cursor names a gap in the sorted partition: just after (`a`) or just before (`b`) the session with
 * the given sort keys and id. `mode: after` reads forward from the gap, `mode: before` backward, so a
 * deep page costs a binary search plus one page, like the first. The cursor carries a MAC over
 * itself and the canonical query (scope, filters, sort), so a cursor that was altered, or sent with
 * other filters or sort, is refused with `invalid_field` on `cursor`.
 */
import { errors } from '../errors/catalogue.js'

export interface Gap {
  /** Sort-key values of the session the gap is next to. */
  k: number[]
  /** Its session_id. */
  i: string
  /** `a`: the gap just after that session; `b`: just before it. */
  s: 'a' | 'b'
}

export class CursorCodec {
  readonly #secret: string

  constructor(secret: string) {
    this.#secret = secret
  }

  /**
   * The cursor's check: a 64-bit checksum of the secret, the query and the payload. The secret is
   * derived from the seed, which `/__admin/health` shows, so no MAC could keep a determined client
   * from forging a cursor; what this one does is catch a cursor altered, or sent with other filters
   * or sort, by mistake. So a fast checksum in plain JS, not a cryptographic MAC (README, Performance).
   */
  #mac(query: string, payload: string): string {
    return checksum64(this.#secret, query, payload)
  }

  encode(query: string, gap: Gap): string {
    // The JSON of the gap written by hand: { k, i, s }, as JSON.stringify would write it.
    const json = `{"k":[${gap.k.join(',')}],"i":${JSON.stringify(gap.i)},"s":"${gap.s}"}`
    const payload = Buffer.from(json).toString('base64url')
    return `${payload}.${this.#mac(query, payload)}`
  }

  /** The gap a cursor names, or `invalid_field` on `cursor`. */
  decode(query: string, cursor: string, keyCount: number): Gap {
    const bad = () => errors.invalidField('cursor', 'cursor is invalid, or was issued for another query or sort')
    const dot = cursor.indexOf('.')
    if (dot <= 0) throw bad()
    const payload = cursor.slice(0, dot)
    // Compared as text: base64 decoding is lenient (padding, stray characters), a cursor is not.
    if (cursor.slice(dot + 1) !== this.#mac(query, payload)) throw bad()
    // Signed by us for this very query: the payload is ours and well formed.
    const gap = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Gap
    /* c8 ignore next -- a signed cursor for the same query and sort always carries one key per sort item */
    if (gap.k.length !== keyCount) throw bad()
    return gap
  }
}

/**
 * A 64-bit checksum of three strings (with a separator between them), as 16 hex digits: cyrb53's
 * mixing (bryc, public domain), both 32-bit lanes kept. Not cryptographic.
 */
export function checksum64(a: string, b: string, c: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (const text of [a, b, c]) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i)
      h1 = Math.imul(h1 ^ ch, 2654435761)
      h2 = Math.imul(h2 ^ ch, 1597334677)
    }
    h1 = Math.imul(h1 ^ 10, 2654435761)
    h2 = Math.imul(h2 ^ 10, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0')
}

/** JSON with object keys sorted at every depth: the same filters always give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) {
    // Filter values are mostly lists of strings or numbers: as JSON.stringify writes them, in one call.
    if (scalars(value)) return JSON.stringify(value)
    return `[${value.map(canonicalJson).join(',')}]`
  }
  return canonicalObject(value as Record<string, unknown>)
}

/** Every element a string, number, boolean or null (no hole: a hole reads as undefined). */
function scalars(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i]
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false
  }
  return true
}

/**
 * An object's canonical JSON, built by hand (this runs on every list request): its keys in the default
 * sort's order (UTF-16 code units, as `<` compares), undefined values left out; `skip` names keys to
 * leave out too.
 */
export function canonicalObject(obj: Record<string, unknown>, skip?: ReadonlySet<string>): string {
  const keys = Object.keys(obj).sort()
  let s = '{'
  for (const k of keys) {
    const v = obj[k]
    if (v === undefined || skip?.has(k)) continue
    s += (s.length === 1 ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v)
  }
  return `${s}}`
}

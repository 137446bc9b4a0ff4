/**
 * Keyset cursors: opaque, stateless and bound to the query that issued them.
 *
 * A cursor names a gap in the sorted partition: just after (`a`) or just before (`b`) the session with
 * the given sort keys and id. `mode: after` reads forward from the gap, `mode: before` backward, so a
 * deep page costs a binary search plus one page, like the first. The cursor carries a MAC over
 * itself and the canonical query (scope, filters, sort), so a cursor that was altered, or sent with
 * other filters or sort, is refused with `invalid_field` on `cursor`.
 */
import { errors } from '../../contract/catalogue.ts'
import { Digest } from './digest.ts'
import { jsonString } from '../json-text.ts'

export interface Gap {
  /** Sort-key values of the session the gap is next to. */
  k: number[]
  /** Its session_id. */
  i: string
  /** `a`: the gap just after that session; `b`: just before it. */
  s: 'a' | 'b'
}

export class CursorCodec {
  /** The digest of the secret, from which every check goes on. */
  readonly #keyed: Digest

  constructor(secret: string) {
    this.#keyed = new Digest().text(secret)
  }

  /**
   * The cursor's check: a 64-bit digest (digest.ts) of the secret, the query and the payload. The secret is
   * derived from the seed, which `/__admin/health` shows, so no MAC could keep a determined client
   * from forging a cursor; what this one does is catch a cursor altered, or sent with other filters
   * or sort, by mistake. So a fast checksum in plain JS, not a cryptographic MAC (docs/performance.md).
   */
  #mac(query: string, payload: string): string {
    return new Digest(this.#keyed).text(query).text(payload).hex()
  }

  encode(query: string, gap: Gap): string {
    // The JSON of the gap written by hand: { k, i, s }, as JSON.stringify would write it.
    const json = `{"k":[${gap.k.join(',')}],"i":${jsonString(gap.i)},"s":"${gap.s}"}`
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

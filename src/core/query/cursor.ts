/**
 * Keyset cursors: opaque, stateless and bound to the query that issued them.
 *
 * A cursor names a gap in the sorted partition: just after (`a`) or just before (`b`) the session with
 * the given sort keys and id. `mode: after` reads forward from the gap, `mode: before` backward, so a
 * deep page costs a binary search plus one page, like the first. The cursor carries an HMAC over
 * itself and the canonical query (scope, filters, sort), so a cursor that was altered, or sent with
 * other filters or sort, is refused with `invalid_field` on `cursor`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { errors } from '../errors/catalogue.js'

export interface Gap {
  /** Sort-key values of the session the gap is next to. */
  k: number[]
  /** Its session_id. */
  i: string
  /** `a`: the gap just after that session; `b`: just before it. */
  s: 'a' | 'b'
}

const MAC_BYTES = 12

export class CursorCodec {
  readonly #secret: string

  constructor(secret: string) {
    this.#secret = secret
  }

  #mac(query: string, payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(query).update('\n').update(payload).digest().subarray(0, MAC_BYTES)
  }

  encode(query: string, gap: Gap): string {
    const payload = Buffer.from(JSON.stringify(gap)).toString('base64url')
    return `${payload}.${this.#mac(query, payload).toString('base64url')}`
  }

  /** The gap a cursor names, or `invalid_field` on `cursor`. */
  decode(query: string, cursor: string, keyCount: number): Gap {
    const bad = () => errors.invalidField('cursor', 'cursor is invalid, or was issued for another query or sort')
    const dot = cursor.indexOf('.')
    if (dot <= 0) throw bad()
    const payload = cursor.slice(0, dot)
    const mac = Buffer.from(cursor.slice(dot + 1), 'base64url')
    if (mac.length !== MAC_BYTES || !timingSafeEqual(mac, this.#mac(query, payload))) throw bad()
    // Signed by us for this very query: the payload is ours and well formed.
    const gap = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Gap
    /* c8 ignore next -- a signed cursor for the same query and sort always carries one key per sort item */
    if (gap.k.length !== keyCount) throw bad()
    return gap
  }
}

/** JSON with object keys sorted at every depth: the same filters always give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * Keyset cursors: opaque, stateless and bound to the query that issued them.
 *
 * A cursor names a gap in the sorted partition: just after (`a`) or just before (`b`) the session with
 * the given sort keys and id. `mode: after` reads forward from the gap, `mode: before` backward, so a
 * deep page costs a binary search plus one page, like the first. The cursor carries an HMAC over
 * itself and the canonical query (scope, filters, sort), so a cursor that was altered, or sent with
 * other filters or sort, is refused with `invalid_field` on `cursor`.
 */
import { createHash, hash, timingSafeEqual } from 'node:crypto'
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
/** SHA-256's block size: the HMAC key is padded (or first hashed) to it. */
const BLOCK = 64

export class CursorCodec {
  /** HMAC's inner and outer keys (RFC 2104), prepared once. */
  readonly #ipad: Buffer
  readonly #opad: Buffer

  constructor(secret: string) {
    const raw = Buffer.from(secret)
    const key = Buffer.alloc(BLOCK)
    ;(raw.length > BLOCK ? createHash('sha256').update(raw).digest() : raw).copy(key)
    this.#ipad = Buffer.from(key.map((b) => b ^ 0x36))
    this.#opad = Buffer.from(key.map((b) => b ^ 0x5c))
  }

  /**
   * HMAC-SHA-256 of `query \n payload`, truncated: the very bytes `createHmac` gives, computed with two
   * one-shot hashes (no Hmac object and key set-up per call; this runs for every cursor issued or read).
   */
  #mac(query: string, payload: string): Buffer {
    const inner = hash('sha256', Buffer.concat([this.#ipad, Buffer.from(`${query}\n${payload}`)]), 'buffer')
    return hash('sha256', Buffer.concat([this.#opad, inner]), 'buffer').subarray(0, MAC_BYTES)
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
    // Compared as text: base64 decoding is lenient (padding, stray characters), a cursor is not.
    const mac = Buffer.from(cursor.slice(dot + 1))
    const expected = Buffer.from(this.#mac(query, payload).toString('base64url'))
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw bad()
    // Signed by us for this very query: the payload is ours and well formed.
    const gap = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Gap
    /* c8 ignore next -- a signed cursor for the same query and sort always carries one key per sort item */
    if (gap.k.length !== keyCount) throw bad()
    return gap
  }
}

/** JSON with object keys sorted at every depth: the same filters always give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  // Objects built by hand (this runs on every list request): no intermediate arrays of entries.
  const obj = value as Record<string, unknown>
  // The default sort orders by UTF-16 code units, as `<` does.
  const keys = Object.keys(obj).sort()
  let s = '{'
  for (const k of keys) {
    const v = obj[k]
    if (v === undefined) continue
    s += (s.length === 1 ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v)
  }
  return `${s}}`
}

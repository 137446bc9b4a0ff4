/**
 * A 64-bit digest of JSON values, for binding cursors to their query: the same for the same value
 * whatever the order of its objects' keys, different (but for a 2^-64 chance) otherwise. It hashes
 * the value's structure as it walks it, so no canonical JSON text is built per request (README,
 * Performance). Not cryptographic: cyrb53's mixing (bryc, public domain), both 32-bit lanes kept.
 *
 * What is fed is an unambiguous encoding: a tag per kind of value, strings and arrays with their
 * lengths, objects as key-value pairs and an end mark, keys sorted by UTF-16 code units (as canonical JSON sorts them), `undefined`
 * properties left out, and numbers by their IEEE-754 bits, with -0 as 0 and non-finite numbers as
 * null (as JSON writes them).
 */

// A plain object, not an enum: the sources run with Node's type stripping, which has no enums.
const Tag = {
  Null: 1,
  False: 2,
  True: 3,
  Number: 4,
  String: 5,
  Array: 6,
  Object: 7,
  End: 8,
} as const
type Tag = (typeof Tag)[keyof typeof Tag]

const float = new Float64Array(1)
const words = new Uint32Array(float.buffer)

/** Two hex digits per byte value: Number#toString(16) takes a slow path in V8, a table does not. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const hex32 = (h: number) => HEX[h >>> 24]! + HEX[(h >>> 16) & 255]! + HEX[(h >>> 8) & 255]! + HEX[h & 255]!

/** Up to this many keys, an insertion sort: a request's handful, often in order already, sorts without a call to Array#sort. */
const INSERTION_SORT_MAX = 32

/** Keys in UTF-16 code unit order, as Array#sort puts them (keys are distinct: no ties). */
function sortKeys(keys: string[]): void {
  if (keys.length > INSERTION_SORT_MAX) {
    keys.sort()
    return
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!
    let j = i - 1
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!
      j--
    }
    keys[j + 1] = k
  }
}

export class Digest {
  #h1 = 0xdeadbeef
  #h2 = 0x41c6ce57

  /** A fresh digest, or one that goes on from where `from` is (a shared prefix hashed once). */
  constructor(from?: Digest) {
    if (from) {
      this.#h1 = from.#h1
      this.#h2 = from.#h2
    }
  }

  /** Mixes one 32-bit word into both lanes. */
  word(w: number): this {
    this.#h1 = Math.imul(this.#h1 ^ w, 2654435761)
    this.#h2 = Math.imul(this.#h2 ^ w, 1597334677)
    return this
  }

  /** A string: its length, then its UTF-16 code units, two to a word (the length tells where they end). */
  text(s: string): this {
    this.word(Tag.String).word(s.length)
    // The hot loop, on locals (the same mixing as word()).
    let h1 = this.#h1
    let h2 = this.#h2
    const n = s.length
    let i = 0
    for (; i + 1 < n; i += 2) {
      const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)
      h1 = Math.imul(h1 ^ w, 2654435761)
      h2 = Math.imul(h2 ^ w, 1597334677)
    }
    if (i < n) {
      const c = s.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 2654435761)
      h2 = Math.imul(h2 ^ c, 1597334677)
    }
    this.#h1 = h1
    this.#h2 = h2
    return this
  }

  number(n: number): this {
    if (!Number.isFinite(n)) return this.word(Tag.Null)
    float[0] = n === 0 ? 0 : n
    return this.word(Tag.Number).word(words[0]!).word(words[1]!)
  }

  /** Any JSON value (objects with their keys sorted). */
  value(v: unknown): this {
    switch (typeof v) {
      case 'string':
        return this.text(v)
      case 'number':
        return this.number(v)
      case 'boolean':
        return this.word(v ? Tag.True : Tag.False)
      case 'object':
        if (v === null) return this.word(Tag.Null)
        if (Array.isArray(v)) {
          this.word(Tag.Array).word(v.length)
          for (let i = 0; i < v.length; i++) this.value(v[i])
          return this
        }
        return this.object(v as Record<string, unknown>)
      default:
        // undefined (and anything JSON cannot hold) reads as null, as JSON.stringify writes it in a list.
        return this.word(Tag.Null)
    }
  }

  /** An object: its defined properties in key order, then an end mark; keys in `skip` left out. */
  object(obj: Record<string, unknown>, skip?: ReadonlySet<string>): this {
    const keys = Object.keys(obj)
    sortKeys(keys)
    this.word(Tag.Object)
    for (const k of keys) {
      const v = obj[k]
      if (v === undefined || skip?.has(k)) continue
      this.text(k).value(v)
    }
    return this.word(Tag.End)
  }

  /** The digest so far, as 16 hex digits. */
  hex(): string {
    let h1 = this.#h1
    let h2 = this.#h2
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
    return hex32(h2) + hex32(h1)
  }
}

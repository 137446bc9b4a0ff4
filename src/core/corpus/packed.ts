/**
 * A compact binary form of JSON values, for sessions loaded from fixtures: short strings (keys,
 * names, enum-like values) are kept once in a shared table and referred to by number, integers take
 * a byte or few, and no object exists per session. Decoding gives back the same value, so its
 * JSON.stringify is the very text the session was stored from.
 */

// A plain object, not an enum: the sources run with Node's type stripping, which has no enums.
const Tag = {
  Null: 0,
  False: 1,
  True: 2,
  Int: 3,
  NegInt: 4,
  Float: 5,
  Ref: 6,
  Text: 7,
  Array: 8,
  Object: 9,
} as const
type Tag = (typeof Tag)[keyof typeof Tag]

/** Strings up to this length are shared through the table (longer ones are rarely repeated). */
const SHARED_MAX_LENGTH = 48
/** The table stops growing here: a corpus of unique short strings cannot make it unbounded. */
const SHARED_MAX = 1 << 18

export class Packer {
  readonly #ids = new Map<string, number>()
  readonly #strings: string[] = []
  #buf = Buffer.allocUnsafe(1 << 16)
  #at = 0

  /** The bytes of one value (a view of a scratch buffer, valid until the next call). */
  pack(value: unknown): Buffer {
    this.#at = 0
    this.#value(value)
    return this.#buf.subarray(0, this.#at)
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return
    const b = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + n))
    this.#buf.copy(b, 0, 0, this.#at)
    this.#buf = b
  }

  #byte(b: number): void {
    this.#room(1)
    this.#buf[this.#at++] = b
  }

  #uint(n: number): void {
    this.#room(8)
    while (n >= 128) {
      this.#buf[this.#at++] = (n % 128) | 128
      n = Math.floor(n / 128)
    }
    this.#buf[this.#at++] = n
  }

  #string(s: string): void {
    let id = this.#ids.get(s)
    if (id === undefined && s.length <= SHARED_MAX_LENGTH && this.#strings.length < SHARED_MAX) {
      id = this.#strings.push(s) - 1
      this.#ids.set(s, id)
    }
    if (id !== undefined) {
      this.#byte(Tag.Ref)
      this.#uint(id)
      return
    }
    this.#byte(Tag.Text)
    this.#uint(Buffer.byteLength(s))
    this.#room(s.length * 3)
    this.#at += this.#buf.write(s, this.#at, 'utf8')
  }

  #value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        return this.#string(v)
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          this.#byte(v < 0 ? Tag.NegInt : Tag.Int)
          return this.#uint(Math.abs(v))
        }
        this.#byte(Tag.Float)
        this.#room(8)
        this.#at = this.#buf.writeDoubleLE(v, this.#at)
        return
      case 'boolean':
        return this.#byte(v ? Tag.True : Tag.False)
      default: {
        // Parsed JSON: null, an array or a plain object.
        if (v === null) return this.#byte(Tag.Null)
        if (Array.isArray(v)) {
          this.#byte(Tag.Array)
          this.#uint(v.length)
          for (const x of v) this.#value(x)
          return
        }
        const keys = Object.keys(v as object)
        this.#byte(Tag.Object)
        this.#uint(keys.length)
        for (const k of keys) {
          this.#string(k)
          this.#value((v as Record<string, unknown>)[k])
        }
      }
    }
  }

  /** Decodes what `pack` wrote. */
  unpack(bytes: Buffer): unknown {
    let at = 0
    const strings = this.#strings
    const uint = (): number => {
      let n = 0
      let scale = 1
      for (;;) {
        const b = bytes[at++]!
        n += (b & 127) * scale
        if (b < 128) return n
        scale *= 128
      }
    }
    const value = (): unknown => {
      const tag = bytes[at++] as Tag
      switch (tag) {
        case Tag.Null:
          return null
        case Tag.False:
          return false
        case Tag.True:
          return true
        case Tag.Int:
          return uint()
        case Tag.NegInt:
          return -uint()
        case Tag.Float:
          at += 8
          return bytes.readDoubleLE(at - 8)
        case Tag.Ref:
          return strings[uint()]
        case Tag.Text: {
          const n = uint()
          at += n
          return bytes.toString('utf8', at - n, at)
        }
        case Tag.Array: {
          const n = uint()
          const out = new Array<unknown>(n)
          for (let i = 0; i < n; i++) out[i] = value()
          return out
        }
        default: {
          const n = uint()
          const out: Record<string, unknown> = {}
          for (let i = 0; i < n; i++) {
            const k = value() as string
            out[k] = value()
          }
          return out
        }
      }
    }
    return value()
  }
}

/**
 * Where a corpus's sessions come from when one is needed whole (a page, a detail filter, an
 * export): rebuilt from the seed (the generated corpus), or decoded from the compact form kept for
 * loaded fixtures. Either way no session is held as objects beyond the store's small cache.
 */
import type { StoredSession } from '../../contract/schemas/sessions.ts'
import type { CorpusGenerator } from './generate.ts'
import { Packer } from './packed.ts'

export interface SessionSource {
  /** The session at a position, in the fixtures format. */
  session(pos: number): StoredSession
  /** The same as one line of JSON in the fixtures format: the session, then `version_key` and `details`. */
  line(pos: number): string
}

/** A session in the fixtures format's key order: the API's fields in their order, then `version_key` and `details`. */
export function fixtureValue(s: StoredSession): StoredSession {
  const { version_key, details, ...session } = s
  return { ...session, version_key, details: details ?? {} } as StoredSession
}

/** A session's fixtures-format JSON (see fixtureValue). */
export const fixtureJson = (s: StoredSession): string => JSON.stringify(fixtureValue(s))

/** Sessions rebuilt from the seed on demand. */
export class GeneratedSource implements SessionSource {
  readonly #gen: CorpusGenerator
  constructor(gen: CorpusGenerator) {
    this.#gen = gen
  }
  session(pos: number): StoredSession {
    return this.#gen.session(pos)
  }
  line(pos: number): string {
    return fixtureJson(this.#gen.session(pos))
  }
}

const CHUNK = 16 * 1024 * 1024

/** Sessions kept in a compact binary form (packed.ts), in large buffers. */
export class PackedSource implements SessionSource {
  readonly #packer = new Packer()
  readonly #chunks: Buffer[] = []
  #used = CHUNK
  #chunkOf = new Uint16Array(16)
  #start = new Uint32Array(16)
  #end = new Uint32Array(16)
  #size = 0

  /** Appends one session (kept in the fixtures format's key order). */
  add(s: StoredSession): void {
    const packed = this.#packer.pack(fixtureValue(s))
    const bytes = packed.length
    if (this.#used + bytes > CHUNK) {
      this.#chunks.push(Buffer.allocUnsafe(Math.max(CHUNK, bytes)))
      this.#used = 0
    }
    const i = this.#size++
    if (i >= this.#start.length) {
      const grow = <T extends Uint16Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2)
        b.set(a)
        return b
      }
      this.#chunkOf = grow(this.#chunkOf)
      this.#start = grow(this.#start)
      this.#end = grow(this.#end)
    }
    const chunk = this.#chunks[this.#chunks.length - 1]!
    this.#chunkOf[i] = this.#chunks.length - 1
    this.#start[i] = this.#used
    chunk.set(packed, this.#used)
    this.#used += bytes
    this.#end[i] = this.#used
  }

  session(pos: number): StoredSession {
    return this.#packer.unpack(this.#chunks[this.#chunkOf[pos]!]!.subarray(this.#start[pos], this.#end[pos])) as StoredSession
  }

  line(pos: number): string {
    return JSON.stringify(this.session(pos))
  }
}

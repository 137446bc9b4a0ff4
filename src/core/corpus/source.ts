/**
 * Where a corpus's sessions come from when one is needed whole (a page, a detail filter, an
 * export): rebuilt from the seed (the generated corpus), or decoded from the compact text kept for
 * loaded fixtures. Either way no session is held as objects beyond the store's small cache.
 */
import type { StoredSession } from '../../contract/schemas/sessions.js'
import type { CorpusGenerator } from './generate.js'

export interface SessionSource {
  /** The session at a position, in the fixtures format. */
  session(pos: number): StoredSession
  /** The same as one line of JSON in the fixtures format: the session, then `version_key` and `details`. */
  line(pos: number): string
}

/** A session's fixtures-format JSON: the API's fields in their order, then `version_key` and `details`. */
export function fixtureJson(s: StoredSession): string {
  const { version_key, details, ...session } = s
  return JSON.stringify({ ...session, version_key, details: details ?? {} })
}

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

/** Sessions kept as their fixtures-format UTF-8 text, packed into large buffers. */
export class TextSource implements SessionSource {
  readonly #chunks: Buffer[] = []
  #used = CHUNK
  #chunkOf = new Uint16Array(16)
  #start = new Uint32Array(16)
  #end = new Uint32Array(16)
  #size = 0

  /** Appends one session's fixtures-format JSON (as `fixtureJson` writes it). */
  add(json: string): void {
    const bytes = Buffer.byteLength(json)
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
    this.#used += chunk.write(json, this.#used, 'utf8')
    this.#end[i] = this.#used
  }

  line(pos: number): string {
    return this.#chunks[this.#chunkOf[pos]!]!.toString('utf8', this.#start[pos], this.#end[pos])
  }

  session(pos: number): StoredSession {
    return JSON.parse(this.line(pos)) as StoredSession
  }
}

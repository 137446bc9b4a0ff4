/**
 * Sessions' JSON as UTF-8, each followed by a comma, appended to shared chunks in the order they
 * are first serialized. A page serializes its sessions in page order, so the next time that page
 * (or a page overlapping it) is asked for, its sessions lie next to each other and are copied as one
 * run of bytes instead of one copy per session from as many separate buffers.
 *
 * Chunks are never reused: a chunk lives as long as a record points into it, and records are
 * dropped from the store's cache in about the order their bytes were appended, so old chunks are
 * freed whole.
 */

/** A session's bytes in a chunk: `buf[start, end)`, its JSON then a comma at `end - 1`. */
export interface Slice {
  readonly buf: Buffer
  readonly start: number
  readonly end: number
}

/** Bytes per chunk: a few hundred sessions; a session longer than that gets a chunk of its own. */
export const CHUNK_BYTES = 256 * 1024

export class ByteArena {
  readonly #chunkBytes: number
  #chunk: Buffer
  #used = 0

  constructor(chunkBytes = CHUNK_BYTES) {
    this.#chunkBytes = chunkBytes
    this.#chunk = Buffer.allocUnsafeSlow(chunkBytes)
  }

  /** Appends `text` as UTF-8 followed by a comma. */
  append(text: string): Slice {
    // At most 3 bytes per UTF-16 code unit, plus the comma: room enough without measuring first.
    const room = text.length * 3 + 1
    if (this.#used + room > this.#chunk.length) {
      this.#chunk = Buffer.allocUnsafeSlow(Math.max(this.#chunkBytes, room))
      this.#used = 0
    }
    const buf = this.#chunk
    const start = this.#used
    const end = start + buf.write(text, start, 'utf8') + 1
    buf[end - 1] = 0x2c // ,
    this.#used = end
    return { buf, start, end }
  }
}

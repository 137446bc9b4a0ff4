/**
 * Reusable response buffers for list pages. Allocating a fresh ~30 KB buffer per page (what
 * Buffer.concat does) cost about as much as the whole bare Fastify route it is compared with (see
 * docs/performance.md); a page is instead copied into a pooled buffer, which goes back to the pool
 * only once the response has been handed to the OS (the route's onResponse hook, run on 'finish'; on
 * a socket error too, when nothing more will be sent from it).
 */
export class BufferPool {
  readonly size: number
  readonly max: number
  readonly #free: Buffer[] = []

  /** `size`: bytes per buffer; `max`: how many free buffers it keeps. */
  constructor(size = 256 * 1024, max = 32) {
    this.size = size
    this.max = max
  }

  get free(): number {
    return this.#free.length
  }

  /** A buffer of `size` bytes, or undefined when `bytes` does not fit in one. */
  take(bytes: number): Buffer | undefined {
    if (bytes > this.size) return undefined
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size)
  }

  give(buffer: Buffer): void {
    if (this.#free.length < this.max) this.#free.push(buffer)
  }
}

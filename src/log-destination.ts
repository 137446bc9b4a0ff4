/**
 * Where JSON log lines go: stdout, written synchronously (nothing is held back at exit), and once the
 * server serves, gathered for at most FLUSH_MS (or until BUFFER_BYTES fill) and written in one call.
 * A write call per line cost more than formatting the line; under load one call carries hundreds.
 */
import { writeSync } from 'node:fs'

/** Waits on EAGAIN (a non-blocking pipe that is full) without spinning the CPU. */
const pause = new Int32Array(new SharedArrayBuffer(4))
const EAGAIN_WAIT_MS = 1
/** How long a line may wait for others: short enough that someone watching the log sees no lag. */
export const FLUSH_MS = 10

/** Buffers with a flush scheduled (something pending), written out when the process exits. */
const live = new Set<LineBuffer>()
let exitHook = false

export type WriteFn = (fd: number, buffer: Buffer, offset: number) => number

/** Bytes gathered before a write is due anyway: a few hundred lines. */
export const BUFFER_BYTES = 128 * 1024

export class LineBuffer {
  readonly #fd: number
  readonly #write: WriteFn
  /**
   * Lines as UTF-8, encoded as they come: a line is garbage at once instead of waiting as a string
   * (joining a few hundred strings built by concatenation, then encoding them, cost more).
   */
  #buf: Buffer
  #used = 0
  #batching = false
  /** Set when the reader has gone (EPIPE): lines are dropped, as pino does. */
  #closed = false

  constructor(fd = 1, write: WriteFn = (fd, buffer, offset) => writeSync(fd, buffer, offset), bufferBytes = BUFFER_BYTES) {
    this.#fd = fd
    this.#write = write
    this.#buf = Buffer.allocUnsafeSlow(bufferBytes)
    if (!exitHook) {
      exitHook = true
      process.once('exit', () => {
        for (const b of live) b.flush()
      })
    }
  }

  /**
   * From now on, lines wait up to FLUSH_MS for others. Before, each is written as it comes:
   * a start-up that loads a corpus for minutes never yields, and its progress lines must not wait.
   */
  batch(): void {
    this.#batching = true
  }

  /** pino's destination interface. */
  write(line: string): void {
    if (this.#closed) return
    // At most 3 bytes per UTF-16 code unit: room enough without measuring first.
    const room = line.length * 3
    if (this.#used + room > this.#buf.length) {
      this.flush()
      if (room > this.#buf.length) this.#buf = Buffer.allocUnsafeSlow(room)
    }
    this.#used += this.#buf.write(line, this.#used, 'utf8')
    if (!this.#batching) return this.flush()
    if (live.has(this)) return
    live.add(this)
    setTimeout(() => this.flush(), FLUSH_MS).unref()
  }

  /** Writes what is pending, now. */
  flush(): void {
    live.delete(this)
    if (this.#used === 0) return
    const bytes = this.#buf.subarray(0, this.#used)
    this.#used = 0
    for (let at = 0; at < bytes.length && !this.#closed; ) {
      try {
        at += this.#write(this.#fd, bytes, at)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, EAGAIN_WAIT_MS)
        else if (code === 'EPIPE') this.#closed = true
        else throw e
      }
    }
  }
}

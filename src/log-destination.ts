/**
 * Where JSON log lines go: stdout, written synchronously (nothing is held back at exit), and once the
 * server serves, gathered for at most FLUSH_MS and written in one call. A write call per line cost
 * more than formatting the line; under load one call now carries dozens of lines.
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

export class LineBuffer {
  readonly #fd: number
  readonly #write: WriteFn
  #pending: string[] = []
  #batching = false
  /** Set when the reader has gone (EPIPE): lines are dropped, as pino does. */
  #closed = false

  constructor(fd = 1, write: WriteFn = (fd, buffer, offset) => writeSync(fd, buffer, offset)) {
    this.#fd = fd
    this.#write = write
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
    this.#pending.push(line)
    if (!this.#batching) return this.flush()
    if (live.has(this)) return
    live.add(this)
    setTimeout(() => this.flush(), FLUSH_MS).unref()
  }

  /** Writes what is pending, now. */
  flush(): void {
    live.delete(this)
    if (this.#pending.length === 0) return
    const bytes = Buffer.from(this.#pending.join(''))
    this.#pending = []
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

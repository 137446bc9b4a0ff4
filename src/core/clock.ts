/**
 * The virtual clock. Real time by default (offset by however far it was moved); pinned with `--now`
 * (frozen until moved). Rate-limit windows, `retry_after`, date presets and new timestamps read it,
 * so a test of 429 handling moves the clock instead of sleeping.
 */
import { errors } from '../contract/catalogue.js'

/** The last instant a JavaScript Date can hold: the clock never moves past it, so it always prints. */
export const MAX_TIME_MS = 8.64e15

export interface ClockOptions {
  /** Pin the clock at this instant (epoch ms); it stays frozen until moved. */
  now?: number
  /** The real clock; injectable for tests. */
  realNow?: () => number
}

export class VirtualClock {
  readonly #pinnedAtStart: number | undefined
  readonly #realNow: () => number
  #pinned: number | undefined
  #offset = 0

  constructor(opts: ClockOptions = {}) {
    this.#pinnedAtStart = opts.now
    this.#pinned = opts.now
    // The one wall-clock read of the product: real-time mode, when no --now pins the clock.
    this.#realNow = opts.realNow ?? (() => Date.now())
  }

  /** Epoch milliseconds on the virtual clock. */
  now(): number {
    return this.#pinned ?? this.#realNow() + this.#offset
  }

  /** Whether the clock is frozen (pinned with `--now` or `set`). */
  get pinned(): boolean {
    return this.#pinned !== undefined
  }

  /** Moves the clock `ms` forward; refused (value_not_permitted, nothing moved) past MAX_TIME_MS. */
  advance(ms: number): number {
    if (!(this.now() + ms <= MAX_TIME_MS)) {
      throw errors.notPermitted('advance_ms', `would move the clock past ${new Date(MAX_TIME_MS).toISOString()}, the last date it can show`)
    }
    if (this.#pinned !== undefined) this.#pinned += ms
    else this.#offset += ms
    return this.now()
  }

  /** Pins the clock at `ms`. */
  set(ms: number): number {
    this.#pinned = ms
    return ms
  }

  /** Back to the start-up state. */
  reset(): void {
    this.#pinned = this.#pinnedAtStart
    this.#offset = 0
  }
}

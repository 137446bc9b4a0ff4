/**
 * The virtual clock. It runs at real speed from where it starts (`--now`, else the real time), so a
 * client that really waits `Retry-After` seconds gets through; frozen (`--freeze-clock`) it stands
 * still until moved. Rate-limit windows, `retry_after`, date presets and new timestamps read it, so a
 * test of 429 handling may move it instead of sleeping.
 */
import { errors } from '../contract/catalogue.ts'

/** The last instant a JavaScript Date can hold: the clock never moves past it, so it always prints. */
export const MAX_TIME_MS = 8.64e15

export interface ClockOptions {
  /** Where the clock starts (epoch ms); default: the real time. */
  now?: number
  /** Start frozen: the clock stands still until moved or released. */
  frozen?: boolean
  /** The real clock; injectable for tests. */
  realNow?: () => number
}

/** The real time: the product's one wall-clock read (data generation reads the virtual clock). */
export const realNow = (): number => Date.now()

export class VirtualClock {
  /** Where it started (epoch ms), and whether that was simply the real time. */
  readonly #startAt: number
  readonly #startsAtRealTime: boolean
  readonly #startsFrozen: boolean
  readonly #realNow: () => number
  /** Virtual minus real time while running. */
  #offset = 0
  /** The instant it stands at while frozen; undefined = running. */
  #frozenAt: number | undefined

  constructor(opts: ClockOptions = {}) {
    this.#realNow = opts.realNow ?? realNow
    this.#startAt = opts.now ?? this.#realNow()
    this.#startsAtRealTime = opts.now === undefined
    this.#startsFrozen = opts.frozen === true
    this.reset()
  }

  /** Where the clock started (epoch ms): the instant a generated corpus is built around. */
  get startedAt(): number {
    return this.#startAt
  }

  /** Epoch milliseconds on the virtual clock. */
  now(): number {
    return this.#frozenAt ?? this.#realNow() + this.#offset
  }

  /** Whether the clock stands still until moved. */
  get frozen(): boolean {
    return this.#frozenAt !== undefined
  }

  /** Moves the clock `ms` forward; refused (value_not_permitted, nothing moved) past MAX_TIME_MS. */
  advance(ms: number): number {
    if (!(this.now() + ms <= MAX_TIME_MS)) {
      throw errors.notPermitted('advance_ms', `would move the clock past ${new Date(MAX_TIME_MS).toISOString()}, the last date it can show`)
    }
    if (this.#frozenAt !== undefined) this.#frozenAt += ms
    else this.#offset += ms
    return this.now()
  }

  /** Puts the clock at `ms`; it keeps running (or standing) from there. */
  set(ms: number): number {
    if (this.#frozenAt !== undefined) this.#frozenAt = ms
    else this.#offset = ms - this.#realNow()
    return ms
  }

  /** Stops the clock where it is, or at `at` (an instant it was just put at: read again, a running clock may have ticked). */
  freeze(at: number = this.now()): number {
    this.#frozenAt = at
    return at
  }

  /** Lets a frozen clock run again at real speed, from where it stands. */
  release(): number {
    const now = this.now()
    this.#frozenAt = undefined
    this.#offset = now - this.#realNow()
    return now
  }

  /**
   * Back to the start-up state: frozen at the start instant, or running from `--now` again, or on
   * real time with no offset.
   */
  reset(): void {
    this.#frozenAt = this.#startsFrozen ? this.#startAt : undefined
    this.#offset = this.#startsAtRealTime ? 0 : this.#startAt - this.#realNow()
  }
}

/**
 * The rate limiter: N requests per token per fixed window, on the virtual clock.
 *
 * Windows are aligned on the epoch (`[k·W, (k+1)·W)`), as DevRev's "resets every five minutes" and
 * its example `X-Ratelimit-Reset` suggest, so every token's window ends at the same instant. Only
 * requests that the limit lets through are counted. Over the limit, `retry_after` is the seconds left
 * to the window's end, rounded up, and at least 1.
 */

export interface RateLimitConfig {
  /** Requests per token per window. */
  limit: number
  windowMs: number
}

export interface RateLimitVerdict {
  allowed: boolean
  limit: number
  /** What is left in this window after this request. */
  remaining: number
  /** The window's end, epoch seconds (rounded up). */
  reset: number
  /** Seconds until the window's end, rounded up, at least 1. */
  retryAfter: number
}

/** Windows kept before stale ones are swept (memory stays bounded under many tokens). */
const SWEEP_AT = 10_000

export class RateLimiter {
  readonly #initial: RateLimitConfig | undefined
  #config: RateLimitConfig | undefined
  readonly #windows = new Map<string, { start: number; count: number }>()

  constructor(config?: RateLimitConfig) {
    this.#initial = config
    this.#config = config
  }

  get config(): RateLimitConfig | undefined {
    return this.#config
  }

  /** Turns the limiter on with `config` (or off with undefined); every count starts afresh. */
  set(config: RateLimitConfig | undefined): void {
    this.#config = config
    this.#windows.clear()
  }

  /** Back to the start-up setting, counts cleared. */
  reset(): void {
    this.set(this.#initial)
  }

  #verdict(config: RateLimitConfig, token: string, now: number, take: boolean): RateLimitVerdict {
    const start = Math.floor(now / config.windowMs) * config.windowMs
    const end = start + config.windowMs
    let w = this.#windows.get(token)
    if (w === undefined || w.start !== start) {
      w = { start, count: 0 }
      if (take) {
        if (this.#windows.size >= SWEEP_AT) this.#sweep(start)
        this.#windows.set(token, w)
      }
    }
    const allowed = w.count < config.limit
    if (take && allowed) w.count++
    return {
      allowed,
      limit: config.limit,
      remaining: Math.max(0, config.limit - w.count),
      reset: Math.ceil(end / 1000),
      retryAfter: Math.max(1, Math.ceil((end - now) / 1000)),
    }
  }

  #sweep(currentStart: number): void {
    for (const [token, w] of this.#windows) if (w.start !== currentStart) this.#windows.delete(token)
  }

  /** Counts a request of `token` at `now`; undefined when the limiter is off. */
  hit(token: string, now: number): RateLimitVerdict | undefined {
    return this.#config && this.#verdict(this.#config, token, now, true)
  }

  /** The state of `token`'s window without counting a request; undefined when the limiter is off. */
  peek(token: string, now: number): RateLimitVerdict | undefined {
    return this.#config && this.#verdict(this.#config, token, now, false)
  }

  /** Each token's count in the window that holds `now` (tokens not seen in it are absent); empty when off. */
  usage(now: number): { token: string; used: number; remaining: number; reset: number }[] {
    const config = this.#config
    if (config === undefined) return []
    const start = Math.floor(now / config.windowMs) * config.windowMs
    const out: { token: string; used: number; remaining: number; reset: number }[] = []
    for (const [token, w] of this.#windows) {
      if (w.start === start) out.push({ token, used: w.count, remaining: Math.max(0, config.limit - w.count), reset: Math.ceil((start + config.windowMs) / 1000) })
    }
    return out
  }

  /** How many tokens have a window in memory (for tests of the sweep). */
  get tracked(): number {
    return this.#windows.size
  }
}

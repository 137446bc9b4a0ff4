import t from 'tap'
import { RateLimiter } from '../../src/core/limiter.ts'

const T0 = Date.parse('2026-01-15T12:00:00Z') // a multiple of every window below

t.test('off: no verdicts', async (t) => {
  const l = new RateLimiter()
  t.equal(l.config, undefined)
  t.equal(l.hit('a', T0), undefined)
  t.equal(l.peek('a', T0), undefined)
})

t.test('fixed windows per token, aligned on the epoch', async (t) => {
  const l = new RateLimiter({ limit: 2, windowMs: 60_000 })
  const reset = (T0 + 60_000) / 1000
  t.same(l.hit('a', T0), { allowed: true, limit: 2, remaining: 1, reset, retryAfter: 60 })
  t.same(l.hit('a', T0 + 1), { allowed: true, limit: 2, remaining: 0, reset, retryAfter: 60 })
  t.same(l.hit('a', T0 + 20_500), { allowed: false, limit: 2, remaining: 0, reset, retryAfter: 40 }, 'seconds left, rounded up')
  t.same(l.hit('a', T0 + 59_999), { allowed: false, limit: 2, remaining: 0, reset, retryAfter: 1 }, 'at least 1')
  t.same(l.hit('b', T0 + 30_000), { allowed: true, limit: 2, remaining: 1, reset, retryAfter: 30 }, 'another token, its own count')
  t.same(l.hit('a', T0 + 60_000), { allowed: true, limit: 2, remaining: 1, reset: reset + 60, retryAfter: 60 }, 'next window')
})

t.test('peek tells without counting', async (t) => {
  const l = new RateLimiter({ limit: 1, windowMs: 1000 })
  t.same(l.peek('a', T0 + 250), { allowed: true, limit: 1, remaining: 1, reset: T0 / 1000 + 1, retryAfter: 1 })
  t.equal(l.tracked, 0)
  l.hit('a', T0 + 250)
  t.match(l.peek('a', T0 + 300), { allowed: false, remaining: 0 })
  t.match(l.peek('a', T0 + 1000), { allowed: true, remaining: 1 })
})

t.test('reset windows: X-RateLimit-Reset rounds a sub-second end up', async (t) => {
  const l = new RateLimiter({ limit: 1, windowMs: 300 })
  t.match(l.hit('a', T0 + 100), { reset: T0 / 1000 + 1, retryAfter: 1 })
})

t.test('set and reset', async (t) => {
  const l = new RateLimiter({ limit: 1, windowMs: 60_000 })
  l.hit('a', T0)
  t.match(l.hit('a', T0), { allowed: false })
  l.set({ limit: 5, windowMs: 1000 })
  t.same(l.config, { limit: 5, windowMs: 1000 })
  t.match(l.hit('a', T0), { allowed: true, remaining: 4 }, 'a new setting starts every count afresh')
  l.set(undefined)
  t.equal(l.hit('a', T0), undefined)
  l.reset()
  t.same(l.config, { limit: 1, windowMs: 60_000 })
  t.match(l.hit('a', T0), { allowed: true })
})

t.test('stale windows are swept when many tokens pile up', async (t) => {
  const l = new RateLimiter({ limit: 1, windowMs: 1000 })
  for (let i = 0; i < 10_000; i++) l.hit(`t${i}`, T0)
  t.equal(l.tracked, 10_000)
  l.hit('late', T0 + 1000)
  t.equal(l.tracked, 1, 'only the current window is kept')
  for (let i = 0; i < 10_000; i++) l.hit(`u${i}`, T0 + 1000)
  t.equal(l.tracked, 10_001, 'windows still open are never dropped')
})

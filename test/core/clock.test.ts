/** The virtual clock: real time by default (moved by an offset), pinned with `now` (frozen until moved). */
import t from 'tap'
import { VirtualClock } from '../../src/core/clock.js'

t.test('pinned: frozen until moved, reset goes back to the pin', async (t) => {
  const c = new VirtualClock({ now: 1_000 })
  t.equal(c.pinned, true)
  t.equal(c.now(), 1_000)
  t.equal(c.now(), 1_000, 'frozen')
  t.equal(c.advance(250), 1_250)
  t.equal(c.now(), 1_250)
  t.equal(c.set(5_000), 5_000)
  t.equal(c.now(), 5_000)
  c.reset()
  t.equal(c.now(), 1_000)
})

t.test('real time: follows the real clock plus how far it was moved', async (t) => {
  let real = 10_000
  const c = new VirtualClock({ realNow: () => real })
  t.equal(c.pinned, false)
  t.equal(c.now(), 10_000)
  real = 10_500
  t.equal(c.now(), 10_500, 'runs with real time')
  t.equal(c.advance(60_000), 70_500)
  real = 11_000
  t.equal(c.now(), 71_000, 'the offset stays while real time runs')
  c.set(3)
  t.equal(c.pinned, true, 'set pins it')
  real = 99_999
  t.equal(c.now(), 3)
  c.reset()
  t.equal(c.pinned, false, 'reset: back to real time, offset gone')
  t.equal(c.now(), 99_999)
})

t.test('the default real clock is Date.now', async (t) => {
  const before = Date.now()
  const now = new VirtualClock().now()
  t.ok(now >= before && now <= Date.now())
})

/**
 * The virtual clock: runs at real speed from where it starts (`now`, else the real time), stands still
 * when frozen, and goes back to its start-up state on reset.
 */
import t from 'tap'
import { VirtualClock, realNow } from '../../src/core/clock.ts'

t.test('started at `now`: runs at real speed from there', async (t) => {
  let real = 50_000
  const c = new VirtualClock({ now: 1_000, realNow: () => real })
  t.equal(c.frozen, false)
  t.equal(c.now(), 1_000)
  real += 1_500
  t.equal(c.now(), 2_500, 'one and a half real seconds later')
  t.equal(c.advance(250), 2_750)
  real += 10
  t.equal(c.now(), 2_760, 'still running after a move')
  t.equal(c.set(5_000), 5_000)
  real += 1
  t.equal(c.now(), 5_001, 'and after a set')
  c.reset()
  t.equal(c.now(), 1_000, 'reset: back at the start instant')
  real += 7
  t.equal(c.now(), 1_007, 'running again')
})

t.test('frozen: stands still until moved, set, or released', async (t) => {
  let real = 50_000
  const c = new VirtualClock({ now: 1_000, frozen: true, realNow: () => real })
  t.equal(c.frozen, true)
  real += 9_999
  t.equal(c.now(), 1_000, 'frozen')
  t.equal(c.advance(250), 1_250)
  t.equal(c.set(5_000), 5_000)
  real += 3
  t.equal(c.now(), 5_000, 'a set keeps it frozen')
  t.equal(c.release(), 5_000)
  t.equal(c.frozen, false)
  real += 20
  t.equal(c.now(), 5_020, 'released: runs from where it stood')
  t.equal(c.freeze(), 5_020)
  real += 20
  t.equal(c.now(), 5_020, 'frozen again')
  c.release()
  c.reset()
  t.equal(c.frozen, true, 'reset: frozen as at start-up')
  t.equal(c.now(), 1_000)
})

t.test('freeze(at): set on a running clock, then frozen at that very instant however much real time passed', async (t) => {
  let real = 10_000
  const c = new VirtualClock({ realNow: () => real })
  const at = c.set(2_000)
  real += 1 // the millisecond that can tick between setting and freezing
  t.equal(c.now(), 2_001, 'running: it moved on')
  t.equal(c.freeze(at), 2_000)
  real += 50
  t.equal(c.now(), 2_000, 'stands where it was set')
})

t.test('real time: follows the real clock plus how far it was moved', async (t) => {
  let real = 10_000
  const c = new VirtualClock({ realNow: () => real })
  t.equal(c.frozen, false)
  t.equal(c.now(), 10_000)
  real = 10_500
  t.equal(c.now(), 10_500, 'runs with real time')
  t.equal(c.advance(60_000), 70_500)
  real = 11_000
  t.equal(c.now(), 71_000, 'the offset stays while real time runs')
  c.set(3)
  real = 11_100
  t.equal(c.now(), 103, 'set: runs on from there')
  c.reset()
  t.equal(c.now(), 11_100, 'reset: back to real time, offset gone')
})

t.test('frozen with no start instant: stands at the real time it started at', async (t) => {
  let real = 10_000
  const c = new VirtualClock({ frozen: true, realNow: () => real })
  real = 20_000
  t.equal(c.now(), 10_000)
  c.release()
  c.reset()
  t.equal(c.now(), 10_000, 'reset: frozen at the start instant again')
})

t.test('the default real clock is Date.now', async (t) => {
  const before = Date.now()
  const now = new VirtualClock().now()
  t.ok(now >= before && now <= Date.now())
  t.ok(realNow() >= now)
})

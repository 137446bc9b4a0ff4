import t from 'tap'
import { createHash } from 'node:crypto'
import { Journal, RetryTracker, tokenHash } from '../../src/core/journal.ts'
import { DEFAULTS } from '../../src/core/defaults.ts'

t.test('a bounded ring, oldest first', async (t) => {
  const j = new Journal<number>(3)
  t.same(j.list(), [])
  j.push(1)
  j.push(2)
  t.same(j.list(), [1, 2])
  t.equal(j.size, 2)
  j.push(3)
  j.push(4)
  j.push(5)
  t.same(j.list(), [3, 4, 5], 'the oldest are dropped')
  t.equal(j.size, 3)
  for (let i = 6; i <= 10; i++) j.push(i)
  t.same(j.list(), [8, 9, 10])
  j.clear()
  t.same(j.list(), [])
  j.push(11)
  t.same(j.list(), [11])
  t.equal(new Journal().capacity, DEFAULTS.journalSize)
  t.equal(DEFAULTS.journalSize, 1000)
  t.throws(() => new Journal(0), RangeError)
  t.throws(() => new Journal(1.5), RangeError)
})

t.test('recycle(): the item the next push overwrites, to be filled in place', async (t) => {
  const j = new Journal<{ n: number }, number>(2, (x) => x.n)
  t.equal(j.recycle(), undefined, 'an empty slot: nothing to reuse')
  const a = { n: 1 }
  const b = { n: 2 }
  j.push(a)
  t.equal(j.recycle(), undefined, 'the ring is not full yet')
  j.push(b)
  const oldest = j.recycle()
  t.equal(oldest, a, 'full: the oldest')
  oldest!.n = 3
  j.push(oldest!)
  t.same(j.list(), [2, 3], 'the oldest is gone, the reused item is the newest')
  t.equal(j.recycle(), b)
  j.clear()
  t.equal(j.recycle(), undefined, 'nothing to reuse after a clear')
})

t.test('tokens are hashed, never kept', async (t) => {
  t.equal(tokenHash(''), null)
  const h = tokenHash('secret-token')
  t.equal(h, createHash('sha256').update('secret-token').digest('hex').slice(0, 16))
  t.match(h, /^[0-9a-f]{16}$/)
  t.not(tokenHash('other'), h)
  t.equal(tokenHash('secret-token'), h, 'the memo gives the same hash again')
  // Past the memo's bound it starts afresh, and the hashes stay the same.
  for (let i = 0; i < 1100; i++) tokenHash(`t${i}`)
  t.equal(tokenHash('secret-token'), h)
  const t5 = createHash('sha256').update('t5').digest('hex').slice(0, 16)
  t.equal(tokenHash('t5'), t5)
  t.equal(tokenHash(`t${5}`), t5, 'the same token again (another string of it): the last one is remembered')
  t.equal(tokenHash('other'), createHash('sha256').update('other').digest('hex').slice(0, 16), 'and then another')
})

t.test('RetryTracker flags a token back before its Retry-After', async (t) => {
  const r = new RetryTracker()
  t.notOk(r.isEarly('a', 0), 'never told: not early')
  r.told('a', 1000, 3)
  t.ok(r.isEarly('a', 1000))
  t.ok(r.isEarly('a', 3999), 'still early, still remembered')
  t.notOk(r.isEarly('b', 2000), 'another token')
  t.notOk(r.isEarly('a', 4000), 'waited long enough')
  t.notOk(r.isEarly('a', 1000), 'then forgotten')
  r.told('a', 0, 10)
  r.clear()
  t.notOk(r.isEarly('a', 1))
})

t.test('RetryTracker remembers a bounded number of tokens, oldest forgotten first', async (t) => {
  const r = new RetryTracker(2)
  r.told('a', 0, 10)
  r.told('b', 0, 10)
  r.told('a', 0, 10) // refreshed: now the newest
  r.told('c', 0, 10) // forgets b
  t.ok(r.isEarly('a', 1))
  t.notOk(r.isEarly('b', 1))
  t.ok(r.isEarly('c', 1))
})

t.test('subscribers hear every push and every clear; since() gives what a reader missed', async (t) => {
  const j = new Journal<number, string>(3, (n) => `#${n}`)
  t.equal(j.seq, 0)
  j.push(1)
  const heard: unknown[] = []
  const off = j.subscribe((e) => heard.push(e))
  t.equal(j.listeners, 1)
  j.push(2)
  j.clear()
  j.push(3)
  t.same(heard, [{ kind: 'entry', seq: 2, entry: '#2' }, { kind: 'clear' }, { kind: 'entry', seq: 3, entry: '#3' }])
  off()
  t.equal(j.listeners, 0)
  j.push(4)
  t.equal(heard.length, 3, 'no more once unsubscribed')
  t.equal(j.seq, 4, 'sequence numbers go on across a clear')
  t.same(j.since(0), [{ seq: 3, entry: '#3' }, { seq: 4, entry: '#4' }])
  t.same(j.since(3), [{ seq: 4, entry: '#4' }])
  t.same(j.since(4), [])
  for (let i = 5; i <= 9; i++) j.push(i)
  t.same(j.since(2).map((e) => e.seq), [7, 8, 9], 'only what the ring still keeps')
  t.same(j.since(8), [{ seq: 9, entry: '#9' }])
  // A listener that unsubscribes itself while being called does not disturb the others.
  const order: string[] = []
  const once = j.subscribe(() => {
    order.push('once')
    once()
  })
  j.subscribe(() => order.push('always'))
  j.push(10)
  j.push(11)
  t.same(order, ['once', 'always', 'always'])
})

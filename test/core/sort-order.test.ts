/** `sort_by` parsing and the comparators (pure core): priority order, directions, tie-break by session_id. */
import t from 'tap'
import { compareRecords, compareToKeys, DEFAULT_SORT, keysOf, parseSort, sortSpecKey } from '../../src/core/query/sort.js'
import type { SessionRecord } from '../../src/core/corpus/record.js'

const rec = (id: string, created: number, duration: number, dead = 0): SessionRecord =>
  ({ session: { session_id: id, session_duration_ms: duration, dead_click_count: dead }, versionKey: 'v', details: {}, createdAtMs: created }) as unknown as SessionRecord

t.test('parseSort', async (t) => {
  t.equal(parseSort(undefined, 'mobile'), DEFAULT_SORT)
  t.equal(parseSort([], 'web'), DEFAULT_SORT)
  t.equal(sortSpecKey(DEFAULT_SORT), 'created_at:desc')
  t.same(parseSort(['session_duration_ms', 'created_at:desc'], 'mobile'), [
    { field: 'session_duration_ms', dir: 1 },
    { field: 'created_at', dir: -1 },
  ])
  t.throws(() => parseSort(['session_duration_ms', 'created_at:desc', 'created_at:asc'], 'mobile'), {
    name: 'DevRevError',
    type: 'value_not_permitted',
    message: 'sort_by[2] repeats created_at: each field may be given once',
  })
  t.equal(sortSpecKey(parseSort(['dead_click_count', 'rage_click_count:desc'], 'web')), 'dead_click_count:asc,rage_click_count:desc')
  for (const bad of ['dead_click_count', 'created_at:sideways', 'created_at:', ':asc', 'Created_at', ' created_at']) {
    t.throws(() => parseSort(['created_at', bad], 'mobile'), { name: 'DevRevError', message: /^sort_by\[1\] must be one of created_at, session_duration_ms/ }, bad)
  }
})

t.test('comparators: keys in priority order, then session_id ascending', async (t) => {
  const sort = parseSort(['session_duration_ms:desc', 'created_at'], 'web')
  const a = rec('a', 10, 5)
  const b = rec('b', 20, 5)
  const c = rec('c', 10, 9)
  t.ok(compareRecords(sort, c, a) < 0, 'longer first')
  t.ok(compareRecords(sort, a, b) < 0, 'then older first')
  t.equal(compareRecords(sort, a, a), 0, 'a session equals itself')
  const twin = rec('z', 10, 5)
  t.ok(compareRecords(sort, a, twin) < 0 && compareRecords(sort, twin, a) > 0, 'ties broken by session_id')
  t.same(keysOf(sort, b), [5, 20])
  t.equal(compareToKeys(sort, a, keysOf(sort, a), 'a'), 0)
  t.ok(compareToKeys(sort, a, keysOf(sort, a), 'b') < 0)
  t.ok(compareToKeys(sort, twin, keysOf(sort, a), 'a') > 0)
  t.ok(compareToKeys(sort, c, keysOf(sort, a), 'a') < 0)
  t.same(keysOf(parseSort(['dead_click_count:desc'], 'web'), rec('d', 1, 1, 4)), [4])
})

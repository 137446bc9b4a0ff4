/** `sort_by` parsing and the comparators (pure core): priority order, directions, tie-break by session_id. */
import t from 'tap'
import { compareToKeys, DEFAULT_SORT, keysOf, parseSort, sortSpecKey, type SortField, type SortKeys } from '../../src/core/query/sort.ts'

/** Sessions by position: id, created_at, duration, dead clicks. */
const rows: [string, number, number, number][] = []
const rec = (id: string, created: number, duration: number, dead = 0): number => rows.push([id, created, duration, dead]) - 1
const store: SortKeys = {
  key: (field: SortField, pos: number) => {
    const [, created, duration, dead] = rows[pos]!
    return field === 'created_at' ? created : field === 'session_duration_ms' ? duration : dead
  },
  sessionId: (pos: number) => rows[pos]![0],
}

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
  const twin = rec('z', 10, 5)
  const cmp = (x: number, y: number) => compareToKeys(sort, store, x, keysOf(sort, store, y), store.sessionId(y))
  t.ok(cmp(c, a) < 0, 'longer first')
  t.ok(cmp(a, b) < 0, 'then older first')
  t.equal(cmp(a, a), 0, 'a session equals itself')
  t.ok(cmp(a, twin) < 0 && cmp(twin, a) > 0, 'ties broken by session_id')
  t.same(keysOf(sort, store, b), [5, 20])
  t.ok(compareToKeys(sort, store, a, keysOf(sort, store, a), 'b') < 0)
  t.same(keysOf(parseSort(['dead_click_count:desc'], 'web'), store, rec('d', 1, 1, 4)), [4])
})

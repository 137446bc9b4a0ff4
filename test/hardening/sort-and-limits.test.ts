/**
 * Memory stays bounded whatever `sort_by` a client sends: a repeated field is refused (which also
 * caps the items at the number of sortable fields), and each partition keeps a bounded number of
 * sorted indexes. And the rate limit is bounded so its headers always print as digits.
 */
import t from 'tap'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { CorpusStore, MAX_SORTED } from '../../src/core/corpus/store.ts'
import { parseSort } from '../../src/core/query/sort.ts'
import { loadFixturesFile } from '../../src/core/corpus/fixtures.ts'

const WEB = { type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 1 }

t.test('a repeated sort field: 400 naming the repeat', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const list = (sort_by: string[]) => app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: { ...WEB, sort_by } })
  for (const [sort_by, at] of [
    [['created_at', 'created_at:desc'], 'sort_by[1]'],
    [['session_duration_ms:asc', 'created_at', 'session_duration_ms:desc'], 'sort_by[2]'],
    [Array(2000).fill('created_at'), 'sort_by[1]'],
  ] as const) {
    const res = await list([...sort_by])
    t.equal(res.statusCode, 400)
    t.match(res.json(), { type: 'value_not_permitted', field_name: at, reason: /repeats/ })
  }
  const all = await list(['rage_click_count', 'dead_click_count:desc', 'session_duration_ms', 'created_at'])
  t.equal(all.statusCode, 200, 'every field once is fine')
})

t.test('each partition keeps at most MAX_SORTED sorted indexes, the oldest dropped first', async (t) => {
  const store = CorpusStore.of(loadFixturesFile('fixtures/example.json'))
  const web = store.sample('web')!
  const fields = ['created_at', 'session_duration_ms', 'dead_click_count', 'rage_click_count']
  const specs = fields.flatMap((a) => fields.filter((b) => b !== a).flatMap((b) => [parseSort([a, `${b}:desc`], 'web'), parseSort([`${a}:desc`, b], 'web')]))
  t.ok(specs.length > MAX_SORTED)
  const first = store.sorted(web.versionKey, 'web', specs[0]!)
  t.equal(store.sorted(web.versionKey, 'web', specs[0]!), first, 'kept while there is room')
  for (const s of specs.slice(1, MAX_SORTED + 1)) store.sorted(web.versionKey, 'web', s)
  const last = store.sorted(web.versionKey, 'web', specs[MAX_SORTED]!)
  t.equal(store.sorted(web.versionKey, 'web', specs[MAX_SORTED]!), last, 'the newest is kept')
  const again = store.sorted(web.versionKey, 'web', specs[0]!)
  t.not(again, first, 'the oldest was dropped, and is rebuilt on demand')
  t.same(again.positions, first.positions, 'in the same order')
})

t.test('the rate limit is bounded to safe integers', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const payload of [{ limit: 1e308 }, { limit: 2 ** 53 }, { limit: 5, window_ms: 1e300 }]) {
    const res = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().type, 'value_not_permitted')
  }
  const max = await app.inject({ method: 'PUT', url: '/__admin/rate-limit', payload: { limit: Number.MAX_SAFE_INTEGER } })
  t.equal(max.statusCode, 200)
  const list = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: WEB })
  t.equal(list.headers['x-ratelimit-limit'], '9007199254740991')
})

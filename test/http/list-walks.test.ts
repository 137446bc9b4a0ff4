/**
 * Full forward and backward walks of `POST /observability.sessions.list` with several sort orders
 * and limits: no duplicate, no skip, forward == reverse of backward, cursors absent exactly at the
 * ends, `mode: before` without a cursor starts from the end, empty results, default and clamped limits.
 */
import t, { type Test } from 'tap'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { exportCorpus, idsOf, listPage, walkBackward, walkForward, LIST, type Page } from '../helpers/walk.ts'
import { referenceList } from '../helpers/reference.ts'

const SORTS: Record<'mobile' | 'web', (string[] | undefined)[]> = {
  mobile: [
    undefined,
    ['created_at'],
    ['created_at:asc'],
    ['created_at:desc'],
    ['session_duration_ms'],
    ['session_duration_ms:desc'],
    ['session_duration_ms:desc', 'created_at:asc'],
  ],
  web: [
    ['dead_click_count:desc'],
    ['rage_click_count'],
    ['rage_click_count:desc', 'dead_click_count:asc', 'session_duration_ms:desc'],
    ['dead_click_count', 'created_at:desc'],
    ['session_duration_ms:asc'],
  ],
}
const LIMITS = [1, 7, 50, 100, 250]
const MAX = 100

/** Page sizes, cursors at the ends, then the sequence: checks shared by both directions. */
function checkPages(t: Test, pages: Page[], limit: number, total: number, direction: 'forward' | 'backward') {
  const size = Math.min(limit, MAX)
  t.equal(pages.length, Math.max(1, Math.ceil(total / size)), `${direction}: ceil(${total}/${size}) pages`)
  pages.forEach((p, i) => {
    const lastFetched = i === pages.length - 1
    if (!lastFetched) t.equal(p.sessions.length, size, `${direction} page ${i} is full`)
    // The start of the list has no prev_cursor, its end no next_cursor; every other side has one.
    const atStart = direction === 'forward' ? i === 0 : lastFetched
    const atEnd = direction === 'forward' ? lastFetched : i === 0
    if (('prev_cursor' in p) === atStart || ('next_cursor' in p) === atEnd) {
      t.fail(`${direction} page ${i} of ${pages.length}: cursors ${JSON.stringify(Object.keys(p))}`)
    }
  })
}

t.test('walks over every sort order and limit', async (t) => {
  const app = await buildTestApp({ sessions: 1200 })
  t.teardown(() => app.close())
  const corpus = await exportCorpus(app)
  const now = app.mock.clock.now()
  const scopes = [
    { type: 'mobile' as const, platform: 'android', version_key: 'com.example.shop' },
    { type: 'web' as const, platform: 'web', version_key: 'shop.example.com' },
  ]
  for (const scope of scopes) {
    for (const sort_by of [...SORTS.mobile, ...(scope.type === 'web' ? SORTS.web : [])]) {
      const expected = referenceList(corpus, { ...scope, sort_by }, now).map((s) => s.session_id)
      t.ok(expected.length > 100, `${scope.platform} scope has more than one page even at limit 100`)
      for (const limit of LIMITS) {
        const req = { ...scope, limit, ...(sort_by ? { sort_by } : {}) }
        const name = `${scope.platform} sort ${JSON.stringify(sort_by ?? 'default')} limit ${limit}`
        const forward = await walkForward(app, req)
        const backward = await walkBackward(app, req)
        const fwd = idsOf(forward)
        t.equal(new Set(fwd).size, fwd.length, `${name}: no duplicate`)
        t.same(fwd, expected, `${name}: every session once, in order`)
        t.same(idsOf([...backward].reverse()), fwd, `${name}: backward pages, reversed, equal the forward walk`)
        t.same([...backward].flatMap((p) => [...p.sessions].reverse()).map((s) => s.session_id), [...fwd].reverse(), `${name}: forward == reverse of backward`)
        checkPages(t, forward, limit, expected.length, 'forward')
        checkPages(t, backward, limit, expected.length, 'backward')
      }
    }
  }
})

t.test('a prev_cursor read with mode before gives back the previous page, a next_cursor with mode after the next', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const req = { type: 'web', platform: 'web', version_key: 'docs.example.com', limit: 9, sort_by: ['session_duration_ms:desc'] }
  const pages = await walkForward(app, req)
  t.ok(pages.length > 3)
  for (let i = 1; i < pages.length; i++) {
    const back = await listPage(app, { ...req, mode: 'before', cursor: pages[i]!.prev_cursor })
    t.same(idsOf([back]), idsOf([pages[i - 1]!]), `page ${i - 1} again`)
    t.equal(back.next_cursor !== undefined, true, 'and it has a next_cursor')
    t.equal(back.prev_cursor !== undefined, i - 1 > 0, 'and a prev_cursor unless it is the first page')
    const fwd = await listPage(app, { ...req, cursor: pages[i - 1]!.next_cursor })
    t.same(idsOf([fwd]), idsOf([pages[i]!]), `page ${i} again`)
  }
  // The limit may change between pages: it is not part of what a cursor is bound to.
  const wide = await listPage(app, { ...req, limit: 30, cursor: pages[0]!.next_cursor })
  t.same(idsOf([wide]).slice(0, 9), idsOf([pages[1]!]))
})

t.test('mode before without a cursor starts from the end', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const corpus = await exportCorpus(app)
  const req = { type: 'mobile', platform: 'ios', version_key: 'com.example.fitness', limit: 5 }
  const expected = referenceList(corpus, req, app.mock.clock.now()).map((s) => s.session_id)
  const last = await listPage(app, { ...req, mode: 'before' })
  t.same(idsOf([last]), expected.slice(-5), 'the last five, in sort order')
  t.notOk('next_cursor' in last, 'nothing after the end')
  t.ok(last.prev_cursor, 'something before it')
  const first = await listPage(app, req)
  t.same(idsOf([first]), expected.slice(0, 5), 'without mode (after), the first five')
  t.notOk('prev_cursor' in first)
})

t.test('default limit 50, clamp to --max-limit, limit above the size', async (t) => {
  const app = await buildTestApp({ sessions: 1200 })
  t.teardown(() => app.close())
  const scope = { type: 'mobile', platform: 'android', version_key: 'com.example.shop' }
  t.equal((await listPage(app, scope)).sessions.length, 50, 'default 50')
  t.equal((await listPage(app, { ...scope, limit: 1_000_000 })).sessions.length, 100, 'clamped to 100')

  const small = await buildTestApp({ maxLimit: 10 })
  t.teardown(() => small.close())
  t.equal((await listPage(small, scope)).sessions.length, 10, 'the default never exceeds --max-limit')
  t.equal((await listPage(small, { ...scope, limit: 11 })).sessions.length, 10, 'clamped to --max-limit')
  t.equal((await listPage(small, { ...scope, limit: 3 })).sessions.length, 3)

  const tiny = await buildTestApp({ sessions: 12 })
  t.teardown(() => tiny.close())
  const all = await exportCorpus(tiny)
  const n = all.filter((s) => s.version_key === scope.version_key && s.platform === scope.platform).length
  const one = await listPage(tiny, { ...scope, limit: 100 })
  t.equal(one.sessions.length, n, 'the whole scope on one page')
  t.notOk('next_cursor' in one || 'prev_cursor' in one, 'a single page has no cursor at all')
})

t.test('empty results', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const mode of ['after', 'before']) {
    const unknown = await app.inject({
      method: 'POST',
      url: LIST,
      headers: AUTH,
      payload: { type: 'web', platform: 'web', version_key: 'no.such.app', mode },
    })
    t.equal(unknown.statusCode, 200, 'unknown version_key is 200')
    t.same(unknown.json(), { sessions: [] }, `unknown version_key, mode ${mode}: exactly {"sessions":[]}`)
    t.equal(unknown.body, '{"sessions":[]}')
    const none = await listPage(app, {
      type: 'mobile',
      platform: 'ios',
      version_key: 'com.example.shop',
      mode,
      app_version: ['0.0.0-never'],
    })
    t.same(none, { sessions: [] }, `a filter nothing matches, mode ${mode}`)
  }
  // A platform the app has no sessions on (a web app asked for android sessions).
  t.same(await listPage(app, { type: 'mobile', platform: 'android', version_key: 'shop.example.com' }), { sessions: [] })
})

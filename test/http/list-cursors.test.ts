/**
 * Cursors: bound to the query that issued them (tampered, or reused with other filters, sort or
 * scope → 400 invalid_field on `cursor`), and keyset-stable: a session removed or added between
 * pages never makes a walk repeat or skip one of the sessions that stayed.
 */
import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { exportCorpus, idsOf, listPage, walkForward, LIST, type Body, type Page } from '../helpers/walk.ts'
import { referenceSort } from '../helpers/reference.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

async function expectCursorError(t: Test, app: FastifyInstance, body: Body, what: string) {
  const res = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: body })
  t.equal(res.statusCode, 400, `${what}: 400`)
  const b = res.json()
  t.equal(b.type, 'invalid_field', `${what}: invalid_field`)
  t.equal(b.field_name, 'cursor', `${what}: field_name cursor`)
  t.type(b.message, 'string')
}

t.test('a cursor is bound to its query', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const base = {
    type: 'web',
    platform: 'web',
    version_key: 'shop.example.com',
    limit: 5,
    sort_by: ['dead_click_count:desc'],
    browser: ['Chrome', 'Firefox'],
  }
  const first = await listPage(app, base)
  const cursor = first.next_cursor!
  t.type(cursor, 'string')
  t.ok((await listPage(app, { ...base, cursor })).sessions.length > 0, 'valid with the same query')
  t.ok((await listPage(app, { ...base, cursor, limit: 2 })).sessions.length === 2, 'the limit may change')
  t.ok((await listPage(app, { ...base, cursor, mode: 'before' })).sessions.length > 0, 'the mode may change')
  // Filter keys in another order are the same query.
  const reordered = { browser: base.browser, sort_by: base.sort_by, limit: 5, version_key: base.version_key, platform: 'web', type: 'web' }
  t.same(idsOf([await listPage(app, { ...reordered, cursor })]), idsOf([await listPage(app, { ...base, cursor })]))

  const [payload, mac] = cursor.split('.') as [string, string]
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), i: 'zzz' })).toString('base64url')
  const tampered: Record<string, string> = {
    'payload changed': `${flip(payload, 3)}.${mac}`,
    'mac changed': `${payload}.${flip(mac, 2)}`,
    'payload forged, mac kept': `${forged}.${mac}`,
    'mac cut short': `${payload}.${mac.slice(0, 8)}`,
    'no mac': payload,
    'nothing before the dot': `.${mac}`,
    'empty string': '',
    garbage: 'not a cursor at all',
    'padding appended': `${cursor}==`,
  }
  for (const [what, c] of Object.entries(tampered)) await expectCursorError(t, app, { ...base, cursor: c }, what)

  const other: Record<string, Body> = {
    'another filter value': { ...base, browser: ['Chrome'] },
    'a filter added': { ...base, has_rage_clicks: true },
    'a filter removed': { ...base, browser: undefined },
    'an empty list added': { ...base, os: [] },
    'another sort': { ...base, sort_by: ['dead_click_count:asc'] },
    'the default sort': { ...base, sort_by: undefined },
    'another version_key': { ...base, version_key: 'docs.example.com' },
  }
  for (const [what, body] of Object.entries(other)) await expectCursorError(t, app, { ...body, cursor }, what)

  const mobile = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 3 }
  const mc = (await listPage(app, mobile)).next_cursor!
  await expectCursorError(t, app, { ...mobile, platform: 'ios', cursor: mc }, 'another platform')
  await expectCursorError(t, app, { ...mobile, cursor }, 'a web cursor on a mobile query')

  // Another seed signs with another key: its cursors are refused here.
  const other7 = await buildTestApp({ seed: 8 })
  t.teardown(() => other7.close())
  const foreign = (await listPage(other7, base)).next_cursor!
  await expectCursorError(t, app, { ...base, cursor: foreign }, 'a cursor of a mock with another seed')

  // The GET twin: same binding.
  const res = await app.inject({
    method: 'GET',
    url: `${LIST}?platform=web&version_key=shop.example.com&limit=5&cursor=${encodeURIComponent(`${payload}.${flip(mac, 0)}`)}`,
    headers: AUTH,
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { type: 'invalid_field', field_name: 'cursor' })
})

/** A copy of a session under a new id, placed by `created_at`/duration among the others. */
function variant(s: StoredSession, n: number, createdAt: string, duration: number): StoredSession {
  return { ...s, session_id: `added-${n}-${s.session_id}`, created_at: createdAt, session_duration_ms: duration } as StoredSession
}

interface Walk {
  ids: string[]
  pages: number
}

/** Walks with page i read from apps[switchAt(i)]; both apps share the seed, so cursors verify on both. */
async function mixedWalk(apps: FastifyInstance[], req: Body, mode: 'after' | 'before', which: (i: number) => number): Promise<Walk> {
  const seen: Page[] = []
  let cursor: string | undefined
  for (let i = 0; i < 2000; i++) {
    const page = await listPage(apps[which(i)]!, { ...req, mode, ...(cursor ? { cursor } : {}) })
    seen.push(page)
    cursor = mode === 'after' ? page.next_cursor : page.prev_cursor
    if (cursor === undefined) break
  }
  const ordered = mode === 'after' ? seen : [...seen].reverse()
  return { ids: idsOf(ordered), pages: seen.length }
}

t.test('keyset stability: a session removed or added between pages', async (t) => {
  const full = await buildTestApp({ sessions: 300 })
  t.teardown(() => full.close())
  const corpus = await exportCorpus(full)
  const scopes = [
    { type: 'mobile', platform: 'android', version_key: 'com.example.shop', sorts: ['created_at:desc', 'session_duration_ms', 'created_at:asc'] },
    { type: 'web', platform: 'web', version_key: 'docs.example.com', sorts: ['rage_click_count:desc', 'dead_click_count', 'created_at'] },
  ]
  const apps = new Map<string, FastifyInstance>()
  t.teardown(async () => {
    for (const a of apps.values()) await a.close()
  })
  let removals = 0
  let additions = 0
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...scopes).chain((scope) => {
        const inScope = corpus.filter((s) => s.version_key === scope.version_key && s.platform === scope.platform)
        return fc.record({
          scope: fc.constant(scope),
          // Each field at most once, as the API requires.
          sort: fc.subarray(scope.sorts, { minLength: 1, maxLength: 2 }).filter((s) => new Set(s.map((i) => i.split(':')[0])).size === s.length),
          limit: fc.integer({ min: 1, max: 12 }),
          mode: fc.constantFrom('after' as const, 'before' as const),
          change: fc.constantFrom('remove' as const, 'add' as const),
          target: fc.integer({ min: 0, max: inScope.length - 1 }).map((i) => inScope[i]!),
          durationShift: fc.integer({ min: -5000, max: 5000 }),
          pattern: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }),
        })
      }),
      async ({ scope, sort, limit, mode, change, target, durationShift, pattern }) => {
        // The changed corpus: one session fewer, or one more (a copy of `target` at a nearby place).
        const key = `${change}:${target.session_id}:${durationShift}`
        const changedCorpus =
          change === 'remove'
            ? corpus.filter((s) => s !== target)
            : [...corpus, variant(target, 1, target.created_at, Math.max(0, target.session_duration_ms + durationShift))]
        let changed = apps.get(key)
        if (!changed) {
          changed = await buildTestApp({ corpus: changedCorpus })
          apps.set(key, changed)
        }
        const { sorts: _s, ...where } = scope
        const req = { ...where, limit, sort_by: sort }
        // Page i comes from the full corpus or the changed one, following `pattern` (cycled).
        const walk = await mixedWalk([full, changed], req, mode, (i) => pattern[i % pattern.length]!)
        if (new Set(walk.ids).size !== walk.ids.length) throw new Error(`duplicate in ${JSON.stringify(walk.ids)}`)
        const before = new Set(corpus.filter((s) => s.version_key === where.version_key && s.platform === where.platform).map((s) => s.session_id))
        const after = new Set(changedCorpus.filter((s) => s.version_key === where.version_key && s.platform === where.platform).map((s) => s.session_id))
        for (const id of before) if (after.has(id) && !walk.ids.includes(id)) throw new Error(`skipped ${id}, which stayed`)
        for (const id of walk.ids) if (!before.has(id) && !after.has(id)) throw new Error(`unknown ${id}`)
        // And the order is the sort order of everything that ever existed.
        const everything = new Map([...corpus, ...changedCorpus].map((s) => [s.session_id, s]))
        const union = referenceSort(walk.ids.map((id) => everything.get(id)!), sort).map((s) => s.session_id)
        if (JSON.stringify(union) !== JSON.stringify(walk.ids)) throw new Error('walk out of sort order')
        if (change === 'remove') removals++
        else additions++
      },
    ),
    { seed: 17, numRuns: 100 },
  )
  t.ok(removals > 20 && additions > 20, `removals ${removals}, additions ${additions}`)
})

t.test('the cursor of the last session survives its removal', async (t) => {
  const full = await buildTestApp()
  t.teardown(() => full.close())
  const corpus = await exportCorpus(full)
  const req = { type: 'mobile', platform: 'ios', version_key: 'com.example.shop', limit: 4 }
  const pages = await walkForward(full, req)
  t.ok(pages.length > 3)
  // Remove every session after page 0: the next page is empty, and says where sessions remain.
  const keep = new Set(idsOf([pages[0]!]))
  const gone = new Set(idsOf(pages.slice(1)))
  const shrunk = await buildTestApp({ corpus: corpus.filter((s) => !gone.has(s.session_id)) })
  t.teardown(() => shrunk.close())
  const empty = await listPage(shrunk, { ...req, cursor: pages[0]!.next_cursor })
  t.same(empty.sessions, [], 'nothing after the gap any more')
  t.notOk('next_cursor' in empty, 'no next_cursor: nothing remains after')
  t.ok(empty.prev_cursor, 'a prev_cursor: sessions remain before')
  const back = await listPage(shrunk, { ...req, mode: 'before', cursor: empty.prev_cursor })
  t.same(new Set(idsOf([back])), keep, 'reading back from it gives the first page')

  // And the mirror image: remove everything before the last page; its prev_cursor now leads to nothing.
  const lastPage = pages[pages.length - 1]!
  const lost = new Set(idsOf(pages.slice(0, -1)))
  const tail = await buildTestApp({ corpus: corpus.filter((s) => !lost.has(s.session_id)) })
  t.teardown(() => tail.close())
  const none = await listPage(tail, { ...req, mode: 'before', cursor: lastPage.prev_cursor })
  t.same(none.sessions, [])
  t.notOk('prev_cursor' in none)
  t.ok(none.next_cursor, 'the way forward is still offered')
  t.same(idsOf([await listPage(tail, { ...req, cursor: none.next_cursor })]), idsOf([lastPage]))

  // A removed session's gap with nothing left at all: neither cursor.
  const emptyApp = await buildTestApp({ corpus: corpus.filter((s) => !(s.version_key === req.version_key && s.platform === req.platform)) })
  t.teardown(() => emptyApp.close())
  t.same(await listPage(emptyApp, { ...req, cursor: pages[1]!.next_cursor }), { sessions: [] })
})

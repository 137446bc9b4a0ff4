/**
 * Repeated list requests are answered from the pages kept: whatever the requests, cursors, clock
 * moves and corpus changes in between, a mock that keeps pages answers exactly what one that keeps
 * none answers.
 */
import t from 'tap'
import fc from 'fast-check'
import { PageCache } from '../../../src/core/query/page-cache.ts'
import { MockCore } from '../../../src/core/mock.ts'
import { VERSION } from '../../../src/version.ts'
import { loadFixturesFile } from '../../../src/core/corpus/fixtures.ts'
import { DevRevError } from '../../../src/contract/catalogue.ts'
import type { ListRequest } from '../../../src/contract/schemas/requests.ts'
import { dateFilter, durationFilter, paging, scopesOf } from '../../helpers/filter-arbitraries.ts'

const NOW = Date.parse('2026-01-15T12:00:00Z')
const DAY = 86_400_000
const example = loadFixturesFile('fixtures/example.json')
/** A generated corpus of a few hundred sessions over the weeks before NOW: relative windows cut through it. */
const START = new MockCore({ version: VERSION, seed: 5, sessions: 300, now: NOW, freezeClock: true })
const generated = [...START.store.lines()].map((l) => JSON.parse(l)) as typeof example

t.test('PageCache: keeps at most its size, oldest out first, and empties for another corpus', async (t) => {
  const cache = new PageCache<{ n: number }>(2)
  const a = {}
  const b = {}
  t.equal(cache.get(a, 'x'), undefined, 'empty at first')
  cache.set('x', { n: 1 })
  cache.set('y', { n: 2 })
  t.same(cache.get(a, 'x'), { n: 1 })
  t.ok(Object.isFrozen(cache.get(a, 'x')), 'a kept page is frozen: every later asker shares it')
  cache.set('z', { n: 3 })
  t.equal(cache.size, 2)
  t.equal(cache.get(a, 'x'), undefined, 'the oldest went first')
  t.same(cache.get(a, 'z'), { n: 3 })
  t.equal(cache.get(b, 'z'), undefined, 'another corpus: nothing kept')
  t.equal(cache.size, 0)

  const none = new PageCache<{ n: number }>(0)
  none.get(a, 'x')
  none.set('x', { n: 1 })
  t.equal(none.get(a, 'x'), undefined, 'size 0 keeps none')
  for (const bad of [-1, 1.5, Number.NaN, Infinity]) {
    t.throws(() => new PageCache(bad), { name: 'RangeError', message: /pageCache must be a whole number/ }, String(bad))
  }
})

/** What a list call gave: the page (ids and cursors) or the error. */
function outcome(core: MockCore, req: ListRequest): unknown {
  try {
    const r = core.list(req)
    return { ids: r.sessions.map((s) => s.session.session_id), next: r.next_cursor, prev: r.prev_cursor }
  } catch (e) {
    if (!(e instanceof DevRevError)) throw e
    return { error: e.type, message: e.message }
  }
}

const scopes = scopesOf([...generated, ...example])
const request = fc
  .constantFrom(...scopes)
  .chain((scope) =>
    fc.record(
      {
        created_at: dateFilter(scope),
        session_duration: durationFilter(scope),
        is_anonymous: fc.boolean(),
        mode: fc.constantFrom('after', 'before'),
        paging: paging(scope.type),
      },
      { requiredKeys: [] },
    ).map(({ paging, ...filters }) => ({ type: scope.type, platform: scope.platform, version_key: scope.version_key, ...filters, ...paging }) as unknown as ListRequest),
  )

type Step =
  | { list: number; cursor: number | null }
  | { at: number }
  | { replace: number }
  | { reset: true }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ list: fc.nat(), cursor: fc.option(fc.nat(), { nil: null }) }) },
  // The clock anywhere from three weeks before NOW to a few days after, to the millisecond or the hour.
  { weight: 2, arbitrary: fc.record({ at: fc.oneof(fc.integer({ min: -21 * DAY, max: 5 * DAY }), fc.integer({ min: -504, max: 120 }).map((h) => h * 3_600_000)) }) },
  { weight: 1, arbitrary: fc.record({ replace: fc.integer({ min: 0, max: generated.length + example.length }) }) },
  { weight: 1, arbitrary: fc.constant({ reset: true as const }) },
)

t.test('a mock that keeps pages answers what one that keeps none answers', async (t) => {
  let lists = 0
  let repeats = 0
  fc.assert(
    fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(step, { minLength: 1, maxLength: 40 }), (requests, steps) => {
      const make = (pageCache: number) => new MockCore({ version: VERSION, seed: 5, sessions: 300, now: NOW, freezeClock: true, pageCache })
      const kept = make(64)
      const none = make(0)
      // Refused cursors among them: an empty one is not the absent one.
      const cursors: string[] = ['', 'not-a-cursor']
      const asked = new Set<string>()
      for (const s of steps) {
        if ('at' in s) {
          kept.clock.set(NOW + s.at)
          none.clock.set(NOW + s.at)
        } else if ('replace' in s) {
          // Another corpus, some sessions fewer: pages of the former corpus must not come back.
          const corpus = [...generated, ...example].slice(s.replace)
          kept.replaceCorpus(corpus)
          none.replaceCorpus(corpus)
        } else if ('reset' in s) {
          kept.reset()
          none.reset()
        } else {
          const base = requests[s.list % requests.length]!
          const cursor = s.cursor === null ? undefined : cursors[s.cursor % cursors.length]
          const req = cursor === undefined ? base : { ...base, cursor }
          const expected = outcome(none, req)
          t.strictSame(outcome(kept, req), expected)
          const key = JSON.stringify(req)
          if (asked.has(key)) repeats++
          asked.add(key)
          lists++
          const page = expected as { next?: string; prev?: string }
          for (const c of [page.next, page.prev]) if (c !== undefined) cursors.push(c)
        }
      }
    }),
    { seed: 20261130, numRuns: 150 },
  )
  t.ok(repeats > lists / 4, `requests came again (${repeats} of ${lists}), so kept pages were served`)
})

t.test('a page kept is handed back as it was, and a relative window moves with the clock', async (t) => {
  const core = new MockCore({ version: VERSION, seed: 5, sessions: 0, now: NOW, freezeClock: true, corpus: example })
  const scope = scopesOf([...example]).find((s) => s.type === 'web')!
  const base = { type: 'web', platform: 'web', version_key: scope.version_key, limit: 3 } as ListRequest
  const first = core.list(base)
  t.equal(core.list({ ...base }), first, 'the very same page object for the same request')
  t.ok(Object.isFrozen(first) && Object.isFrozen(first.sessions), 'shared, so frozen')

  // Sorted by duration, a `last_n_days` window filters by predicate: moving the clock changes the page.
  const newest = Math.max(...scope.sessions.map((s) => Date.parse(s.created_at)))
  const windowed = { ...base, sort_by: ['session_duration_ms'], created_at: { type: 'preset', preset_type: 'last_n_days', days: 1 } } as ListRequest
  core.clock.set(newest + DAY / 2)
  const before = core.list(windowed)
  t.ok(before.sessions.length > 0, 'the newest sessions lie in the window')
  core.clock.set(newest + 2 * DAY)
  t.same(core.list(windowed).sessions, [], 'two days on, none does')
})

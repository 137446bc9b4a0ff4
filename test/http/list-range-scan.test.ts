/**
 * Range filters on the primary sort field narrow the scan to a slice of the index (engine.ts
 * scanBounds). Walks in both directions, both sort directions, with date windows and duration bounds,
 * must still equal the plain reference, and every cursor must stay inside the slice.
 */
import t from 'tap'
import { buildTestApp, NOW } from '../helpers/app.ts'
import { exportCorpus, idsOf, walkBackward, walkForward } from '../helpers/walk.ts'
import { referenceList } from '../helpers/reference.ts'

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

t.test('range filters on the primary sort key', async (t) => {
  const app = await buildTestApp({ sessions: 600 })
  t.teardown(() => app.close())
  const corpus = await exportCorpus(app)
  const scope = { type: 'web', platform: 'web', version_key: 'shop.example.com' }
  const cases: Record<string, unknown>[] = []
  for (const dir of ['asc', 'desc']) {
    const created = `created_at:${dir}`
    const duration = `session_duration_ms:${dir}`
    cases.push(
      { sort_by: [created], created_at: { type: 'range', after: iso(NOW - 10 * DAY), before: iso(NOW - 3 * DAY) } },
      { sort_by: [created], created_at: { type: 'range', after: iso(NOW - 5 * DAY) } },
      { sort_by: [created], created_at: { type: 'range', before: iso(NOW - 25 * DAY) } },
      { sort_by: [created], created_at: { type: 'preset', preset_type: 'last_n_days', days: 4 } },
      { sort_by: [created], created_at: { type: 'preset', preset_type: 'next_n_days', days: 4 } },
      { sort_by: [created], created_at: { type: 'range', after: iso(NOW + DAY) } },
      { sort_by: [created, 'dead_click_count:desc'], created_at: { type: 'range', after: iso(NOW - 9 * DAY) }, has_rage_clicks: false },
      { sort_by: [duration], session_duration: { min_ms: 600_000, max_ms: 1_800_000 } },
      { sort_by: [duration], session_duration: { max_ms: 300_000 } },
      { sort_by: [duration], session_duration: { min_ms: 3_000_000 }, created_at: { type: 'range', after: iso(NOW - 20 * DAY) } },
      // a range filter on a field that is not the primary sort key: no narrowing, same answers
      { sort_by: [duration], created_at: { type: 'range', after: iso(NOW - 6 * DAY) } },
    )
  }
  let nonEmpty = 0
  for (const extra of cases) {
    const req = { ...scope, ...extra, limit: 7 }
    const expected = referenceList(corpus, req, NOW).map((s) => s.session_id)
    const forward = idsOf(await walkForward(app, req))
    const backward = idsOf((await walkBackward(app, req)).reverse())
    if (expected.length > 0) nonEmpty++
    t.same(forward, expected, `forward ${JSON.stringify(extra)}`)
    t.same(backward, expected, `backward ${JSON.stringify(extra)}`)
  }
  // next_n_days and `after` tomorrow are empty by construction; nearly every other case has hits
  t.ok(nonEmpty >= cases.length - 4, `${nonEmpty} of ${cases.length} cases have sessions`)
})

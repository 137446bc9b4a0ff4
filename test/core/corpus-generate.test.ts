/**
 * The generated corpus: deterministic from seed, size and now; several apps, both types,
 * all three platforms; valid in the fixtures format; hidden details consistent with visible fields.
 */
import t from 'tap'
import fc from 'fast-check'
import { generateCorpus, DEFAULT_APPS } from '../../src/core/corpus/generate.ts'
import { parseCorpus } from '../../src/core/corpus/fixtures.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

const NOW = Date.parse('2026-01-15T12:00:00Z')

t.test('same seed, size and now: identical; any of them changed: different', async (t) => {
  const a = JSON.stringify(generateCorpus({ seed: 5, sessions: 200, now: NOW }))
  t.equal(JSON.stringify(generateCorpus({ seed: 5, sessions: 200, now: NOW })), a, 'byte-identical')
  t.not(JSON.stringify(generateCorpus({ seed: 6, sessions: 200, now: NOW })), a, 'another seed')
  t.not(JSON.stringify(generateCorpus({ seed: 5, sessions: 200, now: NOW + 1000 })), a, 'another now')
  const more = generateCorpus({ seed: 5, sessions: 201, now: NOW })
  t.equal(JSON.stringify(more.slice(0, 200)), a, 'a larger corpus extends the smaller one')
  t.same(generateCorpus({ seed: 5, sessions: 0, now: NOW }), [])
})

function checkConsistent(s: StoredSession, now: number): string | undefined {
  const t = Date.parse(s.created_at)
  if (!(t <= now && t >= now - 30 * 86_400_000)) return 'created_at outside the 30 days before now'
  if (t % 1000 !== 0) return 'created_at not at a whole second'
  const app = DEFAULT_APPS.find((a) => a.versionKey === s.version_key)
  if (!app || app.kind !== s.type) return 'version_key of another type'
  const anonymous = s.details?.is_anonymous === true
  if (anonymous !== (s.rev_user_id === undefined) || anonymous !== (s.rev_org_id === undefined)) return 'rev ids present exactly when not anonymous'
  if (s.type === 'mobile') {
    const d = s.details!
    const exception = (d.custom_events ?? []).some((e) => e.exception_class_name !== undefined)
    if (s.has_exception_occurred !== (s.is_crash || exception)) return 'has_exception_occurred disagrees with crash/exception events'
    if (s.platform === 'ios' && s.is_anr) return 'ANR on iOS'
    if (app.kind !== 'mobile' || !app.versions.includes(s.device_metadata.app_version)) return 'app_version not of the app'
    if (!(d.screen_names ?? []).every((n) => app.screens.includes(n))) return 'screen of another app'
    if ((d.screen_names ?? []).length === 0) return 'no screen'
    if (!(d.api_calls ?? []).every((c) => app.apis.includes(c.api_name))) return 'api of another app'
  } else {
    const d = s.details!
    const events = d.events ?? []
    if (s.dead_click_count !== events.filter((e) => e.is_dead).length) return 'dead_click_count'
    if (s.rage_click_count !== events.filter((e) => e.is_rage).length) return 'rage_click_count'
    const logs = d.console_logs ?? []
    const c = (k: string) => logs.filter((l) => l.log_type === k).length
    if (JSON.stringify(s.console_metadata) !== JSON.stringify({ error: c('error'), log: c('log'), warn: c('warn') })) return 'console_metadata'
    const counts: Record<string, number> = {}
    for (const l of d.network_logs ?? []) counts[l.response_status] = (counts[l.response_status] ?? 0) + 1
    if (JSON.stringify(Object.entries(s.network_metadata!.status_counts).sort()) !== JSON.stringify(Object.entries(counts).sort())) return 'status_counts'
    const pages = d.pages ?? []
    if (pages.length === 0 || s.first_page_url !== pages[0]!.url || s.first_page_title !== pages[0]!.name) return 'first page'
    if (!pages.every((p) => p.url.startsWith(p.normalized_url!))) return 'normalized_url not a prefix of url'
    const shown = s.session_attributes!.attributes
    const attrs = d.attributes ?? {}
    if (Object.keys(shown).length !== Object.keys(attrs).length) return 'session_attributes keys'
    for (const [k, v] of Object.entries(attrs)) if (shown[k] !== (typeof v === 'string' ? v : JSON.stringify(v))) return `session_attributes.${k}`
    if ((s.device_metadata.type === 'mobile') !== (s.device_metadata.model !== undefined)) return 'model only on mobile devices'
  }
  return undefined
}

t.test('valid in the fixtures format, and consistent, for any seed', async (t) => {
  await fc.assert(
    fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 120 }), (seed, sessions) => {
      const corpus = generateCorpus({ seed, sessions, now: NOW })
      if (corpus.length !== sessions) throw new Error('size')
      parseCorpus({ sessions: corpus })
      for (const s of corpus) {
        const problem = checkConsistent(s, NOW)
        if (problem) throw new Error(`seed ${seed}, ${s.session_id}: ${problem}`)
      }
    }),
    { seed: 42, numRuns: 40 },
  )
  t.pass('40 seeds')
})

t.test('spans every app, both types and all platforms, with filterable variety', async (t) => {
  const corpus = generateCorpus({ seed: 42, sessions: 1000, now: NOW })
  t.same([...new Set(corpus.map((s) => s.version_key))].sort(), DEFAULT_APPS.map((a) => a.versionKey).sort())
  t.same([...new Set(corpus.map((s) => `${s.type}/${s.platform}`))].sort(), ['mobile/android', 'mobile/ios', 'web/web'])
  const mobile = corpus.filter((s) => s.type === 'mobile') as Extract<StoredSession, { type: 'mobile' }>[]
  const web = corpus.filter((s) => s.type === 'web') as Extract<StoredSession, { type: 'web' }>[]
  for (const flag of ['is_crash', 'is_anr', 'rage_tap', 'has_exception_occurred'] as const) {
    t.ok(mobile.some((s) => s[flag]) && mobile.some((s) => !s[flag]), `${flag} both ways`)
  }
  t.ok(web.some((s) => s.dead_click_count > 0) && web.some((s) => s.dead_click_count === 0), 'dead clicks both ways')
  t.ok(web.some((s) => s.rage_click_count > 0) && web.some((s) => s.rage_click_count === 0), 'rage clicks both ways')
  t.ok(corpus.some((s) => s.details?.is_anonymous) && corpus.some((s) => !s.details?.is_anonymous), 'anonymous both ways')
  const ids = new Set(corpus.map((s) => s.session_id))
  t.equal(ids.size, corpus.length, 'unique session ids')
  t.ok(new Set(corpus.flatMap((s) => (s.rev_org_id ? [s.rev_org_id] : []))).size <= 8, 'a few orgs shared by many sessions')
  t.ok(mobile.some((s) => (s.details?.custom_events ?? []).some((e) => e.name === 'purchase' && typeof e.properties?.amount === 'number')), 'purchase events with amounts')
  t.ok(corpus.some((s) => typeof (s.details?.attributes as any)?.org?.tier === 'string'), 'nested attributes')
})

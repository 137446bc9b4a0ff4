/** MockCore, the mock's state without HTTP: tokens, get, health, corpus replacement and reset. */
import t from 'tap'
import { MockCore } from '../../src/core/mock.ts'
import { VERSION } from '../../src/version.ts'
import { loadFixturesFile } from '../../src/core/corpus/fixtures.ts'
import { DevRevError } from '../../src/contract/catalogue.ts'
import { readFileSync } from 'node:fs'

const NOW = Date.parse('2026-01-15T12:00:00Z')
const example = loadFixturesFile('fixtures/example.json')

t.test('VERSION is the package version', async (t) => {
  t.equal(VERSION, JSON.parse(readFileSync('package.json', 'utf8')).version)
})

t.test('acceptsToken: any non-empty token, or only the listed ones', async (t) => {
  const any = new MockCore({ version: VERSION, seed: 1, sessions: 0, now: NOW })
  t.equal(any.acceptsToken('x'), true)
  t.equal(any.acceptsToken(''), false)
  const listed = new MockCore({ version: VERSION, seed: 1, sessions: 0, now: NOW, tokens: ['a', 'b'] })
  t.equal(listed.acceptsToken('a'), true)
  t.equal(listed.acceptsToken('b'), true)
  t.equal(listed.acceptsToken('c'), false)
  t.equal(listed.acceptsToken(''), false)
})

t.test('get, health, replaceCorpus and reset', async (t) => {
  const core = new MockCore({ version: VERSION, seed: 3, sessions: 0, now: NOW, freezeClock: true, corpus: example })
  t.same(core.health(), { status: 'ok', version: VERSION, seed: 3, sessions: example.length, version_keys: ['com.example.notes', 'notes.example.com'] })
  const s = example[5]!
  const rec = core.get({ platform: 'web', version_key: s.version_key, session_id: s.session_id })
  t.equal(rec.session.session_id, s.session_id)
  t.notOk('details' in rec.session || 'version_key' in rec.session, 'the API shape only')
  t.same(rec.details, s.details)
  t.throws(() => core.get({ platform: 'ios', version_key: s.version_key, session_id: s.session_id }), DevRevError)
  t.throws(() => core.get({ platform: 'web', version_key: 'x', session_id: s.session_id }), { name: 'DevRevError', type: 'not_found', status: 404 })

  core.replaceCorpus(example.slice(0, 2))
  t.equal(core.health().sessions, 2)
  t.same(core.health().version_keys, ['com.example.notes'])
  core.clock.advance(5_000)
  core.reset()
  t.equal(core.health().sessions, example.length, 'reset: the start-up corpus')
  t.equal(core.clock.now(), NOW, 'reset: the start-up clock')
})

t.test('list: defaults for maxLimit, the clock read per call', async (t) => {
  const core = new MockCore({ version: VERSION, seed: 3, sessions: 0, now: NOW, freezeClock: true, corpus: example })
  const all = core.list({ type: 'web', platform: 'web', version_key: 'notes.example.com' })
  t.equal(all.sessions.length, 4)
  // created_at presets follow the clock: a week later, the last 3 days hold nothing.
  const recent = { type: 'web' as const, platform: 'web' as const, version_key: 'notes.example.com', created_at: { type: 'preset' as const, preset_type: 'last_n_days' as const, days: 3 } }
  t.equal(core.list(recent).sessions.length, 2)
  core.clock.advance(7 * 86_400_000)
  t.equal(core.list(recent).sessions.length, 0)
  const generated = new MockCore({ version: VERSION, seed: 3, sessions: 1000, now: NOW })
  t.equal(generated.list({ type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1000 }).sessions.length, 100, 'max limit 100 by default')
})

t.test('the generated corpus is built around where the clock started, however far it has run', async (t) => {
  // A real clock that moves 7 ms on every read: the time spent starting up must not show in the data.
  const moving = (): (() => number) => {
    let real = 1_000_000
    return () => (real += 7)
  }
  const make = (): MockCore => new MockCore({ version: VERSION, seed: 9, sessions: 40, now: NOW, realNow: moving() })
  const [a, b] = [make(), make()]
  b.clock.now()
  b.clock.now()
  const exported = (core: MockCore): string => [...core.store.lines()].join('\n')
  t.equal(a.clock.startedAt, NOW)
  t.equal(exported(a), exported(b))
  t.equal(exported(a), exported(new MockCore({ version: VERSION, seed: 9, sessions: 40, now: NOW, freezeClock: true })), 'as if the clock had stood still')
})

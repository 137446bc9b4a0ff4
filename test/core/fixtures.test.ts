/**
 * Loading the fixtures format: all or nothing, the file, index and field at fault named in one line.
 * Also: the example file that ships in fixtures/ is valid and uses every detail key of the fixtures format.
 */
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FixtureError, loadFixturesFile, parseCorpus } from '../../src/core/corpus/fixtures.ts'

const EXAMPLE = 'fixtures/example.json'
const example = () => JSON.parse(readFileSync(EXAMPLE, 'utf8'))

t.test('the shipped example loads, and exercises every detail key of the fixtures format', async (t) => {
  const sessions = loadFixturesFile(EXAMPLE)
  t.same(sessions, example().sessions, 'loaded exactly as written')
  t.same([...new Set(sessions.map((s) => s.version_key))].sort(), ['com.example.notes', 'notes.example.com'], 'two version keys')
  t.same([...new Set(sessions.map((s) => s.platform))].sort(), ['android', 'ios', 'web'], 'all three platforms')
  const keys = (type: string) => new Set(sessions.filter((s) => s.type === type).flatMap((s) => Object.keys(s.details ?? {})))
  t.same([...keys('mobile')].sort(), ['api_calls', 'attributes', 'custom_events', 'is_anonymous', 'screen_names'])
  t.same([...keys('web')].sort(), ['attributes', 'console_logs', 'custom_events', 'events', 'is_anonymous', 'network_logs', 'pages'])
  const all = (type: string, key: string) => new Set(sessions.filter((s) => s.type === type).flatMap((s) => ((s.details as any)?.[key] ?? []).flatMap((r: object) => Object.keys(r))))
  t.same([...all('mobile', 'custom_events')].sort(), ['exception_class_name', 'name', 'properties'])
  t.same([...all('mobile', 'api_calls')].sort(), ['api_name', 'request_properties', 'response_properties', 'round_trip_time_ms'])
  t.same([...all('web', 'pages')].sort(), ['name', 'normalized_url', 'url'])
  t.same([...all('web', 'console_logs')].sort(), ['body', 'full_url', 'log_type'])
  t.same([...all('web', 'events')].sort(), ['is_dead', 'is_rage', 'value'])
  t.same([...all('web', 'network_logs')].sort(), ['request_method', 'request_url', 'response_status'])
  t.same([...all('web', 'custom_events')].sort(), ['name', 'properties'])
  t.ok(sessions.some((s) => s.details === undefined), 'a session without details (all defaults)')
  t.ok(sessions.some((s) => s.details && Object.keys(s.details).length === 0), 'a session with empty details')
})

t.test('the visible counters of the example agree with its details', async (t) => {
  for (const s of loadFixturesFile(EXAMPLE)) {
    if (s.type !== 'web') continue
    const d = s.details ?? {}
    const events = d.events ?? []
    t.equal(s.dead_click_count, events.filter((e) => e.is_dead).length, `${s.session_id} dead clicks`)
    t.equal(s.rage_click_count, events.filter((e) => e.is_rage).length, `${s.session_id} rage clicks`)
    const logs = d.console_logs ?? []
    const count = (k: string) => logs.filter((l) => l.log_type === k).length
    t.same(s.console_metadata ?? { error: 0, log: 0, warn: 0 }, { error: count('error'), log: count('log'), warn: count('warn') })
    const statuses: Record<string, number> = {}
    for (const l of d.network_logs ?? []) statuses[l.response_status] = (statuses[l.response_status] ?? 0) + 1
    t.same(s.network_metadata?.status_counts ?? {}, statuses)
    const attrs = Object.fromEntries(Object.entries(d.attributes ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    t.same(s.session_attributes?.attributes ?? {}, attrs, `${s.session_id} session_attributes show the attributes`)
  }
})

t.test('parseCorpus: the first fault with its index and field; duplicates', async (t) => {
  const good = example()
  const bad = (mutate: (c: any) => void) => {
    const c = structuredClone(good)
    mutate(c)
    return c
  }
  const cases: Array<[unknown, string]> = [
    [bad((c) => (c.sessions[3].created_at = 'soon')), 'sessions[3].created_at'],
    [bad((c) => delete c.sessions[0].device_metadata.model), 'sessions[0].device_metadata.model'],
    [bad((c) => (c.sessions[6].details.events[0].is_dead = 'no')), 'sessions[6].details.events[0].is_dead'],
    [bad((c) => (c.sessions[5].platform = 'android')), 'sessions[5].platform'],
    [bad((c) => (c.sessions[1].type = 'tv')), 'sessions[1].type'],
    [bad((c) => (c.sessions[2].colour = 'red')), 'sessions[2].colour'],
    [bad((c) => (c.sessions[2].details = { screen_names: 'Home' })), 'sessions[2].details.screen_names'],
    [bad((c) => (c.sessions[0].version_key = '')), 'sessions[0].version_key'],
    [bad((c) => (c.extra = 1)), 'extra'],
    [{}, 'sessions'],
    [{ sessions: {} }, 'sessions'],
    [bad((c) => (c.sessions[4].session_id = c.sessions[3].session_id)), 'sessions[4].session_id'],
  ]
  const fault = (value: unknown): FixtureError | undefined => {
    try {
      parseCorpus(value)
    } catch (e) {
      return e as FixtureError
    }
    return undefined
  }
  for (const [value, field] of cases) {
    const e = fault(value)
    t.ok(e instanceof FixtureError, `${field}: a FixtureError`)
    t.equal(e?.field, field)
    t.ok(e?.message.startsWith(`${field}: `), String(e?.message))
  }
  // Non-objects have no field to name.
  for (const value of [[], null, 'x']) {
    const e = fault(value)
    t.ok(e instanceof FixtureError)
    t.equal(e?.field, '')
  }
  // The same session_id is fine on another platform or app.
  const shared = structuredClone(good)
  shared.sessions[3].session_id = shared.sessions[0].session_id
  t.equal(parseCorpus(shared).length, good.sessions.length, 'same id, other platform: both kept')
})

t.test('loadFixturesFile: one line naming the file, then the index and field', async (t) => {
  const dir = t.testdir({
    'dup.json': JSON.stringify({ sessions: [example().sessions[0], example().sessions[0]] }),
    'broken.json': '{"sessions": [',
    'empty.json': '',
  })
  const line = (f: () => unknown) => {
    try {
      f()
    } catch (e) {
      t.ok(e instanceof FixtureError)
      t.notMatch((e as Error).message, /\n/, 'one line')
      return (e as Error).message
    }
    return t.fail('did not throw')
  }
  t.match(line(() => loadFixturesFile('test/fixtures/bad-sessions.json')), /^fixtures file test\/fixtures\/bad-sessions\.json: sessions\[1\]\.created_at: /)
  t.match(line(() => loadFixturesFile(join(dir, 'dup.json'))), /dup\.json: sessions\[1\]\.session_id: duplicate session_id a1f0c6de-0001/)
  t.match(line(() => loadFixturesFile(join(dir, 'broken.json'))), /fixtures file .*broken\.json is not valid JSON: /)
  t.match(line(() => loadFixturesFile(join(dir, 'empty.json'))), /empty\.json is not valid JSON/)
  t.match(line(() => loadFixturesFile(join(dir, 'missing.json'))), /cannot read fixtures file .*missing\.json: ENOENT/)
  t.match(line(() => loadFixturesFile(dir)), /cannot read fixtures file .*: EISDIR/)
  // A corpus written back by export loads again.
  writeFileSync(join(dir, 'again.json'), JSON.stringify({ sessions: loadFixturesFile(EXAMPLE) }))
  t.same(loadFixturesFile(join(dir, 'again.json')), example().sessions)
})

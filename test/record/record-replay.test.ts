/**
 * Recording a real upstream and replaying the file: a second mock process (seeded, rate-limited so
 * the recorder meets real 429s, with a rule that drops one connection) is recorded; a mock started
 * from the recorded fixtures then answers a few hundred generated list requests (fast-check, fixed
 * seed) and every session's data.get as the upstream does, up to anonymization, and no anonymized
 * field holds an upstream value. An interrupted recording resumed gives the same file as an
 * uninterrupted one; one salt gives the same file twice.
 */
import t from 'tap'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.ts'
import { startMockServer } from '../../src/index.ts'
import { record, saltPath, PLATFORMS } from '../../src/record/run.ts'
import { Pseudonyms } from '../../src/core/anonymize/pseudonyms.ts'
import { Anonymizer } from '../../src/core/anonymize/session.ts'
import * as A from '../helpers/filter-arbitraries.ts'

t.setTimeout(600_000)

const dir = mkdtempSync(join(tmpdir(), 'record-'))
const faults = join(dir, 'faults.json')
// One dropped connection in the middle of the recording.
writeFileSync(faults, JSON.stringify([{ fault: 'connection_reset', match: { endpoint: 'sessions.data.get' }, after: 4, times: 1 }]))
const upstream = runCli(['--port', '0', '--seed', '9', '--sessions', '90', '--now', '2026-01-15T12:00:00Z', '--rate-limit', '10/1s', '--faults', faults, '--log-level', 'warn'], { timeoutMs: 590_000 })
t.teardown(() => upstream.stop('SIGKILL'))
const VERSION_KEYS = ['com.example.shop', 'shop.example.com', 'com.example.fitness', 'docs.example.com']
const quick = { client: { backoffMs: 20, maxBackoffMs: 200 } }

async function post(url: string, op: string, body: unknown, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/${op}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, text: await res.text() }
}

t.test('record, replay, compare', async (t) => {
  const url = await upstream.listening
  const out = join(dir, 'org.json')
  const lines: string[] = []
  const n = await record(
    { from: url, token: 'recorder', versionKeys: VERSION_KEYS, platforms: PLATFORMS, out, anonymize: true, resume: false, pageSize: 20 },
    { progress: (l) => lines.push(l), ...quick },
  )
  t.equal(n, 90, 'every session of the upstream recorded')
  t.ok(lines.some((l) => l.includes('429 too many requests')), 'met the upstream rate limiter and waited')
  t.ok(lines.some((l) => l.includes('connection lost')), 'met the dropped connection and retried')
  t.match(lines.at(-1), /^record: wrote 90 sessions to .*; salt in .*org\.json\.salt$/)
  const salt = readFileSync(saltPath(out), 'utf8').trim()
  const p = new Pseudonyms(salt)
  const anon = new Anonymizer(p)

  // Freeze the upstream's clock, and start the replay at the same instant, so day presets agree.
  const clock = JSON.parse((await fetch(`${url}/__admin/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"frozen":true}' }).then((r) => r.text()))) as { now_ms: number }
  const replay = await startMockServer({ port: 0, seed: 9, fixtures: out, now: clock.now_ms, freezeClock: true })
  t.teardown(() => replay.close())

  const upstreamCorpus = (JSON.parse(await (await fetch(`${url}/__admin/corpus`)).text()) as { sessions: any[] }).sessions
  const recorded = (JSON.parse(readFileSync(out, 'utf8')) as { sessions: any[] }).sessions
  // Nothing an anonymized field held upstream is anywhere in the file.
  const file = readFileSync(out, 'utf8')
  const secrets = new Set<string>()
  for (const s of upstreamCorpus) {
    for (const v of [s.rev_org_id, s.rev_user_id]) if (v !== undefined) secrets.add(v)
  }
  t.ok(secrets.size > 10, `${secrets.size} user and org ids upstream`)
  t.same([...secrets].filter((v) => file.includes(v)), [], 'no upstream user or org id in the file')

  // A few hundred generated list requests: the replay answers as the upstream, anonymized.
  const scopes = A.scopesOf(upstreamCorpus)
  let compared = 0
  let hits = 0
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...scopes).chain((s) => fc.tuple(fc.constant(s), requestOf(s))), async ([scope, filters]) => {
      const req = { type: scope.type, platform: scope.platform, version_key: scope.version_key, limit: 100, ...filters }
      const up = await post(url, 'observability.sessions.list', req, `compare-${compared}`)
      const re = await post(replay.url, 'observability.sessions.list', mapRequest(req, p), 'compare')
      compared++
      if (up.status !== 200 || re.status !== 200) throw new Error(`${up.status} ${up.text} / ${re.status} ${re.text}`)
      const u = JSON.parse(up.text)
      const r = JSON.parse(re.text)
      hits += u.sessions.length
      const expected = u.sessions.map((s: any) => visible(anon.session({ ...s, version_key: scope.version_key })))
      t.same(r.sessions, expected, `same sessions for ${JSON.stringify(req)}`)
      t.equal('next_cursor' in r, 'next_cursor' in u)
    }),
    { seed: 1616, numRuns: 300 },
  )
  t.equal(compared, 300)
  t.ok(hits > 1000, `non-trivial answers (${hits} sessions over all requests)`)

  // Every recording of every session: the replay's data.get is the upstream's, anonymized, replay URLs aside.
  let recordings = 0
  for (const s of recorded) {
    const ids: (string | undefined)[] = (s.type === 'mobile' ? s.recording_ids : s.tab_ids) ?? []
    for (const id of ids.length > 0 ? ids : [undefined]) {
      const body: Record<string, string> = { session_id: s.session_id, version_key: s.version_key }
      if (id !== undefined) body[s.type === 'mobile' ? 'recording_id' : 'tab_id'] = id
      const up = await post(url, 'observability.sessions.data.get', body, `data-${recordings}`)
      const re = await post(replay.url, 'observability.sessions.data.get', body, 'compare')
      const { video_playback_data: _v, replay_data: _r, ...u } = JSON.parse(up.text)
      const { video_playback_data: _v2, replay_data: _r2, ...r } = JSON.parse(re.text)
      t.same(r, s.type === 'mobile' ? anon.mobileRecording(u) : anon.webRecording(u), `data.get ${s.session_id} ${id}`)
      recordings++
    }
  }
  t.ok(recordings >= 90, `${recordings} recordings compared`)
})

/** The session as the API shows it: no version_key, no details. */
function visible(s: any): any {
  const { version_key: _k, details: _d, ...rest } = s
  return rest
}

/** A list request's filters for the replay: values of anonymized fields through the same pseudonyms. */
function mapRequest(req: any, p: Pseudonyms): any {
  const out = structuredClone(req)
  for (const k of ['rev_org', 'rev_user']) if (out[k]) out[k] = out[k].map((v: string) => p.string(v))
  for (const k of ['page_url', 'normalized_url']) if (out[k]) out[k] = out[k].map((v: string) => p.url(v))
  if (out.network_logs?.request_url) out.network_logs.request_url = out.network_logs.request_url.map((v: string) => p.url(v))
  if (out.events?.value) out.events.value = out.events.value.map((v: string) => p.text(v))
  for (const f of out.session_attributes ?? []) {
    if (f.filter_type === 'string_filter' && f.equals) f.equals = f.equals.map((v: string) => p.string(v))
    if (f.filter_type === 'int64_filter' && f.equals) f.equals = f.equals.map((v: number) => p.number(v))
  }
  return out
}

const opt = <T>(a: fc.Arbitrary<T>) => a
const vals = (s: A.Scope, get: (x: any) => unknown) => A.uniq(s.sessions.flatMap((x) => [get(x)].flat().filter((v) => v !== undefined))) as any[]

/** Equality attribute filters (a pseudonym is equal where the value was; ranges and substrings are not kept). */
function equalityAttributes(objects: unknown[]): fc.Arbitrary<Record<string, unknown>[]> {
  const paths = new Map<string, unknown[]>()
  for (const o of objects) for (const [path, v] of A.pathsOf(o)) if (typeof v !== 'object') paths.set(path, [...(paths.get(path) ?? []), v])
  if (paths.size === 0) return fc.constant([])
  return fc.constantFrom(...A.uniq(paths.keys())).chain((attribute_path) => {
    const values = A.uniq(paths.get(attribute_path)!) as any[]
    return fc.constantFrom(...values).map((v) =>
      typeof v === 'string' ? [{ attribute_path, filter_type: 'string_filter', equals: [v] }]
        : typeof v === 'number' ? [{ attribute_path, filter_type: 'int64_filter', equals: [v] }]
          : [{ attribute_path, filter_type: 'bool_filter', equals: v }],
    )
  })
}

/** Up to two filters (and a sort) over what the recording keeps as it is, and equality over what it replaces. */
function requestOf(s: A.Scope): fc.Arbitrary<Record<string, unknown>> {
  return allFilters(s).chain((all) =>
    fc.subarray(Object.keys(all), { maxLength: 3 }).map((keys) => Object.fromEntries(keys.map((k) => [k, all[k]]))),
  )
}

function allFilters(s: A.Scope): fc.Arbitrary<Record<string, unknown>> {
  const common = {
    created_at: opt(A.dateFilter(s)),
    session_duration: opt(A.durationFilter(s)),
    is_anonymous: opt(fc.boolean()),
    rev_org: opt(A.listOf(vals(s, (x) => x.rev_org_id), 'nobody')),
    rev_user: opt(A.listOf(vals(s, (x) => x.rev_user_id), 'nobody')),
    session_attributes: opt(equalityAttributes(s.sessions.map((x) => x.details?.attributes ?? {}))),
    sort_by: opt(fc.constantFrom(['created_at:asc'], ['session_duration_ms:desc'], ['created_at:desc'])),
  }
  const details = (key: string) => s.sessions.flatMap((x) => x.details?.[key] ?? [])
  if (s.type === 'mobile') {
    return fc.record(
      {
        ...common,
        app_version: opt(A.listOf(vals(s, (x) => x.device_metadata.app_version), '0.0.0')),
        device_model: opt(A.listOf(vals(s, (x) => x.device_metadata.model), 'none')),
        manufacturer: opt(A.listOf(vals(s, (x) => x.device_metadata.manufacturer), 'none')),
        os_version: opt(A.listOf(vals(s, (x) => x.device_metadata.os_version), '0')),
        is_crash: opt(fc.boolean()),
        is_anr: opt(fc.boolean()),
        rage_tap: opt(fc.boolean()),
        has_exception_occurred: opt(fc.boolean()),
        screen_name: opt(A.listOf(A.uniq(details('screen_names')), 'Nowhere')),
        custom_events: opt(fc.record({
          event_name: A.listOf(A.uniq(details('custom_events').map((e: any) => e.name)), 'none'),
          exception_class_name: opt(A.listOf(A.uniq(details('custom_events').flatMap((e: any) => e.exception_class_name ?? [])), 'None')),
        }, { requiredKeys: [] })),
        response_time_list: opt(fc.record({
          api_name: A.listOf(A.uniq(details('api_calls').map((c: any) => c.api_name)), '/none'),
          round_trip_time: fc.record({ range: fc.record({ min_ms: opt(fc.nat(2500)), max_ms: opt(fc.nat(2500)) }, { requiredKeys: [] }) }),
        }, { requiredKeys: [] })),
      },
      {},
    )
  }
  return fc.record(
    {
      ...common,
      browser: opt(A.listOf(vals(s, (x) => x.device_metadata.browser), 'none')),
      os: opt(A.listOf(vals(s, (x) => x.device_metadata.os), 'none')),
      device_type: opt(A.listOf(vals(s, (x) => x.device_metadata.type), 'none')),
      has_console_errors: opt(fc.boolean()),
      has_dead_clicks: opt(fc.boolean()),
      has_network_errors: opt(fc.boolean()),
      has_rage_clicks: opt(fc.boolean()),
      page_name: opt(A.listOf(A.uniq(details('pages').map((x: any) => x.name)), 'Nowhere')),
      page_url: opt(A.listOf(A.uniq(details('pages').map((x: any) => x.url)), 'https://nowhere.example/')),
      normalized_url: opt(A.listOf(A.uniq(details('pages').map((x: any) => x.normalized_url)), 'https://nowhere.example/')),
      console_logs: opt(fc.record({
        log_type: A.listOf(['error', 'log', 'warn'], 'debug'),
        body: A.listOf(A.substringsOf(A.uniq(details('console_logs').map((l: any) => l.body))), 'no such text'),
      }, { requiredKeys: [] })),
      events: opt(fc.record({
        value: A.listOf(A.uniq(details('events').flatMap((e: any) => e.value ?? [])), 'No such button'),
        is_dead: fc.boolean(),
        is_rage: fc.boolean(),
      }, { requiredKeys: [] })),
      network_logs: opt(fc.record({
        request_method: A.listOf(['GET', 'POST', 'PUT', 'DELETE'], 'PATCH'),
        request_url: A.listOf(A.uniq(details('network_logs').map((l: any) => l.request_url)), 'https://nowhere.example/'),
        response_status: A.listOf([200, 201, 204, 304, 400, 401, 404, 500, 502], 418),
      }, { requiredKeys: [] })),
      custom_events: opt(fc.record({ event_name: A.listOf(A.uniq(details('custom_events').map((e: any) => e.name)), 'none') }, { requiredKeys: [] })),
    },
  )
}

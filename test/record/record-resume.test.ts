/**
 * The recorder as a user runs it: the CLI killed in the middle of a recording and resumed writes
 * the same file as an uninterrupted run; one salt gives the same file twice, another salt another
 * file; the .json and .jsonl outputs hold the same sessions; a refused token and an unreachable host
 * stop it at once with one line that never shows the token.
 */
import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.ts'
import { startMockServer } from '../../src/index.ts'
import { record, PLATFORMS, type RecordOptions } from '../../src/record/run.ts'
import { allRecords } from '../helpers/store.ts'

t.setTimeout(600_000)

const dir = mkdtempSync(join(tmpdir(), 'record-resume-'))
const VERSION_KEYS = ['com.example.shop', 'shop.example.com']
const quick = { client: { backoffMs: 10, maxBackoffMs: 100 } }

t.test('interrupted and resumed, twice with one salt, once with another', async (t) => {
  // Slow enough (a 429 every 15 calls, waited out for real) that the CLI is still at it when killed.
  const upstream = await startMockServer({ port: 0, seed: 3, sessions: 80, now: '2026-01-15T12:00:00Z', rateLimit: '15/1s', tokens: ['good'] })
  t.teardown(() => upstream.close())
  const base = { from: upstream.url, token: 'good', versionKeys: VERSION_KEYS, platforms: PLATFORMS, anonymize: true, resume: false, salt: 'pepper', pageSize: 4 }
  const run = (o: Partial<RecordOptions> & { out: string }) => record({ ...base, ...o }, { progress: () => undefined, ...quick })

  const a = join(dir, 'a.jsonl')
  const n = await run({ out: a })
  t.ok(n > 20, `${n} sessions recorded`)

  // The CLI, killed once it has written a few pages.
  const b = join(dir, 'b.jsonl')
  const child = runCli(['record', '--from', upstream.url, '--version-key', VERSION_KEYS[0]!, '--version-key', VERSION_KEYS[1]!, '--salt', 'pepper', '--page-size', '4', '--out', b], { env: { DEVREV_TOKEN: 'good' } })
  await new Promise<void>((resolve, reject) => {
    const check = () => (/record: \d+ sessions, [3-9] pages/.test(child.stderr()) ? resolve() : undefined)
    child.child.stderr!.on('data', check)
    void child.exited.then(() => reject(new Error(`exited before it was killed: ${child.stderr()}`)))
  })
  await child.stop('SIGKILL')
  t.notOk(existsSync(b), 'no output yet: the run was cut short')
  t.ok(existsSync(`${b}.state`) && existsSync(`${b}.part`), 'its progress is saved beside the output')
  t.notMatch(child.stderr(), /good/, 'the token is not shown')
  await run({ out: b, resume: true })
  t.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'), 'resumed, the same file as an uninterrupted run')
  t.notOk(existsSync(`${b}.state`) || existsSync(`${b}.part`), 'progress files removed at the end')

  // The 429s have been met and waited out; the rest of the runs need no slow upstream.
  upstream.app.mock.limiter.set(undefined)
  const again = join(dir, 'again.jsonl')
  await run({ out: again })
  t.equal(readFileSync(again, 'utf8'), readFileSync(a, 'utf8'), 'the same salt, the same file')

  const other = join(dir, 'other.jsonl')
  await run({ out: other, salt: 'salt' })
  t.not(readFileSync(other, 'utf8'), readFileSync(a, 'utf8'), 'another salt, other pseudonyms')

  const json = join(dir, 'a.json')
  await run({ out: json })
  const lines = readFileSync(a, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.same(JSON.parse(readFileSync(json, 'utf8')).sessions, lines, '.json holds what .jsonl holds')

  const plain = join(dir, 'plain.jsonl')
  await run({ out: plain, anonymize: false, maxSessions: 5, since: { type: 'preset', preset_type: 'last_n_days', days: 30 } })
  const kept = readFileSync(plain, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.equal(kept.length, 5, '--max-sessions stops there')
  const upstreamIds = new Set(allRecords(upstream.app.mock.store).map((r) => r.session.rev_user_id).filter(Boolean))
  t.ok(kept.some((s) => upstreamIds.has(s.rev_user_id)), '--no-anonymize keeps the upstream ids')
  t.notOk(existsSync(`${plain}.salt`), 'and writes no salt')

  // Cut short at its first call (a refused token), then resumed: the salt it made is in FILE.salt.
  const salted = join(dir, 'salted.jsonl')
  await t.rejects(run({ out: salted, salt: undefined, token: 'bad' }), /refused the token/)
  const made = readFileSync(`${salted}.salt`, 'utf8').trim()
  await run({ out: salted, salt: undefined, resume: true })
  const same = join(dir, 'same.jsonl')
  await run({ out: same, salt: made })
  t.equal(readFileSync(salted, 'utf8'), readFileSync(same, 'utf8'), 'resumed with the salt it wrote beside the output')

  await t.rejects(run({ out: join(dir, 'none.jsonl'), resume: true }), /nothing to resume/)
  const half = join(dir, 'half.jsonl')
  await t.rejects(record({ ...base, out: half, token: 'bad' }, { progress: () => undefined }), /refused the token \(401 unauthenticated/)
  await t.rejects(run({ out: half, resume: true, versionKeys: ['other'] }), /--resume needs the options of the interrupted run/)
  await t.rejects(run({ out: join(dir, 'x.csv') }), /--out must name a .jsonl or .json file/)
})

t.test('the shipped example fixtures (sessions without recording or tab ids, counters without details), recorded as they are', async (t) => {
  const upstream = await startMockServer({ port: 0, seed: 8, fixtures: 'fixtures/example.json', now: '2026-01-15T12:00:00Z', freezeClock: true })
  t.teardown(() => upstream.close())
  const out = join(dir, 'example.json')
  // Through the command's own entry point, in process.
  const { recordMain } = await import('../../src/bin/record.ts')
  const write = process.stderr.write
  let err = ''
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write
  let code
  try {
    code = await recordMain('devrev-observability-mock', ['--from', upstream.url, '--version-key', 'com.example.notes', '--version-key', 'notes.example.com', '--no-anonymize', '--out', out], { DEVREV_TOKEN: 't' })
  } finally {
    process.stderr.write = write
  }
  t.equal(code, 0)
  t.match(err, /record: wrote 9 sessions to .*example\.json \(\d+ bytes\)\n$/)
  const replay = await startMockServer({ port: 0, seed: 8, fixtures: out, now: '2026-01-15T12:00:00Z', freezeClock: true })
  t.teardown(() => replay.close())
  for (const s of JSON.parse(readFileSync(out, 'utf8')).sessions) {
    const body = JSON.stringify({ session_id: s.session_id, version_key: s.version_key })
    const ask = (url: string) => fetch(`${url}/observability.sessions.data.get`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body }).then((r) => r.json() as Promise<any>)
    const { replay_data: _a, video_playback_data: _b, ...up } = await ask(upstream.url)
    const { replay_data: _c, video_playback_data: _d, ...re } = await ask(replay.url)
    t.same(re, up, `${s.session_id}: the first recording, as the upstream answered it`)
  }
})

t.test('the CLI: a refused token, an unreachable host and bad flags each stop with one line', async (t) => {
  const upstream = await startMockServer({ port: 0, seed: 3, sessions: 10, tokens: ['good'] })
  t.teardown(() => upstream.close())
  const closed = await startMockServer({ port: 0, seed: 3, sessions: 1 })
  const gone = closed.url
  await closed.close()
  const out = join(dir, 'cli.jsonl')
  const runs = [
    runCli(['record', '--from', upstream.url, '--token', 'sekrit-token', '--version-key', 'k', '--out', out]),
    runCli(['record', '--from', gone, '--version-key', 'k', '--out', out], { env: { DEVREV_TOKEN: 'sekrit-token' } }),
    runCli(['record', '--help']),
  ]
  const [refused, unreachable, help] = await Promise.all(runs.map(async (r) => ({ ...(await r.exited), err: r.stderr(), out: r.stdout() })))
  t.equal(refused!.code, 1)
  t.match(refused!.err, /^devrev-observability-mock record: http:\/\/127\.0\.0\.1:\d+ refused the token \(401 unauthenticated.*\): check --token or DEVREV_TOKEN\n$/)
  t.equal(unreachable!.code, 1)
  t.match(unreachable!.err, /^devrev-observability-mock record: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/)
  for (const r of [refused!, unreachable!]) t.notMatch(r.err, /sekrit/, 'the token never shows')
  t.equal(help!.code, 0)
  t.match(help!.out, /^Usage: devrev-observability-mock record --version-key K --out FILE/)
  t.match(help!.out, /--since S +7d \(the last 7 days\)/)
})

t.test('flags: each mistake named in one line, exit 2', async (t) => {
  const { recordMain } = await import('../../src/bin/record.ts')
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--version-key', 'k', '--out', 'x.jsonl'], {}, /a token is needed: --token or DEVREV_TOKEN/],
    [['--out', 'x.jsonl'], { DEVREV_TOKEN: 't' }, /--version-key is needed/],
    [['--version-key', 'k'], { DEVREV_TOKEN: 't' }, /--out FILE is needed/],
    [['--version-key', 'k', '--out', 'x.jsonl', '--platform', 'tv'], { DEVREV_TOKEN: 't' }, /--platform must be one of android, ios, web, got "tv"/],
    [['--version-key', 'k', '--out', 'x.jsonl', '--salt', ''], { DEVREV_TOKEN: 't' }, /--salt must not be empty/],
    [['--version-key', 'k', '--out', 'x.jsonl', '--max-sessions', '0'], { DEVREV_TOKEN: 't' }, /--max-sessions must be a positive integer, got "0"/],
    [['--version-key', 'k', '--out', 'x.jsonl', '--since', 'yesterday'], { DEVREV_TOKEN: 't' }, /--since must be a number of days such as 7d/],
    [['--bogus'], {}, /Unknown option '--bogus'/],
  ]
  const write = process.stderr.write
  const unwritable: [string[], Record<string, string>, RegExp] = [
    ['--version-key', 'k', '--out', join(dir, 'no/such/dir/x.json'), '--max-sessions', '3', '--page-size', '2', '--from', 'http://127.0.0.1:9'],
    { DEVREV_TOKEN: 't' },
    /^devrev-observability-mock record: cannot record: ENOENT: no such file or directory/,
  ]
  for (const [argv, env, want] of [...cases, unwritable]) {
    let err = ''
    process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write
    let code
    try {
      code = await recordMain('devrev-observability-mock', argv, env)
    } finally {
      process.stderr.write = write
    }
    t.equal(code, argv.includes('--page-size') ? 1 : 2, argv.join(' '))
    t.match(err, want)
    t.equal(err.split('\n').length, 2, 'one line')
  }
})

t.test('--since forms', async (t) => {
  const { parseSince } = await import('../../src/record/run.ts')
  t.same(parseSince('7d'), { type: 'preset', preset_type: 'last_n_days', days: 7 })
  t.same(parseSince('2026-01-31'), { type: 'range', after: '2026-01-31T00:00:00.000Z' })
  t.same(parseSince('2026-01-31T12:00:00+02:00'), { type: 'range', after: '2026-01-31T10:00:00.000Z' })
  t.throws(() => parseSince('2026-02-31T99:00:00Z'), /--since must be/)
})

t.test('the scripted upstream: what a careful client does with each answer', async (t) => {
  const { createServer } = await import('node:http')
  const { DevRevClient, RecordError } = await import('../../src/record/client.ts')
  const script: Array<(res: import('node:http').ServerResponse) => void> = []
  let asked = 0
  const server = createServer((req, res) => {
    asked++
    t.equal(req.headers.authorization, 'Bearer tok')
    req.resume()
    req.on('end', () => (script.shift() ?? ((r) => r.writeHead(200).end('{"ok":true}')))(res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  const waits: string[] = []
  const client = (attempts = 8) => new DevRevClient({ base, token: 'tok', attempts, backoffMs: 1, maxBackoffMs: 2, maxRetryAfterS: 0.01, onWait: (why) => waits.push(why) })

  script.push(
    (r) => r.writeHead(429).end(), // no Retry-After: the backoff
    (r) => r.writeHead(429, { 'retry-after': '3600' }).end(), // capped
    (r) => r.writeHead(503).end(),
    (r) => r.writeHead(200).end('{"cut'),
    (r) => r.destroy(),
  )
  t.same(await client().call('op', {}), { ok: true }, 'answered after every kind of retry')
  t.same(waits, ['429 too many requests', '429 too many requests', '503 from the upstream', 'a cut or malformed JSON body', 'connection lost (UND_ERR_SOCKET)'])
  t.equal(asked, 6)

  script.push((r) => r.writeHead(502).end(), (r) => r.writeHead(502).end())
  await t.rejects(client(2).call('op', {}), new RecordError('op: gave up after 2 attempts: 502 from the upstream'))
  script.push((r) => r.writeHead(404, { 'content-type': 'text/plain' }).end('no'))
  await t.rejects(client().call('op', {}), new RecordError('op: 404'), 'a body that is no DevRev error: the status alone')
  script.push((r) => r.writeHead(400).end('{"type":"bad_request"}'))
  await t.rejects(client().call('op', {}), new RecordError('op: 400 bad_request'))
  script.push((r) => r.writeHead(403).end('{"type":"forbidden","message":"no"}'))
  await t.rejects(client().call('op', {}), /refused the token \(403 forbidden: no\)/)
  await t.rejects(new DevRevClient({ base: 'not a url', token: 'tok' }).call('op', {}), /cannot reach not a url: ERR_INVALID_URL/)
  writeFileSync(join(dir, 'unused'), '')
})

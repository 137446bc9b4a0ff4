/**
 * The CLI as a child process: `--port 0` prints `listening on http://127.0.0.1:PORT` and
 * serves; two processes with the same seed, size and --now export byte-identical corpora, another
 * seed differs; `--fixtures fixtures/example.json` serves the example; SIGTERM and SIGINT stop it with exit 0 within 1 s, an in-flight request completing.
 */
import t from 'tap'
import { request } from 'node:http'
import { readFileSync } from 'node:fs'
import { runCli, type CliRun } from '../helpers/cli.ts'

const ARGS = ['--sessions', '300', '--now', '2026-01-01T00:00:00Z', '--port', '0']

async function text(url: string): Promise<string> {
  return (await fetch(url)).text()
}

/** Longer than any graceful stop, short of a hang. */
const STOP_MS = 5000

t.test('determinism across processes, serving, graceful stop', async (t) => {
  const a = runCli(['--seed', '5', ...ARGS])
  const b = runCli(['--seed', '5', ...ARGS, '--log-level', 'silent'])
  const c = runCli(['--seed', '6', ...ARGS, '--log-level', 'silent'])
  const d = runCli(['--fixtures', 'fixtures/example.json', '--port', '0', '--log-level', 'silent'])
  const runs: CliRun[] = [a, b, c, d]
  t.teardown(() => runs.forEach((r) => r.child.exitCode === null && r.child.kill('SIGKILL')))
  const [ua, ub, uc, ud] = await Promise.all(runs.map((r) => r.listening))
  // --fixtures: the example file is what it serves.
  const example = JSON.parse(readFileSync('fixtures/example.json', 'utf8')) as { sessions: Array<Record<string, unknown>> }
  const served = JSON.parse(await text(`${ud}/__admin/corpus`))
  t.same(served, { sessions: example.sessions.map((s) => ({ ...s, details: s.details ?? {} })) }, '--fixtures fixtures/example.json loads')
  t.equal((await d.stop('SIGTERM')).code, 0)
  for (const u of [ua, ub, uc]) t.match(u, /^http:\/\/127\.0\.0\.1:\d+$/, 'the real port, not 0')
  t.not(ua, ub)
  // With logs off, the line is the whole of stdout.
  t.equal(b.stdout(), `listening on ${ub}\n`)
  // With logs on (JSON, stdout is not a terminal), the line stands alone among JSON log lines.
  const lines = a.stdout().trim().split('\n')
  t.equal(lines.filter((l) => l.startsWith('listening on ')).length, 1)
  for (const l of lines.filter((l) => !l.startsWith('listening on '))) t.doesNotThrow(() => JSON.parse(l), 'JSON log line')
  t.match(a.stdout(), /"msg":"mock ready"/)

  const [ca, cb, cc] = await Promise.all([ua, ub, uc].map((u) => text(`${u}/__admin/corpus`)))
  t.ok(ca!.length > 10_000)
  t.equal(ca, cb, 'same seed, size and --now: byte-identical exports')
  t.not(ca, cc, 'another seed: another corpus')
  t.equal(JSON.parse(ca!).sessions.length, 300)
  const h = JSON.parse(await text(`${ua}/__admin/health`))
  t.match(h, { status: 'ok', seed: 5, sessions: 300 })
  // It serves the emulated API.
  const list = await fetch(`${ua}/observability.sessions.list`, {
    method: 'POST',
    headers: { authorization: 'tok', 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 2 }),
  })
  t.equal(list.status, 200)
  t.equal(((await list.json()) as { sessions: unknown[] }).sessions.length, 2)

  // An in-flight request when SIGTERM arrives still completes; then exit 0, < 1 s. `Expect:
  // 100-continue` tells when the server has the request (its headers): then the signal, then the body.
  const body = JSON.stringify({ type: 'mobile', platform: 'ios', version_key: 'com.example.shop', limit: 3 })
  let stopAt = 0
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(`${ua}/observability.sessions.list`, {
      method: 'POST',
      headers: { authorization: 'tok', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    }, (res) => {
      let s = ''
      res.setEncoding('utf8').on('data', (c: string) => (s += c)).on('end', () => resolve({ status: res.statusCode!, text: s }))
    })
    req.on('error', reject)
    req.on('continue', () => {
      stopAt = Date.now()
      a.child.kill('SIGTERM')
      setTimeout(() => req.end(body), 150)
    })
    req.flushHeaders()
  })
  const done = await response
  t.equal(done.status, 200, 'the in-flight request completed')
  t.equal(JSON.parse(done.text).sessions.length, 3)
  const exitA = await a.exited
  t.equal(exitA.code, 0, 'SIGTERM: exit 0')
  // Exit code 0 is the proof of a graceful stop (a request cut off at the 1 s grace gives 1); the time
  // only guards against a hang, with room for a busy machine's process teardown.
  t.ok(exitA.at - stopAt < STOP_MS, `exited ${exitA.at - stopAt} ms after the signal`)
  t.match(a.stdout(), /"signal":"SIGTERM"/, 'the stop is logged')
  await t.rejects(fetch(`${ua}/__admin/health`), 'nothing listens any more')

  const exitB = await b.stop('SIGINT')
  t.equal(exitB.code, 0, 'SIGINT: exit 0')
  t.ok(exitB.ms < STOP_MS, `SIGINT: ${exitB.ms} ms`)
  const exitC = await c.stop('SIGTERM')
  t.equal(exitC.code, 0)
  t.ok(exitC.ms < STOP_MS, `SIGTERM, idle: ${exitC.ms} ms`)
  t.equal(b.stderr() + c.stderr(), '', 'nothing on stderr')
})

/**
 * `probability` draws from the RNG seeded by --seed: the CLI in two child processes, and the
 * in-process server in this one, with the same seed and rules, fault the same requests. And a bad
 * --faults file stops the CLI with exit code 2 and one line naming the rule and the key. (Each CLI
 * start transpiles the sources anew, several seconds: all children start at once.)
 */
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startTestServer } from '../helpers/app.ts'

const NOW = '2026-01-15T12:00:00Z'
const CLI = fileURLToPath(new URL('../../src/bin/cli.ts', import.meta.url))
const REQUESTS = 60

const dir = mkdtempSync(join(tmpdir(), 'faults-seeded-'))
const rules = join(dir, 'faults.json')
writeFileSync(rules, JSON.stringify([{ status: 503, probability: 0.3 }, { error: 'token_revoked', probability: 0.1, after: 5 }]))

/** Runs the CLI (with this process's TypeScript loader) and resolves its URL once it listens. */
function startCli(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [...process.execArgv, CLI, '--port', '0', '--log-level', 'silent', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '', MOCK_SEED: '', MOCK_FAULTS: '' },
  })
  const url = new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.on('exit', (code) => reject(new Error(`cli exited ${code} before listening`)))
  })
  url.catch(() => {}) // awaited by those who expect it to listen
  return { child, url }
}

/** Which of REQUESTS identical requests the server at `base` faulted, and how. */
async function pattern(base: string): Promise<string> {
  const statuses: number[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const res = await fetch(`${base}/observability.sessions.list?platform=android&version_key=com.example.shop&limit=1`, {
      headers: { authorization: 'Bearer t' },
    })
    await res.arrayBuffer()
    statuses.push(res.status)
  }
  const journal = (await (await fetch(`${base}/__admin/requests`)).json()) as { requests: { status: number }[] }
  t.same(
    journal.requests.map((r) => r.status),
    statuses,
    'the journal agrees with what the client saw',
  )
  return statuses.map((s) => (s === 200 ? '.' : s === 503 ? 'S' : 'R')).join('')
}

// The children start now and transpile in parallel; the tests below await them.
const cliArgs = ['--seed', '11', '--faults', rules, '--sessions', '20', '--now', NOW]
const clis = [startCli(cliArgs), startCli(cliArgs)]
t.teardown(() => {
  for (const cli of clis) cli.child.kill('SIGTERM')
})
const bad = join(dir, 'bad.json')
writeFileSync(bad, JSON.stringify([{ status: 503 }, { status: 503, match: { endpoint: 'works.list' } }]))
const badCli = startCli(['--faults', bad])
let badErr = ''
badCli.child.stderr!.on('data', (d: Buffer) => (badErr += d.toString()))
const badExit = new Promise<number | null>((resolve) => badCli.child.on('exit', resolve))

t.test('the same seed gives the same hits in two processes', async (t) => {
  const local = await startTestServer({ seed: 11, faults: rules, sessions: 20, now: NOW })
  t.teardown(() => local.close())
  const a = await pattern(await clis[0]!.url)
  const b = await pattern(await clis[1]!.url)
  const c = await pattern(local.url)
  t.equal(a.length, REQUESTS)
  t.equal(b, a, `seed 11 in two CLI processes: ${a}`)
  t.equal(c, a, 'and in this process')
  // Another seed gives other hits: test/core/faults/engine.test.ts, in-process.
  t.match(a, /S/, 'some requests were faulted')
  t.match(a, /\./, 'and some were not')
  t.match(a.slice(0, 5), /^[.S]*$/, 'the after: 5 rule lets five requests pass first')
})

t.test('a bad --faults file: exit 2, one line naming the rule index and the key', async (t) => {
  t.equal(await badExit, 2)
  t.equal(
    badErr,
    `devrev-observability-mock: --faults ${bad}: rule 1, key "match.endpoint": invalid value for match.endpoint: works.list\n`,
  )
})

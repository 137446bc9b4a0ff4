/**
 * The CLI's other ways out and in: --help and --version, a port already taken (exit 1, one line),
 * options from flags, env and --config with their precedence, and an uncaught error after start
 * (logged, server closed, exit 1).
 */
import t from 'tap'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { runCli } from '../helpers/cli.ts'
import { OPTION_DEFS } from '../../src/config/options.ts'

const NAME = 'devrev-observability-mock'

t.test('--help, --version', async (t) => {
  const [help, version] = [runCli(['--help']), runCli(['--version', '--port', 'ignored'])]
  const [h, v] = await Promise.all([help.exited, version.exited])
  t.equal(h.code, 0)
  t.match(help.stdout(), new RegExp(`^Usage: ${NAME} \\[options\\]`))
  for (const d of OPTION_DEFS) {
    t.match(help.stdout(), `--${d.flag}`, `--help lists --${d.flag}`)
    t.match(help.stdout(), d.env, `and ${d.env}`)
  }
  t.match(help.stdout(), '(default 8080)')
  t.equal(v.code, 0)
  t.equal(version.stdout(), `${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`)
  t.equal(help.stderr() + version.stderr(), '')
})

t.test('a port already in use: exit 1, one line', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  const run = runCli(['--port', String(port), '--sessions', '10', '--log-level', 'silent'])
  const { code } = await run.exited
  t.equal(code, 1)
  t.match(run.stderr(), new RegExp(`^${NAME}: cannot start: .*EADDRINUSE.*\\n$`))
  t.equal(run.stderr().split('\n').length, 2, 'one line')
  t.equal(run.stdout(), '')
})

t.test('flags beat env, env beats --config; an uncaught error stops it cleanly', async (t) => {
  const dir = t.testdir({ 'mock.json': JSON.stringify({ seed: 1, sessions: 10, maxLimit: 3, now: '2026-01-01T00:00:00Z', 'log-level': 'silent' }) })
  const run = runCli(['--config', join(dir, 'mock.json'), '--sessions', '30', '--port', '0', '--token', 'tok-a', '--token', 'tok-b'], {
    env: { MOCK_SEED: '2', MOCK_SESSIONS: '20', MOCK_LOG_LEVEL: 'warn', MOCK_TOKEN: 'env-token' },
    execArgv: ['--import', './test/fixtures/throw-on-sigwinch.mjs'],
  })
  t.teardown(() => run.child.exitCode === null && run.child.kill('SIGKILL'))
  const url = await run.listening
  const health = await (await fetch(`${url}/__admin/health`)).json()
  t.match(health, { seed: 2, sessions: 30 }, 'seed from env over the file, sessions from the flag over env')
  const list = async (authorization: string) =>
    fetch(`${url}/observability.sessions.list`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 50 }),
    })
  const ok = await list('tok-b')
  t.equal(ok.status, 200, '--token is repeatable')
  t.equal((await list('Bearer tok-a')).status, 200)
  t.equal((await list('env-token')).status, 401, 'the flags\' tokens beat MOCK_TOKEN')
  t.ok(((await ok.json()) as { sessions: unknown[] }).sessions.length <= 3, 'max-limit 3 from the file')
  t.equal((await list('other')).status, 401, 'other tokens refused')
  const corpus = (await (await fetch(`${url}/__admin/corpus`)).json()) as { sessions: { created_at: string }[] }
  t.ok(corpus.sessions.every((s) => s.created_at <= '2026-01-01T00:00:00.000Z'), '--now from the file')

  // An uncaught error after start: logged at error level (warn level from env keeps it), closed, exit 1.
  run.child.kill('SIGWINCH')
  const { code } = await run.exited
  t.equal(code, 1)
  t.match(run.stdout(), /"msg":"stopping on error"/)
  t.match(run.stdout(), /test-induced failure/)
})

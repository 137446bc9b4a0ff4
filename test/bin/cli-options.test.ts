/**
 * A bad option stops the CLI before anything listens: exit 2 and exactly one line on stderr naming
 * the option (or the file, index and field), whichever way it came (flag, env, config file).
 */
import t from 'tap'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.ts'

const NAME = 'devrev-observability-mock'

t.test('bad options: exit 2, one line', async (t) => {
  const dir = t.testdir({ 'bad-config.json': '{"port": 8080,', 'config.json': JSON.stringify({ sessions: 'many' }) })
  const cases: Array<{ args: string[]; env?: Record<string, string>; line: RegExp }> = [
    { args: ['--port', 'abc'], line: /^--port must be an integer from 0 to 65535, got "abc"$/ },
    { args: ['--bogus'], line: /^Unknown option '--bogus'.* \(see --help\)$/ },
    { args: ['extra-positional'], line: /positional argument.* \(see --help\)$/ },
    { args: ['--port'], line: /^Option '--port <value>' argument missing \(see --help\)$/ },
    { args: ['--port', '0', '--now', 'yesterday'], line: /^--now must be an ISO date-time such as 2024-06-01T12:00:00Z, got "yesterday"$/ },
    { args: ['--port', '0', '--fixtures', 'test/fixtures/bad-sessions.json'], line: /^fixtures file test\/fixtures\/bad-sessions\.json: sessions\[1\]\.created_at: .+$/ },
    { args: ['--port', '0', '--fixtures', 'test/fixtures/none.json'], line: /^cannot read fixtures file test\/fixtures\/none\.json: ENOENT$/ },
    { args: [], env: { PORT: 'eighty' }, line: /^PORT must be an integer from 0 to 65535, got "eighty"$/ },
    { args: ['--config', join(dir, 'bad-config.json')], line: /^--config .*bad-config\.json: not valid JSON: .+$/ },
    { args: ['--port', '0', '--config', join(dir, 'config.json')], line: /^"sessions" in .*config\.json must be an integer from 0 to \d+, got "many"$/ },
    { args: ['--port', '0', '--log-level', 'loud'], line: /^--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/ },
  ]
  // Two at a time: each child loads the TypeScript sources.
  for (let i = 0; i < cases.length; i += 2) {
    await Promise.all(
      cases.slice(i, i + 2).map(async ({ args, env, line }) => {
        const run = runCli(args, { env })
        const { code } = await run.exited
        const what = JSON.stringify({ args, env })
        t.equal(code, 2, `${what}: exit 2`)
        t.equal(run.stdout(), '', `${what}: nothing on stdout (it never listened)`)
        const err = run.stderr()
        t.ok(err.endsWith('\n') && err.indexOf('\n') === err.length - 1, `${what}: exactly one line: ${JSON.stringify(err)}`)
        t.ok(err.startsWith(`${NAME}: `), `${what}: names the program`)
        t.match(err.slice(NAME.length + 2).trimEnd(), line, what)
      }),
    )
  }
})

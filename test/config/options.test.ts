/**
 * Options as data: every kind of value, the one-line error naming the option and where it
 * came from, and precedence: flags (and values in code) beat env, env beats the --config file.
 */
import t, { type Test } from 'tap'
import { join } from 'node:path'
import { OPTION_DEFS, OptionError, parseRateLimit, resolveOptions, LOG_LEVELS } from '../../src/config/options.ts'

const fails = (t: Test, f: () => unknown, message: string | RegExp) => {
  try {
    f()
  } catch (e) {
    t.ok(e instanceof OptionError, 'an OptionError')
    t.notMatch((e as Error).message, /\n/, 'one line')
    if (typeof message === 'string') t.equal((e as Error).message, message)
    else t.match((e as Error).message, message)
    return
  }
  t.fail(`no error, expected ${message}`)
}

t.test('defaults (the CLI\'s) and in-process overrides', async (t) => {
  t.same(resolveOptions({}), {
    port: 8080,
    host: '127.0.0.1',
    seed: 42,
    sessions: 1000,
    tokens: [],
    maxBodyBytes: 1048576,
    maxLimit: 100,
    journalSize: 1000,
    logLevel: 'info',
    freezeClock: false,
    tls: false,
    tlsNames: [],
  })
  t.match(resolveOptions({ defaults: { port: 0, logLevel: 'silent' } }), { port: 0, logLevel: 'silent' })
  t.same(LOG_LEVELS, ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  for (const d of OPTION_DEFS) t.ok(d.help.length > 0 && /^[A-Z_]+$/.test(d.env), `${d.flag} has help and an env variable`)
})

t.test('every kind of value', async (t) => {
  const ok: Array<[Record<string, unknown>, Record<string, unknown>]> = [
    [{ port: '0' }, { port: 0 }],
    [{ port: 65535 }, { port: 65535 }],
    [{ port: ' 8081 ' }, { port: 8081 }],
    [{ seed: '0' }, { seed: 0 }],
    [{ sessions: 5 }, { sessions: 5 }],
    [{ maxBodyBytes: '1' }, { maxBodyBytes: 1 }],
    [{ host: '0.0.0.0' }, { host: '0.0.0.0' }],
    [{ fixtures: 'a.json' }, { fixtures: 'a.json' }],
    [{ now: '2026-01-15T12:00:00Z' }, { now: Date.parse('2026-01-15T12:00:00Z') }],
    [{ now: '2026-01-15T14:00:00+02:00' }, { now: Date.parse('2026-01-15T12:00:00Z') }],
    [{ now: 1234 }, { now: 1234 }],
    [{ now: new Date(5000) }, { now: 5000 }],
    [{ tokens: 'a, b ,c' }, { tokens: ['a', 'b', 'c'] }],
    [{ tokens: ['x'] }, { tokens: ['x'] }],
    [{ rateLimit: '100' }, { rateLimit: { limit: 100, windowMs: 300_000 } }],
    [{ rateLimit: 7 }, { rateLimit: { limit: 7, windowMs: 300_000 } }],
    [{ rateLimit: { limit: 3, windowMs: 10 } }, { rateLimit: { limit: 3, windowMs: 10 } }],
    [{ logLevel: 'debug' }, { logLevel: 'debug' }],
    [{ adminToken: 'T' }, { adminToken: 'T' }],
  ]
  for (const [direct, expected] of ok) t.match(resolveOptions({ direct }), expected, JSON.stringify(direct))

  const bad: Array<[Record<string, unknown>, string]> = [
    [{ port: 'abc' }, 'port must be an integer from 0 to 65535, got "abc"'],
    [{ port: 65536 }, 'port must be an integer from 0 to 65535, got 65536'],
    [{ port: -1 }, 'port must be an integer from 0 to 65535, got -1'],
    [{ port: 1.5 }, 'port must be an integer from 0 to 65535, got 1.5'],
    [{ seed: '1e3' }, 'seed must be an integer from 0 to 9007199254740991, got "1e3"'],
    [{ sessions: true }, 'sessions must be an integer from 0 to 9007199254740991, got true'],
    [{ maxLimit: 0 }, 'maxLimit must be an integer from 1 to 9007199254740991, got 0'],
    [{ host: '' }, 'host must be a non-empty string, got ""'],
    [{ adminToken: 5 }, 'adminToken must be a non-empty string, got 5'],
    [{ now: 'yesterday' }, 'now must be an ISO date-time such as 2024-06-01T12:00:00Z, got "yesterday"'],
    [{ now: Number.NaN }, 'now must be an ISO date-time such as 2024-06-01T12:00:00Z, got null'],
    [{ tokens: 'a,,b' }, 'tokens must be one or more non-empty tokens, got "a,,b"'],
    [{ tokens: [1] }, 'tokens must be one or more non-empty tokens, got [1]'],
    [{ tokens: {} }, 'tokens must be one or more non-empty tokens, got {}'],
    [{ rateLimit: { limit: 0, windowMs: 1 } }, 'rateLimit must be { limit, windowMs } with positive integers, got {"limit":0,"windowMs":1}'],
    [{ rateLimit: { limit: 1 } }, 'rateLimit must be { limit, windowMs } with positive integers, got {"limit":1}'],
    [{ rateLimit: true }, 'rateLimit must look like N or N/WINDOW, e.g. 100/5m, got true'],
    [{ rateLimit: 'lots' }, 'rateLimit must look like N or N/WINDOW, e.g. 100/5m (units ms, s, m, h), got "lots"'],
    [{ logLevel: 'loud' }, `logLevel must be one of ${LOG_LEVELS.join(', ')}, got "loud"`],
    [{ colour: 'red' }, 'unknown option "colour"'],
  ]
  for (const [direct, message] of bad) fails(t, () => resolveOptions({ direct }), message)
})

t.test('parseRateLimit', async (t) => {
  t.same(parseRateLimit('100/5m'), { limit: 100, windowMs: 300_000 })
  t.same(parseRateLimit(' 10/30s '), { limit: 10, windowMs: 30_000 })
  t.same(parseRateLimit('5/h'), { limit: 5, windowMs: 3_600_000 }, 'a bare unit is one of it')
  t.same(parseRateLimit('5/250ms'), { limit: 5, windowMs: 250 })
  t.same(parseRateLimit('1'), { limit: 1, windowMs: 300_000 }, 'DevRev\'s 5 minutes by default')
  for (const bad of ['0', '0/1s', '5/0s', '5/5', '5/5d', '-1', 'x/1s', '', '5/']) t.throws(() => parseRateLimit(bad), /N or N\/WINDOW/, bad)
})

t.test('where a bad value came from is named', async (t) => {
  fails(t, () => resolveOptions({ flags: { port: 'abc' } }), '--port must be an integer from 0 to 65535, got "abc"')
  fails(t, () => resolveOptions({ flags: { 'max-body-bytes': '0' } }), /^--max-body-bytes must be an integer from 1/)
  fails(t, () => resolveOptions({ env: { PORT: 'abc' } }), 'PORT must be an integer from 0 to 65535, got "abc"')
  fails(t, () => resolveOptions({ env: { MOCK_NOW: 'soon' } }), /^MOCK_NOW must be an ISO date-time/)
  const dir = t.testdir({ 'c.json': JSON.stringify({ port: 'abc' }) })
  fails(t, () => resolveOptions({ flags: { config: join(dir, 'c.json') } }), `"port" in ${join(dir, 'c.json')} must be an integer from 0 to 65535, got "abc"`)
})

t.test('precedence: flags > env > config file; direct values rank with flags', async (t) => {
  const dir = t.testdir({
    'all.json': JSON.stringify({ seed: 1, sessions: 10, port: 1111, 'max-limit': 7, logLevel: 'warn', tokens: ['f1'] }),
  })
  const config = join(dir, 'all.json')
  t.match(resolveOptions({ flags: { config } }), { seed: 1, sessions: 10, port: 1111, maxLimit: 7, logLevel: 'warn', tokens: ['f1'] }, 'keys by camelCase or flag name')
  const env = { MOCK_SEED: '2', MOCK_SESSIONS: '20', MOCK_TOKEN: 'e1,e2', MOCK_LOG_LEVEL: '' }
  t.match(resolveOptions({ flags: { config }, env }), { seed: 2, sessions: 20, port: 1111, tokens: ['e1', 'e2'], logLevel: 'warn' }, 'env beats the file; empty env ignored')
  t.match(resolveOptions({ flags: { config, sessions: '30', token: ['x1', 'x2'] }, env }), { seed: 2, sessions: 30, tokens: ['x1', 'x2'] }, 'flags beat env')
  t.match(resolveOptions({ direct: { config, sessions: 40 }, env }), { seed: 2, sessions: 40, maxLimit: 7 }, 'direct values beat env, config read from direct')
  t.match(resolveOptions({ env: { ...env, MOCK_CONFIG: config } }), { seed: 2, port: 1111 }, 'config path from env')
  t.match(resolveOptions({ flags: { config }, env: { MOCK_CONFIG: '/nope.json' } }), { port: 1111 }, 'the flag\'s config path beats env\'s')
  // Unknown flags are the CLI parser's business; resolveOptions ignores them.
  t.match(resolveOptions({ flags: { help: true } }), { port: 8080 })
})

t.test('config file problems', async (t) => {
  const dir = t.testdir({
    'bad.json': '{ nope',
    'array.json': '[1]',
    'null.json': 'null',
    'unknown.json': JSON.stringify({ colour: 'red' }),
    'nested.json': JSON.stringify({ config: 'other.json' }),
  })
  fails(t, () => resolveOptions({ flags: { config: join(dir, 'missing.json') } }), `--config ${join(dir, 'missing.json')}: cannot read (ENOENT)`)
  fails(t, () => resolveOptions({ flags: { config: join(dir, 'bad.json') } }), new RegExp(`^--config ${join(dir, 'bad.json')}: not valid JSON: `))
  for (const f of ['array.json', 'null.json']) fails(t, () => resolveOptions({ flags: { config: join(dir, f) } }), `--config ${join(dir, f)}: must be a JSON object of options`)
  fails(t, () => resolveOptions({ flags: { config: join(dir, 'unknown.json') } }), `--config ${join(dir, 'unknown.json')}: unknown option "colour"`)
  fails(t, () => resolveOptions({ flags: { config: join(dir, 'nested.json') } }), `--config ${join(dir, 'nested.json')}: unknown option "config"`)
  fails(t, () => resolveOptions({ direct: { config: 5 } }), '--config must be a file path')
  fails(t, () => resolveOptions({ direct: { config: '' } }), '--config must be a file path')
})

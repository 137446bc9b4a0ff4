/**
 * Logs: JSON lines by default, readable when stdout is a terminal, and no credential ever
 * in a line: not at info, not at trace where request lines carry the headers, not in an error's
 * `headers`. The lines are captured from the logger the server really configures (`loggerOptions`).
 */
import t, { type Test } from 'tap'
import { Writable } from 'node:stream'
import type { FastifyPluginAsync, FastifyServerOptions } from 'fastify'
import { buildTestApp, AUTH } from '../helpers/app.js'
import { loggerOptions, REDACT_PATHS } from '../../src/server.js'
import type { LogLevel } from '../../src/config/options.js'

const SECRET = 'tok-5ecret-f00d'
const COOKIE = 'sid=c00kie-5ecret'
const ADMIN = 'adm-5ecret-beef'
const HEADERS = {
  authorization: `Bearer ${SECRET}`,
  cookie: COOKIE,
  'x-admin-token': ADMIN,
  'user-agent': 'logging-test/1',
}
const LIST = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 2 }

interface Line {
  level: number
  msg: string
  reqId?: string
  req?: { method: string; url: string; headers?: Record<string, string> }
  res?: { statusCode: number }
  err?: { message: string; headers?: Record<string, string> }
}

/** A route that fails with the request's headers on the error, as careless code might. */
const boom: FastifyPluginAsync = async (app) => {
  app.get('/boom', async (req) => {
    throw Object.assign(new Error('boom'), { headers: req.headers })
  })
}

type LoggerOpts = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/** An app whose logger is `loggerOptions(level)` writing into an array; `tweak` may alter the options. */
async function logged(t: Test, level: LogLevel, tweak: (o: Record<string, unknown>) => void = () => {}) {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const opts = { ...(loggerOptions(level, false) as LoggerOpts), stream } as Record<string, unknown>
  tweak(opts)
  const app = await buildTestApp({ logger: opts as LoggerOpts, plugins: [boom] })
  t.teardown(() => app.close())
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line)
  return { app, lines, text: () => chunks.join('') }
}

/** The requests every case sends: a list call, an admin call, a 500 with headers on the error. */
async function traffic(app: Awaited<ReturnType<typeof buildTestApp>>) {
  const list = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: HEADERS, payload: LIST })
  const health = await app.inject({ method: 'GET', url: '/__admin/health', headers: HEADERS })
  const failed = await app.inject({ method: 'GET', url: '/boom', headers: HEADERS })
  return { list, health, failed }
}

const incoming = (lines: Line[], url: string) => lines.find((l) => l.msg === 'incoming request' && l.req?.url === url)

t.test('trace: request lines carry the headers with every credential redacted', async (t) => {
  const { app, lines, text } = await logged(t, 'trace')
  const { list, failed } = await traffic(app)
  t.equal(list.statusCode, 200)
  t.equal(failed.statusCode, 500)

  const all = lines()
  t.ok(all.length >= 4, 'every line is JSON')
  for (const secret of [SECRET, COOKIE, ADMIN]) t.notOk(text().includes(secret), `no line holds ${secret}`)

  const req = incoming(all, '/observability.sessions.list')
  t.ok(req, 'the list request is logged')
  t.match(req!.req!.headers, {
    authorization: '[redacted]',
    cookie: '[redacted]',
    'x-admin-token': '[redacted]',
    'user-agent': 'logging-test/1',
  }, 'headers are logged (user-agent kept), credentials redacted')

  const err = all.find((l) => l.msg === 'internal error')
  t.equal(err?.err?.message, 'boom', 'the 500 is logged with its error')
  t.equal(err?.err?.headers?.authorization, '[redacted]', "an error's headers are redacted too")
  t.equal(err?.err?.headers?.cookie, '[redacted]')
  t.equal(err?.err?.headers?.['user-agent'], 'logging-test/1')
})

t.test('the redaction is what keeps them out: without it the same lines leak', async (t) => {
  const { app, text } = await logged(t, 'trace', (o) => delete o.redact)
  await traffic(app)
  t.ok(text().includes(SECRET), 'control: the token would be logged')
  t.ok(text().includes(ADMIN), 'control: the admin token would be logged')
})

t.test('info: request lines without headers, health probes not logged', async (t) => {
  const { app, lines, text } = await logged(t, 'info')
  const { list, health } = await traffic(app)
  t.equal(list.statusCode, 200)
  t.equal(health.statusCode, 200)
  const all = lines()
  for (const secret of [SECRET, COOKIE, ADMIN]) t.notOk(text().includes(secret), `no line holds ${secret}`)
  const req = incoming(all, '/observability.sessions.list')
  t.equal(req?.req?.method, 'POST')
  t.notOk(req?.req?.headers, 'no headers at info')
  const done = all.find((l) => l.msg === 'request completed' && l.reqId === req?.reqId)
  t.equal(done?.res?.statusCode, 200)
  t.notOk(incoming(all, '/__admin/health'), 'the HEALTHCHECK probe does not flood the log')
  t.ok(all.some((l) => l.msg === 'internal error' && l.level === 50), 'errors are still logged')
})

t.test('loggerOptions: levels, redaction paths, pretty output on a terminal', async (t) => {
  t.equal(loggerOptions('silent'), false)
  const json = loggerOptions('info', false) as LoggerOpts
  t.equal(json.level, 'info')
  t.notOk('transport' in json, 'JSON lines when stdout is not a terminal')
  t.notOk('serializers' in json, "Fastify's own request serializer at info")
  t.same(json.redact, { paths: REDACT_PATHS, censor: '[redacted]' })
  t.ok(REDACT_PATHS.includes('*.headers.authorization') && REDACT_PATHS.includes('headers.authorization'))
  const pretty = loggerOptions('debug', true) as LoggerOpts
  t.match(pretty.transport, { target: 'pino-pretty' }, 'pino-pretty on a terminal')
  t.ok('serializers' in pretty, 'headers at debug')
  const byDefault = loggerOptions('warn') as LoggerOpts
  t.equal('transport' in byDefault, process.stdout.isTTY === true, 'the default follows stdout.isTTY')
})

// With AUTH (the suite's usual token), an ordinary request is logged without it as well.
t.test('a plain request with the usual token', async (t) => {
  const { app, text } = await logged(t, 'debug')
  const res = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: LIST })
  t.equal(res.statusCode, 200)
  t.notOk(text().includes(AUTH.authorization.slice('Bearer '.length)), 'the token is not in the log')
  t.ok(text().includes('"authorization":"[redacted]"'))
})

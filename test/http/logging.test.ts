/**
 * Logs: JSON lines by default, readable when stdout is a terminal, and no credential ever
 * in a line: not at info, not at trace where request lines carry the headers, not in an error's
 * `headers`. The lines are captured from the logger the server really configures (`loggerOptions`).
 */
import t, { type Test } from 'tap'
import { Writable } from 'node:stream'
import { connect, type AddressInfo } from 'node:net'
import type { FastifyPluginAsync, FastifyServerOptions } from 'fastify'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { createLogger, loggerOptions, REDACT_PATHS } from '../../src/server.ts'
import type { LogLevel } from '../../src/config/options.ts'

const SECRET = 'tok-5ecret-f00d'
const COOKIE = 'sid=c00kie-5ecret'
const ADMIN = 'adm-5ecret-beef'
const PROXY = 'Basic cHJveHk6NWVjcmV0'
const API_KEY = 'key-5ecret-cafe'
const HEADERS = {
  authorization: `Bearer ${SECRET}`,
  'proxy-authorization': PROXY,
  'x-api-key': API_KEY,
  cookie: COOKIE,
  'x-admin-token': ADMIN,
  'user-agent': 'logging-test/1',
}
const SECRETS = [SECRET, PROXY, API_KEY, COOKIE, ADMIN]
const LIST = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 2 }

interface Line {
  level: number
  msg: string
  reqId?: string
  method?: string
  path?: string
  status?: number
  error_type?: string | null
  rule_id?: string | null
  ms?: number
  headers?: Record<string, string>
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

const requestLine = (lines: Line[], path: string) => lines.find((l) => l.msg === 'request' && l.path === path)

t.test('trace: request lines carry the headers with every credential redacted', async (t) => {
  const { app, lines, text } = await logged(t, 'trace')
  const { list, failed } = await traffic(app)
  t.equal(list.statusCode, 200)
  t.equal(failed.statusCode, 500)

  const all = lines()
  t.ok(all.length >= 3, 'every line is JSON')
  for (const secret of SECRETS) t.notOk(text().includes(secret), `no line holds ${secret}`)

  const req = requestLine(all, '/observability.sessions.list')
  t.ok(req, 'the list request is logged')
  t.match(req!.headers, {
    authorization: '[redacted]',
    'proxy-authorization': '[redacted]',
    'x-api-key': '[redacted]',
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
  for (const secret of SECRETS) t.notOk(text().includes(secret), `no line holds ${secret}`)
  const req = requestLine(all, '/observability.sessions.list')
  t.match(req, { level: 30, method: 'POST', status: 200, error_type: null, rule_id: null, ms: Number })
  t.notOk(req?.headers, 'no headers at info')
  t.equal(all.filter((l) => l.reqId === req?.reqId).length, 1, 'one line per answered request')
  t.match(requestLine(all, '/boom'), { status: 500, error_type: 'internal_error', rule_id: null })
  t.notOk(requestLine(all, '/__admin/health'), 'the HEALTHCHECK probe does not flood the log')
  t.ok(all.some((l) => l.msg === 'internal error' && l.level === 50), 'errors are still logged')
})

t.test('loggerOptions: levels, redaction paths, pretty output on a terminal', async (t) => {
  t.equal(loggerOptions('silent'), false)
  const json = loggerOptions('info', false) as LoggerOpts
  t.equal(json.level, 'info')
  t.notOk('transport' in json, 'JSON lines when stdout is not a terminal')
  t.same(json.redact, { paths: REDACT_PATHS, censor: '[redacted]' })
  t.ok(REDACT_PATHS.includes('err.headers.authorization') && REDACT_PATHS.includes('headers.authorization'))
  t.notOk(REDACT_PATHS.some((p) => p.includes('*')), 'no wildcard: named paths cost a few reads per line')
  const pretty = loggerOptions('debug', true) as LoggerOpts
  t.match(pretty.transport, { target: 'pino-pretty' }, 'pino-pretty on a terminal')
  const byDefault = loggerOptions('warn') as LoggerOpts
  t.equal('transport' in byDefault, process.stdout.isTTY === true, 'the default follows stdout.isTTY')
})

t.test('createLogger: none when silent, JSON lines through a line buffer, pino-pretty on a terminal', async (t) => {
  t.equal(createLogger('silent'), undefined)
  const json = createLogger('info', false)!
  t.equal(json.logger.level, 'info')
  t.ok(json.lines, 'JSON lines go through the line buffer')
  const pretty = createLogger('debug', true)!
  t.equal(pretty.logger.level, 'debug')
  t.equal(pretty.lines, undefined, 'pino-pretty writes from its own worker')
})

// With AUTH (the suite's usual token), an ordinary request is logged without it as well.
t.test('a plain request with the usual token', async (t) => {
  const { app, text } = await logged(t, 'debug')
  const res = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: LIST })
  t.equal(res.statusCode, 200)
  t.notOk(text().includes(AUTH.authorization.slice('Bearer '.length)), 'the token is not in the log')
  t.ok(text().includes('"authorization":"[redacted]"'))
})

t.test('a fault rule and its error type are on the request line', async (t) => {
  const { app, lines } = await logged(t, 'info')
  const res = await app.inject({ method: 'POST', url: '/observability.sessions.list?x=1', headers: { ...AUTH, prefer: 'code=503' }, payload: LIST })
  t.equal(res.statusCode, 503)
  t.match(requestLine(lines(), '/observability.sessions.list'), { status: 503, error_type: 'service_unavailable', rule_id: 'prefer' })
})

t.test('a malformed request at trace: refused in DevRev\'s shape, its raw bytes never logged', async (t) => {
  const { app, text } = await logged(t, 'trace')
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /observability.sessions.list HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${SECRET}\r\nX-Api-Key: ${API_KEY}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`)
    })
    let out = ''
    socket.on('data', (d) => (out += d.toString()))
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
  t.match(raw, /^HTTP\/1\.1 400 /)
  t.match(raw, /\r\nConnection: close\r\n/i)
  t.same(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)), { type: 'bad_request', message: 'malformed HTTP request' })
  for (const secret of SECRETS) t.notOk(text().includes(secret), `no line holds ${secret}`)
  t.match(text(), /malformed request refused/)
})

/**
 * The request line is written as text where the logger has shown that it writes the very same
 * bytes; anywhere else (another logger, options that change the line) pino writes it. Either way a
 * reader sees the same line.
 */
import t from 'tap'
import fc from 'fast-check'
import { tracingChannel } from 'node:diagnostics_channel'
import { pino, multistream, type LoggerOptions } from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import { lineWriter, type RequestLine } from '../../src/http/plugins/request-log.ts'
import { loggerOptions } from '../../src/logging.ts'
import { buildTestApp, AUTH } from '../helpers/app.ts'

/** A pino logger with `opts` writing into an array of lines. */
function captured(opts: LoggerOptions = loggerOptions('info', false) as LoggerOptions) {
  const lines: string[] = []
  const log = pino(opts, { write: (s: string) => void lines.push(s) })
  return { log: log as unknown as FastifyBaseLogger, lines }
}

// Any text, and plain ASCII (written without a call to JSON.stringify).
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme-ascii', maxLength: 40 }))
const lineArb: fc.Arbitrary<RequestLine> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH'),
  path: text,
  status: fc.integer({ min: 100, max: 599 }),
  error_type: fc.option(text, { nil: null }),
  rule_id: fc.option(text, { nil: null }),
  // As the plugin rounds it (to thousandths), and any other number.
  ms: fc.oneof(
    fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => Math.round(x * 1000) / 1000),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  ),
})

t.test("the product's logger: each line byte for byte what pino writes for it", async (t) => {
  const { log, lines } = captured()
  const write = lineWriter(log)
  t.type(write, 'function')
  let n = 0
  fc.assert(
    fc.property(lineArb, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), (line, reqId) => {
      // A child per request, as Fastify makes one; both lines in the same millisecond or retried.
      const child = log.child({ reqId })
      for (let attempt = 0; attempt < 5; attempt++) {
        lines.length = 0
        write!(child, line)
        child.info(line, 'request')
        const [ours, theirs] = lines.map((l) => l.replace(/,"time":\d+/, ',"time":0'))
        if (lines[0]!.match(/"time":\d+/)![0] !== lines[1]!.match(/"time":\d+/)![0]) continue
        n++
        return ours === theirs
      }
      return true
    }),
    { seed: 424242, numRuns: 300 },
  )
  t.ok(n > 250, `${n} lines compared`)
})

t.test('a logger with another time function: the same line, that time', async (t) => {
  const { log, lines } = captured({ ...(loggerOptions('info', false) as LoggerOptions), timestamp: pino.stdTimeFunctions.isoTime })
  const write = lineWriter(log)
  t.type(write, 'function')
  const line: RequestLine = { method: 'GET', path: '/x', status: 200, error_type: null, rule_id: null, ms: 0.25 }
  write!(log, line)
  log.info(line, 'request')
  const [ours, theirs] = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  t.match(ours!.time, /^\d{4}-\d\d-\d\dT/)
  t.same({ ...ours, time: 0 }, { ...theirs, time: 0 })
})

t.test('a logger that is not pino gets the request line through its own info()', async (t) => {
  const calls: Array<[unknown, string]> = []
  const noop = () => {}
  const logger = {
    level: 'info',
    info: (obj: unknown, msg: string) => void calls.push([obj, msg]),
    error: noop, debug: noop, fatal: noop, warn: noop, trace: noop, silent: noop,
    child() {
      return logger
    },
  }
  const app = await buildTestApp({ loggerInstance: logger as unknown as FastifyBaseLogger })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/observability.sessions.get?version_key=nope&platform=web&session_id=x', headers: AUTH })
  t.equal(res.statusCode, 404)
  const line = calls.find(([, msg]) => msg === 'request')?.[0]
  t.match(line, { method: 'GET', path: '/observability.sessions.get', status: 404, error_type: 'not_found' })
})

t.test('loggers that would write the line otherwise go through pino', async (t) => {
  const base = loggerOptions('info', false) as LoggerOptions
  const cases: [string, FastifyBaseLogger][] = [
    ['a mixin', captured({ ...base, mixin: () => ({ extra: 1 }) }).log],
    ['a message prefix', captured({ ...base, msgPrefix: '[mock] ' }).log],
    ['a stream write hook', captured({ ...base, hooks: { streamWrite: (s) => s } }).log],
    ['a log formatter', captured({ ...base, formatters: { log: (o) => ({ ...o, seen: true }) } }).log],
    ['another message key', captured({ ...base, messageKey: 'message' }).log],
    ['only custom levels', captured({ customLevels: { note: 35 }, useOnlyCustomLevels: true, level: 'note' }).log],
    ['a stream that wants metadata', pino(base, multistream([{ stream: { write: () => {} } }])) as unknown as FastifyBaseLogger],
  ]
  for (const [what, log] of cases) t.equal(lineWriter(log), undefined, what)
  const app = await buildTestApp()
  t.teardown(() => app.close())
  t.equal(lineWriter(app.log), undefined, "Fastify's stand-in when logging is off")
})

t.test('with a subscriber to pino\'s serializer trace, the line goes through pino and the subscriber sees it', async (t) => {
  const lines: string[] = []
  const app = await buildTestApp({
    logger: { ...(loggerOptions('info', false) as object), stream: { write: (s: string) => void lines.push(s) } } as never,
  })
  t.teardown(() => app.close())
  const traced: unknown[] = []
  const channel = tracingChannel('pino_asJson')
  const handlers = { start: (m: unknown) => void traced.push(m), end() {}, asyncStart() {}, asyncEnd() {}, error() {} }
  channel.subscribe(handlers)
  t.teardown(() => channel.unsubscribe(handlers))
  const res = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: { type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 1 } })
  t.equal(res.statusCode, 200)
  const line = lines.map((l) => JSON.parse(l) as { msg: string; path?: string }).find((l) => l.msg === 'request')
  t.equal(line?.path, '/observability.sessions.list')
  t.ok(traced.length > 0, 'the trace saw the line')
})

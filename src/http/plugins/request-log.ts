/**
 * One line per answered request at `info`: method, path, status, error type, fault rule and
 * duration, instead of Fastify's two lines (arrival and completion), which cost more than the rest
 * of the logging. At `debug` and `trace` the line also carries the request headers, redacted by the
 * logger's paths (src/logging.ts).
 */
import fp from 'fastify-plugin'
import { tracingChannel } from 'node:diagnostics_channel'
import { pino } from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import { jsonMillis, jsonString, jsonStringOrNull } from '../../core/json-text.ts'
import { pathOf } from '../url.ts'

/** Pino's level numbers; a logger turned off (Fastify's default) reads as silent. */
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }
const INFO = 30
const MSG = 'request'

/** The request line's fields, in the order they are written. */
export interface RequestLine {
  method: string
  path: string
  status: number
  error_type: string | null
  rule_id: string | null
  ms: number
}

const S = pino.symbols
/** `msgPrefix` (a child's prefix to every message) is kept under a symbol pino's types do not list. */
const MSG_PREFIX = (S as unknown as Record<string, symbol>).msgPrefixSym!
/** What pino keeps on a logger, read through its published symbols. */
interface PinoState {
  [S.lsCacheSym]: Record<number, string>
  [S.timeSym]: () => string
  [S.levelValSym]?: number
  [S.chindingsSym]: string
  [S.endSym]: string
  [S.streamSym]: { write(line: string): void; [S.needsMetadataGsym]?: boolean }
  [S.asJsonSym]: (obj: object, msg: string, level: number, time: string) => string
  [S.mixinSym]?: unknown
  [S.hooksSym]?: { streamWrite?: unknown }
}
/** Pino's own trace of its serializer: a subscriber must see every line go through it. */
const pinoTrace = tracingChannel('pino_asJson')

const MSG_JSON = `,"msg":${JSON.stringify(MSG)}`

const epochTime = pino.stdTimeFunctions.epochTime
let lastNow = -1
let lastTime = ''
/** The logger's time field; pino's default (epoch milliseconds) made again only when the millisecond changes. */
function timeText(log: PinoState): string {
  const time = log[S.timeSym]
  if (time !== epochTime) return time()
  const now = Date.now()
  if (now !== lastNow) {
    lastNow = now
    lastTime = `,"time":${now}`
  }
  return lastTime
}

/** The last path's JSON text: most requests ask for the path the one before asked for. */
let lastPath = ''
let lastPathJson = '""'
function pathJson(path: string): string {
  if (path !== lastPath) {
    lastPath = path
    lastPathJson = jsonString(path)
  }
  return lastPathJson
}

/** The whole line as text: the logger's level, the time, its bindings, the fields, the message (the order pino writes them in). */
function lineText(log: PinoState, time: string, l: RequestLine): string {
  return (
    log[S.lsCacheSym][INFO] + time + log[S.chindingsSym] +
    `,"method":${jsonString(l.method)},"path":${pathJson(l.path)},"status":${l.status}` +
    `,"error_type":${jsonStringOrNull(l.error_type)},"rule_id":${jsonStringOrNull(l.rule_id)},"ms":${jsonMillis(l.ms)}` +
    MSG_JSON + log[S.endSym]
  )
}

/**
 * The request line as `log.info(line, 'request')` would write it, or undefined where this logger
 * would write it differently (another pino version, formatters, a mixin, a stream that wants
 * metadata) or is not pino at all. Checked by asking the logger's own serializer for the same line.
 */
export function lineWriter(log: FastifyBaseLogger): ((child: FastifyBaseLogger, line: RequestLine) => void) | undefined {
  const p = log as unknown as Partial<PinoState>
  const stream = p[S.streamSym]
  const asJson = p[S.asJsonSym]
  const lsCache = p[S.lsCacheSym]
  if (typeof asJson !== 'function' || stream === undefined || lsCache === undefined || typeof lsCache[INFO] !== 'string') return undefined
  if (p[S.mixinSym] || (p as Record<symbol, unknown>)[MSG_PREFIX] !== undefined || p[S.hooksSym]?.streamWrite || stream[S.needsMetadataGsym] === true) return undefined
  const probe: RequestLine = { method: 'POST', path: '/p"\\\n\u00e9', status: 429, error_type: 'too_many_requests', rule_id: null, ms: 1.5 }
  const time = ',"time":0'
  // The very function that writes the lines is the one checked against pino's serializer.
  if (asJson.call(log, probe, MSG, INFO, time) !== lineText(p as PinoState, time, probe)) return undefined
  return (child, line) => {
    const c = child as unknown as PinoState
    c[S.streamSym].write(lineText(c, timeText(c), line))
  }
}

export default fp(
  async (app) => {
    // The line is built as text once the logger has shown that it writes the very same bytes: pino's
    // general serializer (a loop over keys, serializers and redaction per key) was a visible part of a request.
    const write = lineWriter(app.log)
    app.addHook('onResponse', (req, reply, done) => {
      const log = req.log
      // pino keeps the level's number; any other logger is asked for its level's name.
      const level = (log as unknown as PinoState)[S.levelValSym] ?? LEVELS[log.level] ?? Infinity
      if (level <= INFO) {
        const line: RequestLine & { headers?: Record<string, unknown> } = {
          method: req.method,
          path: pathOf(req.url),
          status: reply.statusCode,
          error_type: req.errorType,
          // Set only in the emulated endpoints' scope.
          rule_id: req.faultRuleId ?? null,
          ms: Math.round(reply.elapsedTime * 1000) / 1000,
        }
        if (level <= LEVELS.debug!) {
          line.headers = { ...req.headers }
          log.info(line, MSG)
        } else if (write !== undefined && !pinoTrace.hasSubscribers) write(log, line)
        else log.info(line, MSG)
      }
      done()
    })
  },
  { name: 'devrev-request-log', dependencies: ['devrev-errors'] },
)

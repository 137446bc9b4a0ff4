/**
 * The logger's options: JSON by default, readable (pino-pretty) on a terminal, with credentials
 * redacted from a line's `headers` and from those of the request, reply or error it logs.
 */
import type { FastifyServerOptions } from 'fastify'
import type { LogLevel } from './config/options.ts'
import { pino, type Logger, type LoggerOptions } from 'pino'
import { LineBuffer } from './log-destination.ts'

/** Credentials that never reach a log line. */
const SECRET_HEADERS = [
  'authorization',
  '["proxy-authorization"]',
  'cookie',
  '["set-cookie"]',
  '["x-admin-token"]',
  '["x-api-key"]',
]
/** Where a line can carry a `headers` object: at the top (a request line at debug) or on what it logs. */
const HEADER_OWNERS = ['', 'req.', 'res.', 'request.', 'response.', 'reply.', 'err.', 'error.']
/**
 * Every path spelled out: a wildcard (`*.headers`) makes the redactor walk each line's keys, which
 * cost more than the rest of a request line; named paths cost a few property reads.
 */
export const REDACT_PATHS = HEADER_OWNERS.flatMap((owner) =>
  SECRET_HEADERS.map((h) => `${owner}headers${h.startsWith('[') ? h : `.${h}`}`),
)

/**
 * Pino options: JSON by default, readable (pino-pretty) when stdout is a terminal. At debug and trace
 * the request lines carry the headers (http/plugins/request-log.ts); every credential header is
 * `[redacted]` in those and in the `headers` of what a line logs (an error's, say).
 */
export function loggerOptions(level: LogLevel, pretty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  }
}

/** The server's logger, and the buffer its JSON lines go through (none for pino-pretty). */
export interface ServerLogger {
  logger: Logger
  lines?: LineBuffer
}

/**
 * The logger the server runs with (undefined when silent): JSON lines to stdout through a LineBuffer
 * (call `lines.batch()` once listening), or pino-pretty, on a terminal, in its own worker.
 */
export function createLogger(level: LogLevel, pretty = process.stdout.isTTY === true): ServerLogger | undefined {
  const opts = loggerOptions(level, pretty) as LoggerOptions | false
  if (opts === false) return undefined
  if (pretty) return { logger: pino(opts) }
  const lines = new LineBuffer(1)
  return { logger: pino(opts, lines), lines }
}

/**
 * The logger's options: JSON by default, readable (pino-pretty) on a terminal, with credentials
 * redacted wherever a `headers` object turns up.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import type { LogLevel } from './config/options.js'

/** Credentials that never reach a log line, wherever a `headers` object turns up (top level or one down). */
const SECRET_HEADERS = ['authorization', 'cookie', '["x-admin-token"]']
export const REDACT_PATHS = SECRET_HEADERS.flatMap((h) => {
  const key = h.startsWith('[') ? h : `.${h}`
  return [`headers${key}`, `*.headers${key}`]
})

/** Fastify's request serializer, plus the headers (redacted by REDACT_PATHS) at debug and trace. */
function reqWithHeaders(req: FastifyRequest) {
  return {
    method: req.method,
    url: req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket.remotePort,
    headers: { ...req.headers },
  }
}

/**
 * Pino options: JSON by default, readable (pino-pretty) when stdout is a terminal. At debug and trace
 * the request lines carry the headers; `Authorization`, `Cookie` and `X-Admin-Token` are
 * `[redacted]` in those and in any other `headers` a line carries (an error's, say).
 */
export function loggerOptions(level: LogLevel, pretty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(level === 'debug' || level === 'trace' ? { serializers: { req: reqWithHeaders } } : {}),
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  }
}

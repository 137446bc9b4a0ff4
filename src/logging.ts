/**
 * The logger's options: JSON by default, readable (pino-pretty) on a terminal, with credentials
 * redacted wherever a `headers` object turns up.
 */
import type { FastifyServerOptions } from 'fastify'
import type { LogLevel } from './config/options.js'

/** Credentials that never reach a log line, wherever a `headers` object turns up (top level or one down). */
const SECRET_HEADERS = [
  'authorization',
  '["proxy-authorization"]',
  'cookie',
  '["set-cookie"]',
  '["x-admin-token"]',
  '["x-api-key"]',
]
export const REDACT_PATHS = SECRET_HEADERS.flatMap((h) => {
  const key = h.startsWith('[') ? h : `.${h}`
  return [`headers${key}`, `*.headers${key}`]
})

/**
 * Pino options: JSON by default, readable (pino-pretty) when stdout is a terminal. At debug and trace
 * the request lines carry the headers (http/plugins/request-log.ts); every credential header is
 * `[redacted]` in those and in any other `headers` a line carries (an error's, say).
 */
export function loggerOptions(level: LogLevel, pretty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  }
}

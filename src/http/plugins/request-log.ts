/**
 * One line per answered request at `info`: method, path, status, error type, fault rule and
 * duration, instead of Fastify's two lines (arrival and completion), which cost more than the rest
 * of the logging. At `debug` and `trace` the line also carries the request headers, redacted by the
 * logger's paths (src/logging.ts).
 */
import fp from 'fastify-plugin'

/** Pino's level numbers; a logger turned off (Fastify's default) reads as silent. */
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }

export default fp(
  async (app) => {
    app.addHook('onResponse', (req, reply, done) => {
      const log = req.log
      const level = LEVELS[log.level] ?? Infinity
      if (level <= LEVELS.info!) {
        const q = req.url.indexOf('?')
        const line: Record<string, unknown> = {
          method: req.method,
          path: q === -1 ? req.url : req.url.slice(0, q),
          status: reply.statusCode,
          error_type: req.errorType,
          // Set only in the emulated endpoints' scope.
          rule_id: req.faultRuleId ?? null,
          ms: Math.round(reply.elapsedTime * 1000) / 1000,
        }
        if (level <= LEVELS.debug!) line.headers = { ...req.headers }
        log.info(line, 'request')
      }
      done()
    })
  },
  { name: 'devrev-request-log', dependencies: ['devrev-errors'] },
)

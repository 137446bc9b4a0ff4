/**
 * The rate limiter on the emulated endpoints: `preValidation` counts the request against its token's
 * window (a request a fault rule answered is not counted) and answers 429 over the limit; `onSend`
 * puts the `X-RateLimit-*` headers on every answer while the limiter is on.
 */
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'
import { DevRevError } from '../../contract/catalogue.ts'
import type { RateLimitVerdict } from '../../core/limiter.ts'

function setRateHeaders(reply: FastifyReply, v: RateLimitVerdict): void {
  reply.header('x-ratelimit-limit', String(v.limit))
  reply.header('x-ratelimit-remaining', String(v.remaining))
  reply.header('x-ratelimit-reset', String(v.reset))
}

const describeWindow = (ms: number) =>
  ms % 60_000 === 0 ? `${ms / 60_000} min` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`

export default fp(
  async (app) => {
    const core = app.mock
    app.addHook('preValidation', (req, reply, done) => {
      const config = core.limiter.config
      if (config === undefined || req.faultRuleId !== null) return done()
      const verdict = core.limiter.hit(req.token, core.clock.now())!
      setRateHeaders(reply, verdict)
      if (verdict.allowed) return done()
      const message = `rate limit exceeded: ${config.limit} requests per ${describeWindow(config.windowMs)} for this token; retry in ${verdict.retryAfter} s`
      done(new DevRevError('too_many_requests', { retry_after: verdict.retryAfter }, { message }))
    })

    app.addHook('onSend', (req, reply, payload, done) => {
      // Not for a request answered before it reached this scope (an extra plugin's early reply).
      if (req.arrival !== null && core.limiter.config !== undefined && !reply.hasHeader('x-ratelimit-limit')) {
        setRateHeaders(reply, core.limiter.peek(req.token, core.clock.now())!)
      }
      done(null, payload)
    })
  },
  { name: 'devrev-rate-limit', dependencies: ['devrev-mock', 'devrev-errors', 'devrev-journal', 'devrev-fault-rules'] },
)

/**
 * Fault rules, the rate limiter and the journal on the emulated endpoints (registered in their scope
 * in app.ts, before authentication).
 *
 * Per request: `onRequest` notes when it arrived (virtual clock) and whether its token came back
 * before its `Retry-After`; `preValidation` asks, in order, the `Prefer` header, the run-time rules,
 * the start-up rules (core/faults/engine.ts), then the rate limiter; `onSend` puts the
 * `X-RateLimit-*` headers on every answer while the limiter is on and cuts a `malformed_json` body
 * short; `onResponse` writes the journal entry.
 */
import fp from 'fastify-plugin'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DevRevError } from '../../contract/catalogue.js'
import type { Decision, FaultRequest } from '../../core/faults/engine.js'
import { preferRule, type PreferRule } from '../../core/faults/prefer.js'
import { answerOf } from '../../core/faults/rules.js'
import { tokenHash } from '../../core/journal.js'
import type { RateLimitVerdict } from '../../core/limiter.js'
import type { FaultEndpoint, NetworkFault } from '../../contract/schemas/faults.js'
import { sendDevRevError } from './errors.js'

/** What the journal needs to know of a request, gathered along its way. */
export interface RequestTrace {
  /** performance.now() at arrival, for `duration_ms`. */
  start: number
  /** Virtual clock at arrival (epoch ms). */
  receivedAt: number
  tokenKey: string | null
  early: boolean
  ruleId: string | null
  fault: NetworkFault | null
  errorType: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    mockTrace: RequestTrace | null
  }
}

/** The emulated routes a rule's `match.endpoint` names. */
const ENDPOINTS: Readonly<Record<string, FaultEndpoint>> = {
  '/observability.sessions.list': 'sessions.list',
  '/observability.sessions.get': 'sessions.get',
}

function faultRequest(req: FastifyRequest): FaultRequest {
  const endpoint = ENDPOINTS[req.routeOptions.url!]
  const bodyIsQuery = req.body === undefined
  return {
    endpoint,
    method: req.method,
    token: req.token,
    body: bodyIsQuery ? req.query : req.body,
    bodyIsQuery,
    headers: req.headers,
  }
}

function setRateHeaders(reply: FastifyReply, v: RateLimitVerdict): void {
  reply.header('x-ratelimit-limit', String(v.limit))
  reply.header('x-ratelimit-remaining', String(v.remaining))
  reply.header('x-ratelimit-reset', String(v.reset))
}

/** The `type` of a DevRev error body (JSON text or its UTF-8 bytes). */
function errorTypeIn(payload: unknown): string | null {
  try {
    return String((JSON.parse(String(payload)) as { type: unknown }).type)
    /* c8 ignore next 3 -- error answers are always DevRev's JSON bodies; anything else is just not typed */
  } catch {
    return null
  }
}

/** The first half of a JSON answer: a proper prefix of a JSON object is never valid JSON. */
function cutShort(payload: unknown): unknown {
  if (typeof payload === 'string') return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)))
  /* c8 ignore start -- every emulated answer is JSON text or bytes (sendJson); a stream would pass untouched */
  if (!Buffer.isBuffer(payload)) return payload
  /* c8 ignore stop */
  return payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)))
}

const describeWindow = (ms: number) =>
  ms % 60_000 === 0 ? `${ms / 60_000} min` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`

export default fp(
  async (app) => {
    const core = app.mock
    app.decorateRequest('mockTrace', null)
    // A closing server cuts pending delays short, so in-flight requests finish at once (SPEC §7: out within 1 s).
    const closing = new AbortController()
    app.addHook('preClose', async () => closing.abort())

    const record = (req: FastifyRequest, trace: RequestTrace, status: number | null) => {
      core.journal.push({
        method: req.method,
        url: req.url,
        status,
        errorType: trace.errorType,
        ruleId: trace.ruleId,
        fault: trace.fault,
        tokenHash: trace.tokenKey,
        receivedAt: trace.receivedAt,
        durationMs: performance.now() - trace.start,
        early: trace.early,
      })
    }

    /** No HTTP answer at all: a TCP reset, or a clean close before any byte (an empty reply). */
    const cutConnection = (req: FastifyRequest, reply: FastifyReply, fault: NetworkFault) => {
      reply.hijack()
      const socket = req.raw.socket as Partial<Socket>
      if (typeof socket.resetAndDestroy !== 'function') reply.raw.destroy() // inject(): no real socket
      else if (fault === 'connection_reset') socket.resetAndDestroy()
      else socket.end!()
    }

    /**
     * A rule (or the Prefer header) decided: wait its delay, then answer its error, cut the
     * connection, or let the request go on (to be cut short in onSend). Resolves to whether the
     * request goes on; like every rule that answers, it skips the limiter.
     */
    const apply = async (req: FastifyRequest, reply: FastifyReply, decision: Decision, prefer: PreferRule | undefined) => {
      const trace = req.mockTrace!
      trace.ruleId = decision.id
      if (prefer !== undefined) reply.header('preference-applied', prefer.applied) // the header always wins
      const answer = answerOf(decision.rule)
      if (answer.delayMs > 0) await sleep(answer.delayMs, undefined, { signal: closing.signal }).catch(() => {})
      if (answer.kind === 'error') {
        trace.errorType = answer.error.type
        sendDevRevError(reply, answer.error)
        return false
      }
      if (answer.kind === 'network') {
        trace.fault = answer.fault
        // The normal answer, cut short in onSend.
        if (answer.fault === 'malformed_json') return true
        cutConnection(req, reply, answer.fault)
        record(req, trace, null)
        return false
      }
      return true
    }

    // Hooks in callback style (no promise, no microtask per hook and request); a hook that answers
    // does not call `done`.
    app.addHook('onRequest', (req, _reply, done) => {
      const now = core.clock.now()
      const tokenKey = tokenHash(req.token)
      req.mockTrace = {
        start: performance.now(),
        receivedAt: now,
        tokenKey,
        early: core.retries.isEarly(tokenKey ?? '', now),
        ruleId: null,
        fault: null,
        errorType: null,
      }
      done()
    })

    app.addHook('preValidation', (req, reply, done) => {
      const prefer = preferRule(req.headers.prefer)
      // No rule and no Prefer header (the usual case): nothing to ask, no request description to build.
      const decision = prefer === undefined && core.faults.size === 0 ? undefined : core.faults.decide(faultRequest(req), prefer?.rule)
      if (decision !== undefined) {
        apply(req, reply, decision, prefer).then((goOn) => goOn && done(), done)
        return
      }
      if (core.limiter.config === undefined) return done()
      const verdict = core.limiter.hit(req.token, core.clock.now())!
      setRateHeaders(reply, verdict)
      if (verdict.allowed) return done()
      const { limit, windowMs } = core.limiter.config!
      done(
        new DevRevError(
          'too_many_requests',
          { retry_after: verdict.retryAfter },
          {
            message: `rate limit exceeded: ${limit} requests per ${describeWindow(windowMs)} for this token; retry in ${verdict.retryAfter} s`,
            headers: { 'retry-after': String(verdict.retryAfter) },
          },
        ),
      )
    })

    app.addHook('onSend', (req, reply, payload, done) => {
      const trace = req.mockTrace
      // Answered before this plugin's onRequest ran (an extra plugin's early reply): nothing to add.
      if (trace === null) return done(null, payload)
      if (core.limiter.config !== undefined && !reply.hasHeader('x-ratelimit-limit')) {
        setRateHeaders(reply, core.limiter.peek(req.token, core.clock.now())!)
      }
      if (trace.errorType === null && reply.statusCode >= 400) trace.errorType = errorTypeIn(payload)
      done(null, trace.fault === 'malformed_json' ? cutShort(payload) : payload)
    })

    app.addHook('onResponse', (req, reply, done) => {
      const trace = req.mockTrace
      if (trace !== null) {
        // Every 429 carries Retry-After (the limiter's and fault rules' alike).
        if (reply.statusCode === 429) core.retries.told(trace.tokenKey ?? '', core.clock.now(), Number(reply.getHeader('retry-after')))
        record(req, trace, reply.statusCode)
      }
      done()
    })
  },
  { name: 'devrev-faults', dependencies: ['devrev-mock', 'devrev-errors'] },
)

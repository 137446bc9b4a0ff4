/**
 * Fault rules on the emulated endpoints. `preValidation` asks, in order, the `Prefer` header, the
 * run-time rules and the start-up rules (core/faults/engine.ts); the rule that answers waits its
 * delay, then sends its error, cuts the connection, or lets the request go on (a `malformed_json`
 * answer is cut short in `onSend`).
 */
import fp from 'fastify-plugin'
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Decision, FaultRequest } from '../../core/faults/engine.ts'
import type { FaultEndpoint, NetworkFault } from '../../contract/schemas/faults.ts'
import { preferRule, type PreferRule } from '../prefer.ts'
import { headerLookup } from '../headers.ts'
import { sendDevRevError } from './errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The fault rule that answered this request (`prefer` for the header); null for none. */
    faultRuleId: string | null
    /** The network fault it answered with; null for none. */
    networkFault: NetworkFault | null
  }
}

/** The emulated routes a rule's `match.endpoint` names. */
const ENDPOINTS: Readonly<Record<string, FaultEndpoint>> = {
  '/observability.sessions.list': 'sessions.list',
  '/observability.sessions.get': 'sessions.get',
  '/observability.sessions.data.get': 'sessions.data.get',
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
    header: headerLookup(req.headers),
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

/** No HTTP answer at all: a TCP reset, or a clean close before any byte (an empty reply). */
function cutConnection(req: FastifyRequest, reply: FastifyReply, fault: NetworkFault): void {
  reply.hijack()
  const socket = req.raw.socket as Partial<Socket>
  if (typeof socket.resetAndDestroy !== 'function') reply.raw.destroy() // inject(): no real socket
  else if (fault === 'connection_reset') socket.resetAndDestroy()
  else socket.end!()
}

export default fp(
  async (app) => {
    const core = app.mock
    app.decorateRequest('faultRuleId', null)
    app.decorateRequest('networkFault', null)
    // A closing server cuts pending delays short, so in-flight requests finish at once.
    const closing = new AbortController()
    app.addHook('preClose', async () => closing.abort())

    /** Carries out a decision; resolves to whether the request goes on to its handler. */
    const apply = async (req: FastifyRequest, reply: FastifyReply, decision: Decision, prefer: PreferRule | undefined) => {
      req.faultRuleId = decision.id
      if (prefer !== undefined) reply.header('preference-applied', prefer.applied) // the header always wins
      const { answer } = decision
      if (answer.delayMs > 0) await sleep(answer.delayMs, undefined, { signal: closing.signal }).catch(() => {})
      if (answer.kind === 'error') {
        sendDevRevError(reply, answer.error)
        return false
      }
      if (answer.kind === 'network') {
        req.networkFault = answer.fault
        // The normal answer, cut short in onSend.
        if (answer.fault === 'malformed_json') return true
        cutConnection(req, reply, answer.fault)
        app.journalRequest(req, null)
        return false
      }
      return true
    }

    app.addHook('preValidation', (req, reply, done) => {
      const prefer = preferRule(req.headers.prefer)
      // No rule and no Prefer header (the usual case): nothing to ask, no request description to build.
      if (prefer === undefined && core.faults.size === 0) return done()
      const decision = core.faults.decide(faultRequest(req), prefer?.rule)
      if (decision === undefined) return done()
      // A hook that answers does not call `done`.
      apply(req, reply, decision, prefer).then((goOn) => goOn && done(), done)
    })

    app.addHook('onSend', (req, _reply, payload, done) => {
      done(null, req.networkFault === 'malformed_json' ? cutShort(payload) : payload)
    })
  },
  { name: 'devrev-fault-rules', dependencies: ['devrev-mock', 'devrev-errors', 'devrev-journal'] },
)

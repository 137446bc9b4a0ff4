/**
 * The request journal and the retry memory on the emulated endpoints. `onRequest` notes when a
 * request arrived (virtual clock) and whether its token came back before its `Retry-After`;
 * `onResponse` writes the journal entry from what the other plugins noted on the request (the
 * error sender: error type and `Retry-After`; the fault rules: rule id and network fault).
 */
import fp from 'fastify-plugin'
import { performance } from 'node:perf_hooks'
import type { FastifyRequest } from 'fastify'
import { blankRecord, tokenHash } from '../../core/journal.ts'
import { pathOf } from '../url.ts'

/** What the journal needs to know of a request from its arrival. */
export interface Arrival {
  /** performance.now() at arrival, for `duration_ms`. */
  start: number
  /** Virtual clock at arrival (epoch ms). */
  receivedAt: number
  tokenKey: string | null
  early: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes the journal entry of a request; `status` null when no HTTP answer was sent. */
    journalRequest(req: FastifyRequest, status: number | null): void
  }
  interface FastifyRequest {
    /** Set on arrival in the emulated scope; null for a request answered before it (an extra plugin's early reply). */
    arrival: Arrival | null
    /** Answered by the upstream through `--proxy`, not by the mock. */
    fromUpstream: boolean
  }
}

let lastPath = ''

export interface JournalOptions {
  /** The mock forwards to an upstream: each entry says who answered (`source`). */
  proxy?: boolean
}

export default fp<JournalOptions>(
  async (app, opts) => {
    const core = app.mock
    const proxied = opts.proxy === true
    app.decorateRequest('arrival', null)
    app.decorateRequest('fromUpstream', false)
    app.decorate('journalRequest', (req: FastifyRequest, status: number | null) => {
      const arrival = req.arrival!
      // Filled in place: the record a thousand requests ago is reused, none is made per request.
      const r = core.journal.recycle() ?? blankRecord()
      const path = pathOf(req.url)
      // The same path as last time keeps the string already kept, not this request's copy of it.
      r.path = path === lastPath ? lastPath : (lastPath = path)
      r.method = req.method
      r.status = status
      r.errorType = req.errorType
      r.ruleId = req.faultRuleId
      r.fault = req.networkFault
      r.tokenHash = arrival.tokenKey
      r.receivedAt = arrival.receivedAt
      r.durationMs = performance.now() - arrival.start
      r.early = arrival.early
      r.retryAfter = req.retryAfter
      r.source = proxied ? (req.fromUpstream ? 'upstream' : 'mock') : undefined
      core.journal.push(r)
    })

    // Hooks in callback style: no promise and no microtask per request.
    app.addHook('onRequest', (req, _reply, done) => {
      const now = core.clock.now()
      const tokenKey = tokenHash(req.token)
      req.arrival = { start: performance.now(), receivedAt: now, tokenKey, early: core.retries.isEarly(tokenKey ?? '', now) }
      done()
    })

    app.addHook('onResponse', (req, reply, done) => {
      if (req.arrival !== null) {
        // Counted from the request's arrival: a client that waits Retry-After after the answer is never early.
        if (req.retryAfter !== null) core.retries.told(req.arrival.tokenKey ?? '', req.arrival.receivedAt, req.retryAfter)
        app.journalRequest(req, reply.statusCode)
      }
      done()
    })
  },
  { name: 'devrev-journal', dependencies: ['devrev-mock', 'devrev-errors'] },
)

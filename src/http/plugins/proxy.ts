/**
 * `--proxy URL`: the emulated endpoints forward each request to the upstream with the caller's
 * token, after the mock's own fault rules, `Prefer`, rate limiter and token check have had their say,
 * and send its answer back as it came (status, body bytes, content type, `Retry-After`, rate-limit
 * headers). What the upstream answered is marked on the request, for the journal. An upstream that
 * cannot be reached is a 503 `service_unavailable` of the mock's own.
 */
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DevRevError } from '../../contract/catalogue.ts'
import { sendDevRevError } from './errors.ts'

/** A 200 answer that passed through: the endpoint (`observability.sessions.list`, ...), the request and the body. */
export type PassedThrough = (endpoint: string, request: Record<string, unknown>, body: string) => void

export interface ProxyOptions {
  upstream: string
  onPassed?: PassedThrough
}

const PASSED_HEADERS = ['content-type', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']

export default fp<ProxyOptions>(
  async (app, opts) => {
    const base = opts.upstream.replace(/\/+$/, '')
    // After faults, the limiter and auth (registered before): an answer of theirs never reaches the upstream.
    app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
      const endpoint = req.routeOptions.url!.slice(1)
      let res: Response
      let body: Buffer
      try {
        res = await fetch(`${base}${req.url}`, {
          method: req.method,
          headers: {
            // The token check before this hook refused a request without one.
            authorization: req.headers.authorization!,
            ...(req.method === 'POST' ? { 'content-type': 'application/json' } : {}),
            accept: 'application/json',
          },
          ...(req.method === 'POST' ? { body: JSON.stringify(req.body) } : {}),
        })
        body = Buffer.from(await res.arrayBuffer())
      } catch (e) {
        // fetch reports a network failure as a TypeError whose cause says what failed.
        sendDevRevError(reply, new DevRevError('service_unavailable', {}, { message: `the upstream ${base} cannot be reached: ${String((e as Error).cause)}` }))
        return reply
      }
      req.fromUpstream = true
      for (const h of PASSED_HEADERS) {
        const v = res.headers.get(h)
        if (v !== null) reply.header(h, v)
      }
      reply.code(res.status).send(body)
      if (res.status === 200 && opts.onPassed) {
        const request = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>
        opts.onPassed(endpoint, request, body.toString('utf8'))
      }
      return reply
    })
  },
  { name: 'devrev-proxy', dependencies: ['devrev-mock', 'devrev-errors', 'devrev-journal'] },
)

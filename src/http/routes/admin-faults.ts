/**
 * Admin routes for fault rules and the rate limiter (registered inside routes/admin.ts, so the
 * `--admin-token` guard applies): `/__admin/faults` (list, add, clear, remove one) and
 * `/__admin/rate-limit` (read, set, turn off).
 */
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DevRevError } from '../../contract/catalogue.ts'
import { parseRules } from '../../core/faults/rules.ts'
import {
  FaultAdded,
  FaultIdParams,
  FaultList,
  RateLimitBody,
  RateLimitState,
  NoContent,
} from '../../contract/schemas/admin.ts'
import { FaultRule } from '../../contract/schemas/faults.ts'
import { DEFAULTS } from '../../core/defaults.ts'
import { sendJson } from '../reply.ts'

const tags = ['admin']

/** The fault-rule body is checked by the rule parser itself (the one all three surfaces share). */
const checkedByParser = () => (data: unknown) => ({ value: data })

const adminFaultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const core = app.mock

  app.get(
    '/faults',
    { schema: { summary: 'Every stored fault rule, in precedence order, with its counters', tags, response: { 200: FaultList } } },
    async (_req, reply) => sendJson(reply, JSON.stringify({ faults: core.faults.list() })),
  )

  app.post(
    '/faults',
    {
      schema: {
        summary: 'Add a fault rule (or an array of rules): all valid, or none added',
        tags,
        body: Type.Union([FaultRule, Type.Array(FaultRule)]),
        response: { 201: FaultAdded },
      },
      validatorCompiler: checkedByParser,
    },
    async (req, reply) => {
      const rules = parseRules(req.body)
      const ids = core.faults.add(rules)
      return reply.code(201).send(Array.isArray(req.body) ? { ids } : { id: ids[0]! })
    },
  )

  app.delete(
    '/faults',
    { schema: { summary: 'Remove every rule, start-up rules included (reset brings those back)', tags, response: { 204: NoContent } } },
    async (_req, reply) => {
      core.faults.clear()
      return reply.code(204).send(null)
    },
  )

  app.delete(
    '/faults/:id',
    { schema: { summary: 'Remove one rule', tags, params: FaultIdParams, response: { 204: NoContent } } },
    async (req, reply) => {
      if (!core.faults.remove(req.params.id)) {
        throw new DevRevError('not_found', {}, { message: `no fault rule with id ${req.params.id}` })
      }
      return reply.code(204).send(null)
    },
  )

  const rateLimitState = () => {
    const c = core.limiter.config
    return c === undefined ? { enabled: false } : { enabled: true, limit: c.limit, window_ms: c.windowMs }
  }

  app.get(
    '/rate-limit',
    { schema: { summary: 'The rate limiter setting', tags, response: { 200: RateLimitState } } },
    async () => rateLimitState(),
  )

  app.put(
    '/rate-limit',
    {
      schema: {
        summary: 'Turn the rate limiter on (or change it); every count starts afresh',
        tags,
        body: RateLimitBody,
        response: { 200: RateLimitState },
      },
    },
    async (req) => {
      core.limiter.set({ limit: req.body.limit, windowMs: req.body.window_ms ?? DEFAULTS.rateLimitWindowMs })
      return rateLimitState()
    },
  )

  app.delete(
    '/rate-limit',
    { schema: { summary: 'Turn the rate limiter off', tags, response: { 204: NoContent } } },
    async (_req, reply) => {
      core.limiter.set(undefined)
      return reply.code(204).send(null)
    },
  )
}

export default adminFaultRoutes

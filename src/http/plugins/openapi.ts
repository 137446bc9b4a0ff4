/**
 * Self-description. `openapiDocument` (root, before any route) has @fastify/swagger collect every
 * route's TypeBox schemas into an OpenAPI 3 document: the emulated endpoints (with the error
 * responses DevRev documents for them, which the routes themselves never serialize) and the admin
 * API. `openapiAdminRoutes` is registered inside the admin scope, so `--admin-token` guards it like
 * every admin call: `GET /__admin/openapi.json` returns the document, and
 * `/__admin/docs` is an API reference page (@fastify/swagger-ui, its assets served from the
 * package itself: no CDN, works offline). With an admin token, a browser must send
 * `Authorization: Bearer <token>` for the page, its assets and the document alike.
 */
import fp from 'fastify-plugin'
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyPluginAsync } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import { errorBodyForStatus } from '../../contract/schemas/errors.ts'
import { CANONICAL_TYPE_BY_STATUS, ERROR_CATALOGUE } from '../../contract/catalogue.ts'
import { sendJson } from '../reply.ts'
import { addLiveExamples } from '../openapi-examples.ts'
import type { CorpusStore } from '../../core/corpus/store.ts'
import type { SessionRecord } from '../../core/corpus/record.ts'

/** The first mobile and the first web session, the examples' source (no walk over the corpus). */
const storeSamples = (store: CorpusStore): SessionRecord[] =>
  [store.sample('mobile'), store.sample('web')].filter((r): r is SessionRecord => r !== undefined)

/** Where the page lives, relative to the admin prefix. */
export const DOCS_PREFIX = '/docs'

/** The error statuses DevRev documents for every observability operation (the contract's list, the same for each). */
export const EMULATED_ERROR_STATUSES = [400, 401, 403, 413, 429, 500, 503] as const

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** One documented error response: DevRev's flat body for the status; 429 with its Retry-After header. */
export function errorResponse(status: number): TSchema {
  const body: TSchema = { ...errorBodyForStatus(status), description: `${status} ${STATUS_TEXT[status]}.` }
  if (status !== 429) return body
  return {
    ...body,
    headers: { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying; equals `retry_after`.' } },
  }
}

type Transform = NonNullable<FastifyDynamicSwaggerOptions['transform']>

/** Adds the documented error responses and the security requirement to each route's entry. */
export const transform: Transform = ({ schema, url }) => {
  const emulated = url.startsWith('/observability.')
  const statuses: number[] = emulated ? [...EMULATED_ERROR_STATUSES] : [401]
  // `.get` and `.data.get` answer 404 not_found for an unknown session (DevRev does not list it).
  if (url === '/observability.sessions.get' || url === '/observability.sessions.data.get') statuses.push(404)
  const route = { ...schema } // (a route may have no schema at all: spreading undefined is fine)
  // The route's own responses win over the documented error responses.
  const response = { ...Object.fromEntries(statuses.map((s) => [s, errorResponse(s)])), ...(route.response as object) }
  return { url, schema: { ...route, response, security: [{ [emulated ? 'devrevToken' : 'adminToken']: [] }] } }
}

export const openapiDocument = fp<{ version: string }>(
  async (app, opts) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'devrev-observability-mock',
          version: opts.version,
          description:
            "A local mock of DevRev's `observability.sessions.*` API (emulated endpoints, tag `observability`) " +
            'and its own admin API under `/__admin` (tag `admin`). Error bodies are DevRev\'s flat shape; ' +
            `the canonical type per status is ${Object.entries(CANONICAL_TYPE_BY_STATUS)
              .map(([s, t]) => `${s} \`${t}\``)
              .join(', ')}. Documented error types: ${Object.keys(ERROR_CATALOGUE).length}.`,
        },
        tags: [
          { name: 'observability', description: "DevRev's endpoints, as the official SDK calls them" },
          { name: 'admin', description: 'The mock itself: faults, clock, journal, corpus, reset' },
        ],
        components: {
          securitySchemes: {
            devrevToken: {
              type: 'http',
              scheme: 'bearer',
              description: '`Authorization: Bearer <token>` or the raw token (as the SDK sends it); any non-empty token unless --token is set.',
            },
            adminToken: {
              type: 'http',
              scheme: 'bearer',
              description: 'Needed only when the mock runs with --admin-token.',
            },
          },
        },
      },
      transform,
    })
  },
  { name: 'devrev-openapi' },
)

/** Inside the admin scope: the document as JSON, and the reference page. */
export const openapiAdminRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/openapi.json',
    { schema: { summary: "The mock's own OpenAPI document, generated from its TypeBox schemas", tags: ['admin'] } },
    async (_req, reply) => sendJson(reply, JSON.stringify(addLiveExamples(structuredClone(app.swagger()), storeSamples(app.mock.store)))),
  )
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // Examples from the corpus served right now (it may have been replaced), on a copy of the document.
    transformSpecification: (spec) => addLiveExamples(spec, storeSamples(app.mock.store)),
    transformSpecificationClone: true,
    // The page links its assets by absolute path: it must know the admin prefix it lives under.
    indexPrefix: app.prefix,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  })
}

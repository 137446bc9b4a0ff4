/**
 * The app builder: a Fastify instance with the emulated endpoints and the admin API, ready for
 * `inject()` or `listen()`. It never listens itself (see server.ts).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { MockCore, type MockCoreOptions } from './core/mock.ts'
import { DEFAULTS } from './core/defaults.ts'
import { parseRuleList, type FaultRule } from './core/faults/rules.ts'
import mockPlugin from './http/plugins/mock.ts'
import errorsPlugin, { sendDevRevError, translate } from './http/plugins/errors.ts'
import { openapiDocument } from './http/plugins/openapi.ts'
import journalPlugin from './http/plugins/journal.ts'
import requestLogPlugin from './http/plugins/request-log.ts'
import { clientErrorHandler } from './http/client-error.ts'
import faultRulesPlugin from './http/plugins/fault-rules.ts'
import rateLimitPlugin from './http/plugins/rate-limit.ts'
import authPlugin from './http/plugins/auth.ts'
import proxyPlugin, { type ProxyOptions } from './http/plugins/proxy.ts'
import sessionRoutes from './http/routes/sessions.ts'
import adminRoutes from './http/routes/admin.ts'
import dataRoutes from './http/routes/data.ts'
import replayRoutes from './http/routes/replays.ts'
import { validatorCompiler } from './http/validation.ts'
import type { TlsMaterial } from './core/certificates.ts'
import { parseJsonBody } from './http/json-body.ts'
import { VERSION } from './version.ts'

export { DEFAULTS }

/** The core's options (every one optional: DEFAULTS fill the gaps), plus what only HTTP needs. */
export interface AppOptions extends Partial<Omit<MockCoreOptions, 'faults' | 'version' | 'realNow'>> {
  maxBodyBytes?: number
  adminToken?: string
  /** Start-up fault rules, validated here; a bad one throws a FaultRuleError. */
  faults?: readonly unknown[]
  logger?: FastifyServerOptions['logger']
  /** A logger already made (the server's, which logged the fixtures' loading); wins over `logger`. */
  loggerInstance?: FastifyBaseLogger
  /** Serve HTTPS with this certificate and key; `ca` (the CA the mock made) is served at /__admin/tls/ca.pem. */
  tls?: TlsMaterial
  /**
   * Extra plugins, registered at the root before any route (so their hooks see every response):
   * an extension point for logging or checks; the test suite's contract checker uses it.
   */
  plugins?: readonly FastifyPluginAsync[]
  /** Forward the emulated endpoints to this upstream, behind faults, the limiter and the journal. */
  proxy?: ProxyOptions
}

/** Logs a long corpus load's progress at info, a line every few seconds at most. */
export function progressLog(
  log: Pick<FastifyInstance['log'], 'info'>,
  everyMs = 3000,
): NonNullable<MockCoreOptions['progress']> {
  const t0 = performance.now()
  let last = t0
  return (step, done, total, unit = 'sessions') => {
    const now = performance.now()
    if (now - last < everyMs) return
    last = now
    log.info({ step, done, total, unit, elapsed_ms: Math.round(now - t0) }, `corpus: ${step} ${done} of ${total} ${unit}`)
  }
}

export async function buildApp(opts: AppOptions = {}): Promise<FastifyInstance> {
  return appWithRules(opts, parseRuleList(opts.faults ?? []))
}

/** buildApp with start-up rules already validated (the server validates them as it loads them). */
export async function appWithRules(opts: Omit<AppOptions, 'faults'>, faults: readonly FaultRule[]): Promise<FastifyInstance> {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULTS.maxBodyBytes

  const app = Fastify({
    ...(opts.loggerInstance ? { loggerInstance: opts.loggerInstance } : { logger: opts.logger ?? false }),
    // One line per request, written by http/plugins/request-log.ts, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler,
    bodyLimit: maxBodyBytes,
    // Request ids double as `reference_id` of internal errors.
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true },
    // Errors raised before routing (a malformed URL such as `/%zz`) skip the error handler: answer
    // them in DevRev's shape too, never Fastify's default body.
    frameworkErrors: (err, req, reply) => sendDevRevError(reply, translate(err, req, maxBodyBytes)),
    // While stopping, a request on a kept-alive connection is still answered (in DevRev's shape, with
    // `Connection: close`) rather than Fastify's default 503 body.
    return503OnClosing: false,
    // An HTTPS server is an `https.Server`; the routes and hooks see no difference.
    ...((opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}) as object),
  }).withTypeProvider<TypeBoxTypeProvider>()
  // Graceful stop: once closing, every response closes its connection, so `close()` ends as soon as
  // in-flight requests are answered instead of waiting for kept-alive sockets to time out.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  app.setValidatorCompiler(validatorCompiler)
  // DevRev takes JSON only: a text/plain body is `invalid_content_type`, not a string to validate.
  app.removeContentTypeParser('text/plain')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody)

  const core = new MockCore({
    version: VERSION,
    seed: opts.seed ?? DEFAULTS.seed,
    sessions: opts.sessions ?? DEFAULTS.sessions,
    now: opts.now,
    freezeClock: opts.freezeClock,
    corpus: opts.corpus,
    tokens: opts.tokens,
    maxLimit: opts.maxLimit ?? DEFAULTS.maxLimit,
    faults,
    rateLimit: opts.rateLimit,
    journalSize: opts.journalSize,
    pageCache: opts.pageCache,
    progress: progressLog(app.log),
  })
  await app.register(mockPlugin, { core })
  await app.register(errorsPlugin, { maxBodyBytes })
  await app.register(requestLogPlugin)
  // Before any route: @fastify/swagger collects every route's schema for GET /__admin/openapi.json.
  await app.register(openapiDocument, { version: VERSION })
  for (const plugin of opts.plugins ?? []) await app.register(plugin)

  // The emulated DevRev endpoints. Per request, in order: the journal notes its arrival; fault rules,
  // then the rate limiter, then authentication; then validation (an empty body is a parse_error
  // there) and the handler. Hooks run in the order their plugins are registered.
  await app.register(async (emulated) => {
    await emulated.register(journalPlugin, { proxy: opts.proxy !== undefined })
    await emulated.register(faultRulesPlugin)
    await emulated.register(rateLimitPlugin)
    await emulated.register(authPlugin)
    if (opts.proxy) await emulated.register(proxyPlugin, opts.proxy)
    await emulated.register(sessionRoutes)
    await emulated.register(dataRoutes)
  })

  await app.register(replayRoutes)
  await app.register(adminRoutes, { prefix: '/__admin', adminToken: opts.adminToken, tls: opts.tls })
  return app
}

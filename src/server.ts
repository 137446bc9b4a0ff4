/**
 * Running the mock: options resolved and files loaded up front (a bad one throws before anything
 * listens), then the app built and listening. `startMockServer()` is the in-process API for tests;
 * the CLI (bin/cli.ts) is a thin shell over the same function.
 */
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify'
import { buildApp, type AppOptions } from './app.js'
import { resolveOptions, OptionError, type MockOptions, type RateLimit, type LogLevel } from './config/options.js'
import { loadFixturesFile, parseCorpus } from './core/corpus/fixtures.js'
import { loadFaultsFile, parseRule, parseRuleList, type FaultRule } from './core/faults/rules.js'
import type { JournalEntry } from './contract/schemas/faults.js'
import type { StoredSession } from './contract/schemas/sessions.js'

/** The CLI's options in camelCase; `fixtures` may also be a corpus value, `now` a Date. */
export interface StartOptions {
  port?: number
  host?: string
  seed?: number
  sessions?: number
  now?: string | number | Date
  fixtures?: string | { sessions: unknown[] }
  faults?: string | unknown[]
  tokens?: string[]
  rateLimit?: string | RateLimit
  maxBodyBytes?: number
  maxLimit?: number
  journalSize?: number
  adminToken?: string
  config?: string
  /** Default `silent` in-process (the CLI's default is `info`). */
  logLevel?: LogLevel
  /** Extra Fastify plugins (see AppOptions.plugins). */
  plugins?: AppOptions['plugins']
  /** Environment to read options from (default: none in-process; the CLI passes process.env). */
  env?: NodeJS.ProcessEnv
}

export interface MockServer {
  /** `http://HOST:PORT`, with the real port when 0 was asked for. */
  url: string
  port: number
  app: FastifyInstance
  options: MockOptions
  /** Moves the virtual clock forward; returns the new epoch ms. */
  advanceClock(ms: number): number
  /** Adds a run-time fault rule (validated like `POST /__admin/faults`; a bad one throws); returns its id. */
  addFault(rule: unknown): string
  /** The request journal, oldest first (as `GET /__admin/requests`). */
  requests(): JournalEntry[]
  /** Back to the start-up state: corpus, fault rules, rate limiter, clock, journal. */
  reset(): void
  close(): Promise<void>
}

/** Credentials that never reach a log line, wherever a `headers` object turns up (top level or one down). */
const SECRET_HEADERS = ['authorization', 'cookie', '["x-admin-token"]']
export const REDACT_PATHS = SECRET_HEADERS.flatMap((h) => {
  const key = h.startsWith('[') ? h : `.${h}`
  return [`headers${key}`, `*.headers${key}`]
})

/** Fastify's request serializer, plus the headers (redacted by REDACT_PATHS) at debug and trace. */
function reqWithHeaders(req: FastifyRequest) {
  return {
    method: req.method,
    url: req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket.remotePort,
    headers: { ...req.headers },
  }
}

/**
 * Pino options: JSON by default, readable (pino-pretty) when stdout is a terminal. At debug and trace
 * the request lines carry the headers; `Authorization`, `Cookie` and `X-Admin-Token` are
 * `[redacted]` in those and in any other `headers` a line carries (an error's, say).
 */
export function loggerOptions(level: LogLevel, pretty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(level === 'debug' || level === 'trace' ? { serializers: { req: reqWithHeaders } } : {}),
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  }
}

/** Loads what the options point at; throws (FixtureError, OptionError) before anything listens. */
export function loadCorpus(options: MockOptions, given?: StartOptions['fixtures']): StoredSession[] | undefined {
  if (given !== undefined && typeof given !== 'string') return parseCorpus(given)
  return options.fixtures === undefined ? undefined : loadFixturesFile(options.fixtures)
}

/**
 * Loads the start-up fault rules: `given` as values (startMockServer), else the `--faults` file. A bad
 * rule throws an OptionError naming the source, the rule index and the key, before anything listens.
 */
export function loadFaults(options: MockOptions, given?: StartOptions['faults']): FaultRule[] {
  const fromValue = given !== undefined && typeof given !== 'string'
  if (!fromValue && options.faults === undefined) return []
  try {
    return fromValue ? parseRuleList(given) : loadFaultsFile(options.faults!)
  } catch (e) {
    throw new OptionError(`${fromValue ? 'faults' : `--faults ${options.faults}`}: ${(e as Error).message}`)
  }
}

/** `http://HOST:PORT` as the CLI prints it; an IPv6 host goes in brackets. */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** What `startMockServer` defaults differently from the CLI: any free port, no logs. */
export const IN_PROCESS_DEFAULTS = { port: 0, logLevel: 'silent' } as const

export async function startMockServer(opts: StartOptions = {}): Promise<MockServer> {
  const { env, fixtures, faults, plugins, ...rest } = opts
  const direct: Record<string, unknown> = { ...rest }
  if (typeof fixtures === 'string') direct.fixtures = fixtures
  if (typeof faults === 'string') direct.faults = faults
  return start(resolveOptions({ direct, env, defaults: IN_PROCESS_DEFAULTS }), { fixtures, faults, plugins })
}

/** Starts from resolved options; `values` carries what was given as values rather than file paths. */
export async function start(
  options: MockOptions,
  values: Pick<StartOptions, 'fixtures' | 'faults' | 'plugins'> = {},
): Promise<MockServer> {
  const corpus = loadCorpus(options, values.fixtures)
  const faults = loadFaults(options, values.faults)
  const app = await buildApp({
    seed: options.seed,
    sessions: options.sessions,
    now: options.now,
    corpus,
    tokens: options.tokens,
    maxBodyBytes: options.maxBodyBytes,
    maxLimit: options.maxLimit,
    adminToken: options.adminToken,
    faults,
    rateLimit: options.rateLimit,
    journalSize: options.journalSize,
    logger: loggerOptions(options.logLevel),
    plugins: values.plugins,
  })
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address()
  /* c8 ignore next -- a TCP listener always has an AddressInfo; a string is for pipes */
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  return {
    url: serverUrl(options.host, port),
    port,
    app,
    options,
    advanceClock: (ms) => app.mock.clock.advance(ms),
    addFault: (rule) => app.mock.faults.add([parseRule(rule)])[0]!,
    requests: () => app.mock.journal.list(),
    reset: () => app.mock.reset(),
    close: () => app.close(),
  }
}

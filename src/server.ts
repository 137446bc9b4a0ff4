/**
 * Running the mock: options resolved and files loaded up front (a bad one throws before anything
 * listens), then the app built and listening. `startMockServer()` is the in-process API for tests;
 * the CLI (bin/cli.ts) is a thin shell over the same function.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { buildApp, type AppOptions } from './app.js'
import { resolveOptions, type MockOptions, type RateLimit, type LogLevel } from './config/options.js'
import { loadFixturesFile, parseCorpus } from './core/corpus/fixtures.js'
import type { StoredSession } from './schemas/sessions.js'

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
  /** Back to the start-up state. */
  reset(): void
  close(): Promise<void>
}

/** Pino options: JSON by default, readable when stdout is a terminal, `Authorization` never logged. */
export function loggerOptions(level: LogLevel, pretty = process.stdout.isTTY === true): FastifyServerOptions['logger'] {
  if (level === 'silent') return false
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-admin-token"]'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  }
}

/** Loads what the options point at; throws (FixtureError, OptionError) before anything listens. */
export function loadCorpus(options: MockOptions, given?: StartOptions['fixtures']): StoredSession[] | undefined {
  if (given !== undefined && typeof given !== 'string') return parseCorpus(given)
  return options.fixtures === undefined ? undefined : loadFixturesFile(options.fixtures)
}

/** What `startMockServer` defaults differently from the CLI: any free port, no logs. */
export const IN_PROCESS_DEFAULTS = { port: 0, logLevel: 'silent' } as const

export async function startMockServer(opts: StartOptions = {}): Promise<MockServer> {
  const { env, fixtures, faults, plugins, ...rest } = opts
  const direct: Record<string, unknown> = { ...rest }
  if (typeof fixtures === 'string') direct.fixtures = fixtures
  if (typeof faults === 'string') direct.faults = faults
  return start(resolveOptions({ direct, env, defaults: IN_PROCESS_DEFAULTS }), { fixtures, plugins })
}

/** Starts from resolved options; `values` carries what was given as values rather than file paths. */
export async function start(
  options: MockOptions,
  values: Pick<StartOptions, 'fixtures' | 'plugins'> = {},
): Promise<MockServer> {
  const corpus = loadCorpus(options, values.fixtures)
  const app = await buildApp({
    seed: options.seed,
    sessions: options.sessions,
    now: options.now,
    corpus,
    tokens: options.tokens,
    maxBodyBytes: options.maxBodyBytes,
    maxLimit: options.maxLimit,
    adminToken: options.adminToken,
    logger: loggerOptions(options.logLevel),
    plugins: values.plugins,
  })
  await app.listen({ port: options.port, host: options.host })
  const address = app.server.address()
  /* c8 ignore next -- a TCP listener always has an AddressInfo; a string is for pipes */
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    options,
    advanceClock: (ms) => app.mock.clock.advance(ms),
    reset: () => app.mock.reset(),
    close: () => app.close(),
  }
}

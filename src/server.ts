/**
 * Running the mock: options resolved and files loaded up front (a bad one throws before anything
 * listens), then the app built and listening. `startMockServer()` is the in-process API for tests;
 * the CLI (bin/cli.ts) is a thin shell over the same function.
 */
import type { FastifyInstance } from 'fastify'
import { appWithRules, progressLog, type AppOptions } from './app.ts'
import { PassThroughRecorder } from './record/passthrough.ts'
import { resolveOptions, OptionError, type MockOptions } from './config/options.ts'
import { loadFixturesStore, parseCorpus } from './core/corpus/fixtures.ts'
import type { CorpusStore, Progress } from './core/corpus/store.ts'
import { loadFaultsFile, parseRule, parseRuleList, ruleProblem, type FaultRule } from './core/faults/rules.ts'
import type { RateLimitConfig } from './core/limiter.ts'
import type { JournalEntry } from './contract/schemas/admin.ts'
import type { StoredSession } from './contract/schemas/sessions.ts'
import { createLogger } from './logging.ts'
import { realNow } from './core/clock.ts'
import type { MockCore } from './core/mock.ts'
import { prepareTls } from './tls/setup.ts'

export { createLogger, loggerOptions, REDACT_PATHS } from './logging.ts'

/**
 * The CLI's options in camelCase (MockOptions, every one optional), where some also take a value:
 * `fixtures` a corpus, `faults` an array of rules, `now` a Date, `rateLimit` the CLI's `N/WINDOW` text.
 */
export interface StartOptions extends Partial<Omit<MockOptions, 'now' | 'fixtures' | 'faults' | 'rateLimit'>> {
  now?: string | number | Date
  fixtures?: string | { sessions: unknown[] }
  faults?: string | unknown[]
  rateLimit?: string | RateLimitConfig
  config?: string
  /** Extra Fastify plugins (see AppOptions.plugins). */
  plugins?: AppOptions['plugins']
  /** Environment to read options from (default: none in-process; the CLI passes process.env). */
  env?: NodeJS.ProcessEnv
}

export interface MockServer {
  /** `http://HOST:PORT` (`https://` with TLS), with the real port when 0 was asked for. */
  url: string
  port: number
  app: FastifyInstance
  options: MockOptions
  /** PEM of the CA that signed the certificate, when the mock made one (`tls: true`). */
  ca?: string
  /** Moves the virtual clock forward; returns the new epoch ms. */
  advanceClock(ms: number): number
  /** Puts the virtual clock at an ISO date-time (it keeps running, or standing, from there); returns epoch ms. */
  setClock(iso: string): number
  /** Stops the virtual clock where it is; returns epoch ms. */
  freezeClock(): number
  /** Lets a frozen virtual clock run again at real speed; returns epoch ms. */
  releaseClock(): number
  /** Adds a run-time fault rule (validated like `POST /__admin/faults`; a bad one throws); returns its id. */
  addFault(rule: unknown): string
  /** The request journal, oldest first (as `GET /__admin/requests`). */
  requests(): JournalEntry[]
  /**
   * Resolves with the first journal entry recorded from now on for which `predicate` holds (the live
   * feed of `GET /__admin/events`, no polling); rejects after `timeout` ms (default 5000) saying so.
   */
  waitForRequest(predicate: (entry: JournalEntry) => boolean, opts?: { timeout?: number }): Promise<JournalEntry>
  /** Back to the start-up state: corpus, fault rules, rate limiter, clock, journal. */
  reset(): void
  close(): Promise<void>
}

/**
 * Loads what the options point at (a JSON Lines file streamed into a store); throws (FixtureError,
 * OptionError) before anything listens.
 */
export function loadCorpus(
  options: MockOptions,
  given?: StartOptions['fixtures'],
  progress?: Progress,
): StoredSession[] | CorpusStore | undefined {
  if (given !== undefined && typeof given !== 'string') return parseCorpus(given)
  return options.fixtures === undefined ? undefined : loadFixturesStore(options.fixtures, progress)
}

/**
 * Loads the start-up fault rules: `given` as values (startMockServer), else the `--faults` file. A bad
 * rule throws an OptionError naming the source, the rule index and the key, before anything listens.
 */
export function loadFaults(options: MockOptions, given?: StartOptions['faults']): FaultRule[] {
  const fromValue = given !== undefined && typeof given !== 'string'
  if (!fromValue && options.faults === undefined) return []
  const source = fromValue ? 'faults' : `--faults ${options.faults}`
  let value: unknown = given
  if (!fromValue) {
    try {
      value = loadFaultsFile(options.faults!)
    } catch (e) {
      throw new OptionError(`${source}: ${(e as Error).message}`)
    }
  }
  return parseRuleList(value, (index, field, reason) => new OptionError(`${source}: ${ruleProblem(index, field, reason)}`))
}

/** `http://HOST:PORT` (or `https://`) as the CLI prints it; an IPv6 host goes in brackets. */
export function serverUrl(host: string, port: number, tls = false): string {
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** What `startMockServer` defaults differently from the CLI: any free port, no logs. */
export const IN_PROCESS_DEFAULTS = { port: 0, logLevel: 'silent' } as const

/** The default bound of `waitForRequest`, in ms. */
export const WAIT_TIMEOUT_MS = 5000

/** Waits on the journal's live feed for an entry that `predicate` accepts (see MockServer.waitForRequest). */
export function waitForEntry(
  journal: MockCore['journal'],
  predicate: (entry: JournalEntry) => boolean,
  { timeout = WAIT_TIMEOUT_MS }: { timeout?: number } = {},
): Promise<JournalEntry> {
  return new Promise((resolve, reject) => {
    let seen = 0
    const finish = () => {
      off()
      clearTimeout(timer)
    }
    const off = journal.subscribe((event) => {
      if (event.kind !== 'entry') return
      seen++
      let hit: boolean
      try {
        hit = predicate(event.entry)
      } catch (e) {
        finish()
        reject(e as Error)
        return
      }
      if (hit) {
        finish()
        resolve(event.entry)
      }
    })
    const timer = setTimeout(() => {
      off()
      reject(new Error(`waitForRequest: no request matched within ${timeout} ms (${seen} recorded meanwhile)`))
    }, timeout)
  })
}

/** An ISO date-time as epoch ms, or an OptionError (as `now` would get). */
function parseInstant(iso: string): number {
  return resolveOptions({ direct: { now: iso } }).now!
}

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
  if (options.record !== undefined && (options.proxy === undefined || !/\.jsonl?$/.test(options.record))) {
    throw new OptionError(`--record ${options.record}: needs --proxy, and a .json or .jsonl file`)
  }
  const recorder = options.record === undefined ? undefined : new PassThroughRecorder(options.record)
  // The logger exists before the fixtures load: a big JSON Lines file takes minutes, and says how far it is.
  const log = createLogger(options.logLevel)
  const corpus = loadCorpus(options, values.fixtures, log && progressLog(log.logger))
  const faults = loadFaults(options, values.faults)
  // Certificates are checked against the client's real clock, never the virtual one.
  const tls = await prepareTls(options, realNow())
  const app = await appWithRules({
    seed: options.seed,
    sessions: options.sessions,
    now: options.now,
    freezeClock: options.freezeClock,
    corpus,
    tokens: options.tokens,
    maxBodyBytes: options.maxBodyBytes,
    maxLimit: options.maxLimit,
    adminToken: options.adminToken,
    rateLimit: options.rateLimit,
    journalSize: options.journalSize,
    loggerInstance: log?.logger,
    plugins: values.plugins,
    tls,
    ...(options.proxy === undefined ? {} : { proxy: { upstream: options.proxy, onPassed: recorder?.passed } }),
  }, faults)
  await app.listen({ port: options.port, host: options.host })
  log?.lines?.batch()
  const address = app.server.address()
  /* c8 ignore next -- a TCP listener always has an AddressInfo; a string is for pipes */
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  return {
    url: serverUrl(options.host, port, tls !== undefined),
    port,
    app,
    options,
    ca: tls?.ca,
    advanceClock: (ms) => app.mock.clock.advance(ms),
    setClock: (iso) => app.mock.clock.set(parseInstant(iso)),
    freezeClock: () => app.mock.clock.freeze(),
    releaseClock: () => app.mock.clock.release(),
    addFault: (rule) => app.mock.faults.add([parseRule(rule)])[0]!,
    requests: () => app.mock.journal.list(),
    waitForRequest: (predicate, opts) => waitForEntry(app.mock.journal, predicate, opts),
    reset: () => app.mock.reset(),
    close: () => app.close(),
  }
}

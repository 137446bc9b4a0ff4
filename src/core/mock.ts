/**
 * The mock's state and behaviour, free of HTTP: the corpus, the virtual clock, the cursor codec and
 * the operations the emulated endpoints perform. The Fastify layer decorates itself with one of
 * these and calls it; `reset()` puts it back to its start-up state.
 */
import { VirtualClock } from './clock.ts'
import { CorpusStore, type Progress } from './corpus/store.ts'
import type { SessionRecord } from './corpus/record.ts'
import { CursorCodec } from './query/cursor.ts'
import { listSessions, type ListResult } from './query/engine.ts'
import { PageCache } from './query/page-cache.ts'
import { DevRevError } from '../contract/catalogue.ts'
import type { StoredSession } from '../contract/schemas/sessions.ts'
import type { GetRequest, ListRequest } from '../contract/schemas/requests.ts'
import type { JournalEntry } from '../contract/schemas/admin.ts'
import { FaultEngine } from './faults/engine.ts'
import type { FaultRule } from './faults/rules.ts'
import { RateLimiter, type RateLimitConfig } from './limiter.ts'
import { Journal, journalEntry, RetryTracker, type JournalRecord } from './journal.ts'
import { DEFAULTS } from './defaults.ts'

export interface MockCoreOptions {
  /** The product version `health()` reports (the app reads it from package.json). */
  version: string
  seed: number
  /** Size of the generated corpus (ignored when `corpus` is given). */
  sessions: number
  /** Where the virtual clock starts (epoch ms); the corpus is anchored there. */
  now?: number
  /** The virtual clock stands still until moved. */
  freezeClock?: boolean
  /** Sessions to serve instead of generated ones (already validated), or a store already loaded (a streamed file). */
  corpus?: readonly StoredSession[] | CorpusStore
  /** Called now and then while a large corpus is generated or indexed. */
  progress?: Progress
  maxLimit?: number
  /** Accepted tokens; empty = any non-empty token. */
  tokens?: readonly string[]
  /** The real clock, injectable for tests. */
  realNow?: () => number
  /** Start-up fault rules (`--faults`, already validated). */
  faults?: readonly FaultRule[]
  /** Start-up rate limit (`--rate-limit`); undefined = off. */
  rateLimit?: RateLimitConfig
  /** Requests the journal keeps (`--journal-size`). */
  journalSize?: number
  /** List pages kept for a repeated request (0: none). */
  pageCache?: number
}

export class MockCore {
  readonly options: MockCoreOptions
  readonly clock: VirtualClock
  readonly cursors: CursorCodec
  /** Fault rules (start-up and run-time) with their schedules and counters. */
  readonly faults: FaultEngine
  readonly limiter: RateLimiter
  readonly journal: Journal<JournalRecord, JournalEntry>
  /** When each token may come back after a Retry-After (for the journal's `early_retry`). */
  readonly retries = new RetryTracker()
  /** The start-up corpus, kept for reset(): the store is never changed in place, only replaced. */
  readonly #startStore: CorpusStore
  #store: CorpusStore
  readonly #pages: PageCache<ListResult>

  constructor(options: MockCoreOptions) {
    this.options = options
    this.clock = new VirtualClock({ now: options.now, frozen: options.freezeClock, realNow: options.realNow })
    // Cursors are signed with a key derived from the seed: same seed, same cursors, across processes.
    this.cursors = new CursorCodec(`devrev-observability-mock:${options.seed}`)
    const given = options.corpus
    this.#startStore =
      given instanceof CorpusStore
        ? given
        : given
          ? CorpusStore.of(given)
          : // From where the clock started, not where it has run to: the same --now gives the same corpus.
            CorpusStore.generated({ seed: options.seed, sessions: options.sessions, now: this.clock.startedAt }, options.progress)
    this.#store = this.#startStore
    this.faults = new FaultEngine({ seed: options.seed, startup: options.faults })
    this.limiter = new RateLimiter(options.rateLimit)
    this.journal = new Journal(options.journalSize ?? DEFAULTS.journalSize, journalEntry)
    this.#pages = new PageCache(options.pageCache ?? DEFAULTS.pageCache)
  }

  get store(): CorpusStore {
    return this.#store
  }

  /** Replaces every session (already validated). */
  replaceCorpus(sessions: readonly StoredSession[]): void {
    this.#store = CorpusStore.of(sessions)
  }

  /** Whether a token may call the emulated endpoints. */
  acceptsToken(token: string): boolean {
    const tokens = this.options.tokens ?? []
    return token !== '' && (tokens.length === 0 || tokens.includes(token))
  }

  list(req: ListRequest): ListResult {
    return listSessions(this.#store, req, {
      now: this.clock.now(),
      maxLimit: this.options.maxLimit ?? DEFAULTS.maxLimit,
      cursors: this.cursors,
      pages: this.#pages,
    })
  }

  get(req: GetRequest): SessionRecord {
    const rec = this.#store.get(req.version_key, req.platform, req.session_id)
    if (!rec) {
      throw new DevRevError('not_found', {}, { message: `session ${req.session_id} not found for ${req.version_key}/${req.platform}` })
    }
    return rec
  }

  health() {
    return {
      status: 'ok' as const,
      version: this.options.version,
      seed: this.options.seed,
      sessions: this.#store.size,
      version_keys: this.#store.versionKeys(),
    }
  }

  /**
   * Back to the start-up state: corpus, clock, fault rules (start-up rules back with fresh counters,
   * run-time rules gone), rate limiter (start-up setting, counts cleared), journal and retry memory.
   */
  reset(): void {
    this.clock.reset()
    this.#store = this.#startStore
    this.faults.reset()
    this.limiter.reset()
    this.journal.clear()
    this.retries.clear()
  }
}

/**
 * Every default of the mock, in one place: the CLI's help, `--config`, `startMockServer()`,
 * `buildApp()` and the core all read these, so they cannot drift apart.
 */
export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  seed: 42,
  sessions: 1000,
  maxBodyBytes: 1_048_576,
  /** Larger `limit` values are clamped to this, as DevRev does. */
  maxLimit: 100,
  /** A list request without `limit` gets this many sessions (never more than `maxLimit`). */
  limit: 50,
  journalSize: 1000,
  /** List pages kept for requests that come again: a few MB at most at the largest limit. */
  pageCache: 64,
  /** DevRev's rate-limit window: five minutes. */
  rateLimitWindowMs: 300_000,
  logLevel: 'info',
} as const

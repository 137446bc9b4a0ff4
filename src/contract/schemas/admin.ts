/**
 * The admin API's own bodies and answers under /__admin: health, fault rules as stored, the rate
 * limiter, the virtual clock, the journal and corpus replacement.
 */
import { Type, type Static } from '@sinclair/typebox'
import { StringEnum } from './common.ts'
import { FaultRule, NETWORK_FAULTS } from './faults.ts'

const closed = { additionalProperties: false } as const

export const Health = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    seed: Type.Integer(),
    sessions: Type.Integer(),
    version_keys: Type.Array(Type.String()),
  },
  { title: 'admin-health' },
)

export const FaultSource = StringEnum(['startup', 'runtime'])

export const StoredFault = Type.Object(
  {
    id: Type.String(),
    source: FaultSource,
    rule: FaultRule,
    matched: Type.Integer({ description: 'requests its match accepted so far' }),
    fired: Type.Integer({ description: 'requests it answered so far' }),
  },
  { title: 'admin-fault' },
)

export const FaultList = Type.Object({ faults: Type.Array(StoredFault) }, { title: 'admin-faults' })
/** `{id}` for one rule added, `{ids}` (in the order given) for an array. */
export const FaultAdded = Type.Object(
  { id: Type.Optional(Type.String()), ids: Type.Optional(Type.Array(Type.String())) },
  { title: 'admin-fault-added' },
)

export const FaultIdParams = Type.Object({ id: Type.String() })

export const RateLimitBody = Type.Object(
  {
    // At most 2^53 - 1, so X-RateLimit-* headers always print as plain digits.
    limit: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'requests per token per window' }),
    window_ms: Type.Optional(
      Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'window length (default 300000, 5 minutes)' }),
    ),
  },
  { ...closed, title: 'admin-rate-limit-body' },
)
export type RateLimitBody = Static<typeof RateLimitBody>

export const RateLimitState = Type.Object(
  {
    enabled: Type.Boolean(),
    limit: Type.Optional(Type.Integer()),
    window_ms: Type.Optional(Type.Integer()),
  },
  { title: 'admin-rate-limit' },
)

export const ClockBody = Type.Object(
  {
    advance_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'move forward by this much' })),
    now: Type.Optional(Type.String({ format: 'date-time', description: 'put the clock at this instant' })),
    frozen: Type.Optional(Type.Boolean({ description: 'true: stop the clock; false: let it run at real speed' })),
  },
  { ...closed, title: 'admin-clock-body' },
)
export type ClockBody = Static<typeof ClockBody>

export const ClockState = Type.Object(
  {
    now: Type.String({ format: 'date-time' }),
    now_ms: Type.Integer(),
    frozen: Type.Boolean({ description: 'stands still until moved (--freeze-clock, or frozen through this route)' }),
  },
  { title: 'admin-clock' },
)

export const JournalEntry = Type.Object(
  {
    method: Type.String(),
    path: Type.String(),
    status: Type.Union([Type.Integer(), Type.Null()], { description: 'null when no HTTP response was sent' }),
    error_type: Type.Union([Type.String(), Type.Null()]),
    rule_id: Type.Union([Type.String(), Type.Null()], { description: 'the fault rule that answered, `prefer` for the header' }),
    fault: Type.Union([StringEnum(NETWORK_FAULTS), Type.Null()]),
    token_hash: Type.Union([Type.String(), Type.Null()], { description: 'first 16 hex digits of sha256(token)' }),
    received_at: Type.String({ format: 'date-time', description: 'on the virtual clock' }),
    duration_ms: Type.Number({ description: 'real time spent answering' }),
    early_retry: Type.Boolean({ description: 'the token came back before the Retry-After it was given' }),
    retry_after: Type.Union([Type.Integer(), Type.Null()], { description: 'the seconds a 429 told the client to wait (its Retry-After); null otherwise' }),
    source: Type.Optional(StringEnum(['mock', 'upstream'], { description: 'with --proxy: who answered' })),
  },
  { title: 'admin-journal-entry' },
)
export type JournalEntry = Static<typeof JournalEntry>

export const JournalList = Type.Object({ requests: Type.Array(JournalEntry) }, { title: 'admin-requests' })

export const CorpusReplaced = Type.Object(
  { sessions: Type.Integer(), version_keys: Type.Array(Type.String()) },
  { title: 'admin-corpus-replaced' },
)

/** The answer of a DELETE and of reset: 204, no body. */
export const NoContent = Type.Null({ description: 'No Content' })

/** GET /__admin/rate-limit/tokens: each token's count in the current window (tokens as hashes). */
export const RateLimitTokens = Type.Object(
  {
    tokens: Type.Array(
      Type.Object({
        token_hash: Type.Union([Type.String(), Type.Null()], { description: 'first 16 hex digits of sha256(token), as in the journal; null for requests without one' }),
        used: Type.Integer(),
        remaining: Type.Integer(),
        reset_at: Type.String({ format: 'date-time', description: "the window's end, on the virtual clock" }),
      }),
    ),
  },
  { title: 'admin-rate-limit-tokens' },
)

/** GET /__admin/corpus/counts: sessions per app (version key) and platform. */
export const CorpusCounts = Type.Object(
  {
    sessions: Type.Integer(),
    apps: Type.Array(Type.Object({ version_key: Type.String(), platform: Type.String(), sessions: Type.Integer() })),
  },
  { title: 'admin-corpus-counts' },
)

export const SessionIdParams = Type.Object({ id: Type.String({ minLength: 1 }) })

/** GET /__admin/sessions/:id: a session found by id, its app, and its first recording as data.get answers it. */
export const SessionFound = Type.Object(
  {
    version_key: Type.String(),
    session: Type.Object({}, { additionalProperties: true, description: 'the session as sessions.get answers it' }),
    recording: Type.Object({}, { additionalProperties: true, description: 'its first recording, as sessions.data.get answers it' }),
  },
  { title: 'admin-session-found' },
)

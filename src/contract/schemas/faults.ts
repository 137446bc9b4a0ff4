/**
 * The fault vocabulary (SPEC §4) and the admin API that drives faults, the rate limiter, the clock
 * and the journal. One schema of a fault rule serves the `--faults` file, `POST /__admin/faults` and
 * the `Prefer` header (src/core/faults/rules.ts is the one parser over it).
 */
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox'
import { ERROR_CATALOGUE, ERROR_TYPES, type ErrorFieldValue, type ErrorType } from '../catalogue.js'
import { StringEnum } from './common.js'

const closed = { additionalProperties: false } as const

export const NETWORK_FAULTS = ['connection_reset', 'empty_response', 'malformed_json'] as const
export type NetworkFault = (typeof NETWORK_FAULTS)[number]

export const FAULT_ENDPOINTS = ['sessions.list', 'sessions.get'] as const
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number]

/** Longest `delay_ms` a rule may ask for (5 minutes, DevRev's rate-limit window). */
export const MAX_DELAY_MS = 300_000

/**
 * Fields the contract gives an error type beyond the catalogue's defaults: a rule may set them, an
 * injected error carries them only when the rule does.
 */
export const EXTRA_ERROR_FIELDS: Readonly<Partial<Record<ErrorType, Readonly<Record<string, ErrorFieldValue>>>>> = {
  value_not_permitted: { allowed_values: ['a'], pattern: '' },
  missing_dependency: { dependencies: [{ field_name: 'type', field_value: 'mobile' }] },
}

/** The schema of an own field, from the JSON type of its default value. */
function ownFieldSchema(value: ErrorFieldValue): TSchema {
  if (Array.isArray(value)) {
    const strings = value.length > 0 && value.every((v) => typeof v === 'string')
    return Type.Array(strings ? Type.String() : Type.Unknown())
  }
  switch (typeof value) {
    case 'number':
      return Type.Integer({ minimum: 0 })
    case 'boolean':
      return Type.Boolean()
    default:
      return Type.String()
  }
}

/** Every own field of every error type, once (names mean the same thing across types). */
export const OWN_FIELDS: Readonly<Record<string, TSchema>> = Object.fromEntries(
  [...Object.values(ERROR_CATALOGUE), ...Object.values(EXTRA_ERROR_FIELDS).map((fields) => ({ fields }))].flatMap((e) =>
    Object.entries(e.fields as Record<string, ErrorFieldValue>).map(([k, v]) => [k, ownFieldSchema(v)] as const),
  ),
)

/** Which own fields a type takes (catalogue fields and the contract's extras). */
export function ownFieldsOf(type: ErrorType): string[] {
  return [...Object.keys(ERROR_CATALOGUE[type].fields), ...Object.keys(EXTRA_ERROR_FIELDS[type] ?? {})]
}

export const FaultMatch = Type.Object(
  {
    endpoint: Type.Optional(StringEnum(FAULT_ENDPOINTS, { description: 'which emulated operation (GET and POST alike)' })),
    method: Type.Optional(StringEnum(['GET', 'POST'])),
    token: Type.Optional(Type.String({ minLength: 1, description: 'the caller token, without `Bearer `' })),
    body: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'a deep partial match of the JSON body (of the query parameters, as strings, for GET)',
      }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'request headers (names case-insensitive) and exact values' }),
    ),
  },
  { ...closed, title: 'fault-match' },
)
export type FaultMatch = Static<typeof FaultMatch>

/** The keys of a fault rule, own error fields aside. */
export const FaultRuleKeys = {
  error: Type.Optional(StringEnum(ERROR_TYPES as [ErrorType, ...ErrorType[]], { description: 'a documented error type' })),
  status: Type.Optional(Type.Integer({ description: 'an HTTP status: its canonical error type' })),
  fault: Type.Optional(StringEnum(NETWORK_FAULTS, { description: 'a network fault' })),
  delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'latency; alone, a slow success' })),
  message: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  match: Type.Optional(FaultMatch),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'let this many matching requests pass first' })),
  times: Type.Optional(Type.Integer({ minimum: 1, description: 'answer at most this many requests' })),
  every: Type.Optional(Type.Integer({ minimum: 1, description: 'answer every n-th matching request' })),
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'drawn from the RNG seeded by --seed' })),
}

/** A fault rule (SPEC §4), closed: an unknown key is an error that names it. */
export const FaultRule = Type.Object(
  {
    ...FaultRuleKeys,
    ...Object.fromEntries(Object.entries(OWN_FIELDS).map(([k, s]) => [k, Type.Optional(s)])),
  },
  { ...closed, title: 'fault-rule' },
)
export type FaultRule = Static<TObject<typeof FaultRuleKeys>> & { [ownField: string]: unknown }

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
    limit: Type.Integer({ minimum: 1, description: 'requests per token per window' }),
    window_ms: Type.Optional(Type.Integer({ minimum: 1, description: 'window length (default 300000, 5 minutes)' })),
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
    now: Type.Optional(Type.String({ format: 'date-time', description: 'pin the clock at this instant' })),
  },
  { ...closed, title: 'admin-clock-body' },
)
export type ClockBody = Static<typeof ClockBody>

export const ClockState = Type.Object(
  {
    now: Type.String({ format: 'date-time' }),
    now_ms: Type.Integer(),
    pinned: Type.Boolean({ description: 'frozen until moved (--now, or set through this route)' }),
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

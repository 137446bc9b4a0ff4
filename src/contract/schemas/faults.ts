/**
 * The fault vocabulary: one schema of a fault rule serves the `--faults` file, `POST /__admin/faults`
 * and the `Prefer` header (src/core/faults/rules.ts is the one parser over it).
 */
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox'
import { ERROR_CATALOGUE, ERROR_TYPES, type ErrorFieldValue, type ErrorType } from '../catalogue.ts'
import { StringEnum } from './common.ts'
import { fieldSchema } from './errors.ts'

const closed = { additionalProperties: false } as const

export const NETWORK_FAULTS = ['connection_reset', 'empty_response', 'malformed_json'] as const
export type NetworkFault = (typeof NETWORK_FAULTS)[number]

export const FAULT_ENDPOINTS = ['sessions.list', 'sessions.get', 'sessions.data.get'] as const
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

/** Every own field of every error type, once (names mean the same thing across types). */
export const OWN_FIELDS: Readonly<Record<string, TSchema>> = Object.fromEntries(
  [...Object.values(ERROR_CATALOGUE), ...Object.values(EXTRA_ERROR_FIELDS).map((fields) => ({ fields }))].flatMap((e) =>
    Object.entries(e.fields as Record<string, ErrorFieldValue>).map(([k, v]) => [k, fieldSchema(v, true)] as const),
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

/** A fault rule, closed: an unknown key is an error that names it. */
export const FaultRule = Type.Object(
  {
    ...FaultRuleKeys,
    ...Object.fromEntries(Object.entries(OWN_FIELDS).map(([k, s]) => [k, Type.Optional(s)])),
  },
  { ...closed, title: 'fault-rule' },
)
export type FaultRule = Static<TObject<typeof FaultRuleKeys>> & { [ownField: string]: unknown }

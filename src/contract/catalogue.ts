/**
 * DevRev's error catalogue, as data.
 *
 * Every documented error `type` of the contract (openapi-beta.yaml, `error-*` schemas) with its HTTP
 * status, the message the mock uses when nobody gives one, and the type's own fields with the values a
 * fault rule fills in when the rule does not say otherwise. Nothing here imports Fastify.
 */

export type ErrorFieldValue = string | number | boolean | string[] | Record<string, unknown>[]

export interface ErrorTypeEntry {
  readonly status: number
  readonly message: string
  /** The type's own fields, with the defaults an injected error carries. */
  readonly fields: Readonly<Record<string, ErrorFieldValue>>
  /** Which of `fields` the contract marks as required. */
  readonly required: readonly string[]
}

const entry = (
  status: number,
  message: string,
  fields: Record<string, ErrorFieldValue> = {},
  required: string[] = [],
): ErrorTypeEntry => ({ status, message, fields, required })

export const ERROR_CATALOGUE = {
  // 400
  bad_request: entry(400, 'Bad Request'),
  parse_error: entry(400, 'request body is not valid JSON'),
  invalid_enum_value: entry(
    400,
    'invalid enum value',
    { field_name: 'platform', value: 'unknown', allowed_values: ['android', 'ios', 'web'] },
    ['allowed_values', 'field_name', 'value'],
  ),
  invalid_field: entry(400, 'invalid field', { field_name: 'unknown' }, ['field_name']),
  missing_required_field: entry(400, 'missing required field', { field_name: 'version_key' }, ['field_name']),
  unexpected_json_type: entry(
    400,
    'unexpected JSON type',
    { field_name: 'limit', expected: 'number', actual: 'string' },
    ['actual', 'expected', 'field_name'],
  ),
  value_not_permitted: entry(400, 'value not permitted', { field_name: 'limit', reason: 'must be at least 1' }, [
    'field_name',
  ]),
  invalid_id: entry(400, 'invalid id', { field_name: 'rev_org' }, ['field_name']),
  unexpected_id_type: entry(400, 'unexpected id type', { field_name: 'rev_user', value: 'REV-AbCdEfGh' }, [
    'field_name',
    'value',
  ]),
  invalid_api_version: entry(400, 'invalid API version', { value: '1999-01-01' }, ['value']),
  invalid_content_type: entry(400, 'invalid content type', { value: 'text/plain' }, ['value']),
  missing_dependency: entry(400, 'missing dependency', {
    dependent_field_name: 'type',
    dependent_field_value: 'mobile',
    provided_field_name: 'platform',
    provided_field_value: 'web',
  }),
  stale_schema_fragments: entry(400, 'stale schema fragments'),
  customization_validation_error: entry(400, 'customization validation error', { subtype: 'unknown_error' }, [
    'subtype',
  ]),
  merge_works_error: entry(400, 'merge works error', { errors: [] }),
  artifact_already_attached_to_a_parent: entry(
    400,
    'artifact already attached to a parent',
    { existing_parent: 'don:core:dvrv-us-1:devo/0:artifact/1', is_same: false },
    ['existing_parent', 'is_same'],
  ),
  workflow_component_validation_errors: entry(400, 'workflow component validation errors', { errors: [] }),
  // 401
  unauthenticated: entry(401, 'unauthenticated'),
  token_expired: entry(401, 'token expired'),
  token_revoked: entry(401, 'token revoked'),
  dev_org_deactivated: entry(401, 'dev org deactivated'),
  // 403
  forbidden: entry(403, 'forbidden'),
  // 404
  not_found: entry(404, 'not found'),
  // 413
  request_entity_too_large: entry(413, 'request entity too large', { max_bytes: 1048576 }),
  // 429
  too_many_requests: entry(429, 'too many requests', { retry_after: 30 }),
  // 500
  internal_error: entry(500, 'internal error', { reference_id: 'mock-reference-id' }),
  // 503
  service_unavailable: entry(503, 'service unavailable'),
} as const satisfies Record<string, ErrorTypeEntry>

export type ErrorType = keyof typeof ERROR_CATALOGUE

export const ERROR_TYPES = Object.keys(ERROR_CATALOGUE) as ErrorType[]

/** The canonical type for a status, used by the `status` shorthand of fault rules and `Prefer: code=`. */
export const CANONICAL_TYPE_BY_STATUS: Readonly<Record<number, ErrorType>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'request_entity_too_large',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
}

export function isErrorType(value: unknown): value is ErrorType {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value)
}

/** A DevRev error body: flat, `type` first, then `message`, `detail` and the type's own fields. */
export interface DevRevErrorBody {
  type: ErrorType
  message?: string
  detail?: string
  [field: string]: unknown
}

/**
 * An error the core raises and the HTTP layer sends as it is. `fields` are the type's own fields;
 * response headers are the HTTP layer's business (it derives `Retry-After` from `retry_after`).
 */
export class DevRevError extends Error {
  readonly type: ErrorType
  readonly status: number
  readonly fields: Record<string, unknown>
  readonly detail: string | undefined

  constructor(
    type: ErrorType,
    fields: Record<string, unknown> = {},
    opts: { message?: string; detail?: string } = {},
  ) {
    const e = ERROR_CATALOGUE[type]
    super(opts.message ?? e.message)
    this.name = 'DevRevError'
    this.type = type
    this.status = e.status
    this.fields = fields
    this.detail = opts.detail
  }

  toBody(): DevRevErrorBody {
    const body: DevRevErrorBody = { type: this.type, message: this.message }
    if (this.detail !== undefined) body.detail = this.detail
    for (const [k, v] of Object.entries(this.fields)) if (v !== undefined) body[k] = v
    return body
  }
}

/** Shorthands for the validation errors the mock raises itself. */
export const errors = {
  missingField: (field_name: string) =>
    new DevRevError('missing_required_field', { field_name }, { message: `missing required field: ${field_name}` }),
  invalidField: (field_name: string, message = `unknown field: ${field_name}`) =>
    new DevRevError('invalid_field', { field_name }, { message }),
  invalidEnum: (field_name: string, value: string, allowed_values: readonly string[]) =>
    new DevRevError(
      'invalid_enum_value',
      { field_name, value, allowed_values: [...allowed_values] },
      { message: `invalid value for ${field_name}: ${value}` },
    ),
  unexpectedType: (field_name: string, expected: string, actual: string) =>
    new DevRevError(
      'unexpected_json_type',
      { field_name, expected, actual },
      { message: `${field_name} must be of type ${expected}, got ${actual}` },
    ),
  notPermitted: (field_name: string, reason: string, extra: { allowed_values?: string[]; pattern?: string } = {}) =>
    new DevRevError('value_not_permitted', { field_name, ...extra, reason }, { message: `${field_name} ${reason}` }),
}

/**
 * Validation that answers in DevRev's words.
 *
 * A compiled TypeBox check is the fast path; only when it fails does a walk over the same schema find
 * the first fault and name it the way DevRev does (`missing_required_field`, `invalid_field`,
 * `invalid_enum_value`, `unexpected_json_type`, `value_not_permitted`) with a `field_name` path such as
 * `session_attributes[0].attribute_path`. Discriminated unions (marked with `x-discriminator`) are
 * judged by the branch their discriminator selects, so errors never come from the wrong variant.
 */
import { FormatRegistry, Kind, OptionalKind, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { DevRevError, errors } from '../contract/catalogue.ts'
import { DISCRIMINATOR, type Discriminator } from '../contract/schemas/common.ts'

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i
/** An RFC 3339 date-time that names a real instant: `2024-02-30` is refused, not rolled into March. */
export function isDateTime(value: string): boolean {
  const m = RFC3339.exec(value)
  if (!m || Number.isNaN(Date.parse(value))) return false
  // Date.parse already refuses a month past 12, a day past 31 and minutes or seconds past 59; it
  // rolls a day past the month's end into the next month, and reads 24:00 as the next midnight.
  const [y, mo, d, h] = m.slice(1, 5).map(Number) as [number, number, number, number]
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]! && h < 24
}

/** DevRev's names for JSON types (`error-bad-request-unexpected-json-type-type`). */
export type JsonType = 'array' | 'bool' | 'null' | 'number' | 'object' | 'string'
export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  switch (typeof value) {
    case 'boolean':
      return 'bool'
    case 'number':
      return 'number'
    case 'string':
      return 'string'
    default:
      return 'object'
  }
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`)
/** A JSON object (not an array, not null). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A union's values when it is an enum (a union of string literals), else undefined. */
function literalsOf(union: TSchema): string[] | undefined {
  const values: string[] = []
  for (const s of union.anyOf as TSchema[]) {
    if (s[Kind] !== 'Literal' || typeof s.const !== 'string') return undefined
    values.push(s.const)
  }
  return values
}

/** The JSON type a scalar schema wants (objects, arrays and literals have their own branches in `walk`). */
function expectedType(schema: TSchema): JsonType {
  switch (schema[Kind]) {
    case 'Boolean':
      return 'bool'
    case 'Integer':
    case 'Number':
      return 'number'
    default:
      return 'string'
  }
}

function checkNumber(schema: TSchema, value: number, path: string): DevRevError | undefined {
  if (schema[Kind] === 'Integer' && !Number.isInteger(value)) return errors.notPermitted(path, 'must be an integer')
  if (typeof schema.minimum === 'number' && value < schema.minimum)
    return errors.notPermitted(path, `must be at least ${schema.minimum}`)
  if (typeof schema.maximum === 'number' && value > schema.maximum)
    return errors.notPermitted(path, `must be at most ${schema.maximum}`)
  return undefined
}

function checkString(schema: TSchema, value: string, path: string): DevRevError | undefined {
  if (typeof schema.minLength === 'number' && value.length < schema.minLength)
    return errors.notPermitted(path, schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`)
  if (schema.format === 'date-time' && !isDateTime(value))
    return errors.notPermitted(path, 'must be an RFC 3339 date-time, e.g. 2024-01-31T12:00:00Z')
  return undefined
}

function checkUnion(schema: TSchema, value: unknown, path: string): DevRevError | undefined {
  const enumValues = literalsOf(schema)
  if (enumValues) {
    if (typeof value !== 'string') return errors.unexpectedType(path, 'string', jsonType(value))
    return enumValues.includes(value) ? undefined : errors.invalidEnum(path, value, enumValues)
  }
  const d = schema[DISCRIMINATOR] as Discriminator | undefined
  /* c8 ignore next -- every non-enum union in the schemas is discriminated; this guards a future one */
  if (!d) return new DevRevError('bad_request', {}, { message: `${path || 'body'} matches no allowed shape` })
  if (!isPlainObject(value)) return errors.unexpectedType(path, 'object', jsonType(value))
  const tagPath = join(path, d.property)
  const tag = value[d.property] ?? d.missing
  if (tag === undefined) return errors.missingField(tagPath)
  if (typeof tag !== 'string') return errors.unexpectedType(tagPath, 'string', jsonType(tag))
  const branches = schema.anyOf as TSchema[]
  const allowed: string[] = []
  for (const branch of branches) {
    const lit = branch.properties[d.property].const as string
    if (lit === tag) return walk(branch, value, path)
    allowed.push(lit)
  }
  return errors.invalidEnum(tagPath, tag, allowed)
}

function checkObject(schema: TSchema, value: unknown, path: string): DevRevError | undefined {
  if (!isPlainObject(value)) return errors.unexpectedType(path, 'object', jsonType(value))
  const props = schema.properties as Record<string, TSchema>
  for (const key of (schema.required ?? []) as string[]) {
    if (value[key] === undefined) return errors.missingField(join(path, key))
  }
  for (const [key, v] of Object.entries(value)) {
    // Own properties only: `constructor` or `toString` in a body are unknown fields, not Object's.
    const p = Object.hasOwn(props, key) ? props[key] : undefined
    if (!p) return errors.invalidField(join(path, key))
    if (v === undefined && p[OptionalKind] === 'Optional') continue
    const e = walk(p, v, join(path, key))
    if (e) return e
  }
  return undefined
}

/** The first fault of `value` against `schema`, or undefined where there is none. */
export function walk(schema: TSchema, value: unknown, path: string): DevRevError | undefined {
  switch (schema[Kind]) {
    case 'Object':
      return checkObject(schema, value, path)
    case 'Union':
      return checkUnion(schema, value, path)
    case 'Array': {
      if (!Array.isArray(value)) return errors.unexpectedType(path, 'array', jsonType(value))
      for (let i = 0; i < value.length; i++) {
        const e = walk(schema.items as TSchema, value[i], `${path}[${i}]`)
        if (e) return e
      }
      return undefined
    }
    case 'Record': {
      if (!isPlainObject(value)) return errors.unexpectedType(path, 'object', jsonType(value))
      const inner = Object.values(schema.patternProperties as Record<string, TSchema>)[0]!
      for (const [k, v] of Object.entries(value)) {
        const e = walk(inner, v, join(path, k))
        if (e) return e
      }
      return undefined
    }
    case 'Literal':
      if (value === schema.const) return undefined
      if (typeof value !== typeof schema.const) return errors.unexpectedType(path, jsonType(schema.const), jsonType(value))
      return errors.invalidEnum(path, String(value), [String(schema.const)])
    case 'Unknown':
      return undefined
    default: {
      const expected = expectedType(schema)
      const actual = jsonType(value)
      if (expected !== actual) return errors.unexpectedType(path, expected, actual)
      if (typeof value === 'number') return checkNumber(schema, value, path)
      if (typeof value === 'string') return checkString(schema, value, path)
      return undefined
    }
  }
}

export interface Validator<T> {
  /** Returns the value typed, or throws the DevRevError that names the first fault. */
  (value: unknown): T
}

/** Compiles `schema` once; the returned function checks fast and explains slowly, only on failure. */
export function compileValidator<T>(schema: TSchema): Validator<T> {
  // TypeBox knows no formats of its own: `date-time` is registered by the first compile that may need
  // it, not as a side effect of importing this module.
  if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime)
  const check = TypeCompiler.Compile(schema)
  return (value: unknown): T => {
    if (check.Check(value)) return value as T
    if (!isPlainObject(value))
      throw new DevRevError('bad_request', {}, { message: `the request must be a JSON object, got ${jsonType(value)}` })
    const e = walk(schema, value, '')
    /* c8 ignore next -- the walk mirrors the compiled check; a disagreement would be a bug in this file */
    throw e ?? new DevRevError('bad_request', {}, { message: 'request does not match the schema' })
  }
}

/** How deep a JSON value may nest: far beyond any request or session, short of any stack limit. */
export const MAX_JSON_DEPTH = 64

/**
 * What makes a parsed JSON value unsafe to keep, wherever it came in (a body, a file, a value): nesting
 * deeper than MAX_JSON_DEPTH (later recursion, such as serializing it, would overflow the stack), or
 * a `__proto__` or `constructor.prototype` key (prototype poisoning, should it ever be merged into an
 * object). Iterative, so the check itself never overflows; the DevRevError names the key's path.
 */
export function unsafeJson(value: unknown): DevRevError | undefined {
  return looksUnsafe(value) ? whatIsUnsafe(value) : undefined
}

/**
 * The check of every body, without the paths: objects and depths only, no string built. True when
 * something may be wrong (a `prototype` key anywhere); whatIsUnsafe then says what, if anything.
 */
function looksUnsafe(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const values: object[] = [value]
  const depths: number[] = [0]
  while (values.length > 0) {
    const v = values.pop()!
    const depth = depths.pop()!
    if (depth >= MAX_JSON_DEPTH) return true
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i]
        if (typeof x === 'object' && x !== null) {
          values.push(x)
          depths.push(depth + 1)
        }
      }
      continue
    }
    for (const key of Object.keys(v)) {
      if (key === '__proto__' || key === 'prototype') return true
      const x: unknown = (v as Record<string, unknown>)[key]
      if (typeof x === 'object' && x !== null) {
        values.push(x)
        depths.push(depth + 1)
      }
    }
  }
  return false
}

function whatIsUnsafe(value: unknown): DevRevError | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]]
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth >= MAX_JSON_DEPTH) return errors.notPermitted(path, `nests deeper than ${MAX_JSON_DEPTH} levels`)
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${path}[${i}]`, depth + 1])
      continue
    }
    for (const key of Object.keys(v)) {
      const at = join(path, key)
      if (key === '__proto__' || (key === 'prototype' && path.endsWith('constructor'))) {
        return errors.invalidField(at, `${at} is not allowed: it could alter an object's prototype`)
      }
      stack.push([(v as Record<string, unknown>)[key], at, depth + 1])
    }
  }
  return undefined
}

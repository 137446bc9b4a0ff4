/**
 * The `Prefer` request header (RFC 7240) as a fault rule for one request:
 * `Prefer: error=too_many_requests, retry_after=2`, `Prefer: code=503` (as Prism spells it),
 * `Prefer: delay=300`, `Prefer: fault=connection_reset`, and any own field of the error type
 * (`Prefer: error=invalid_field, field_name=cursor`). `code` is `status`, `delay` is `delay_ms`.
 *
 * Preferences that are not rule keys are ignored, as RFC 7240 asks of a server that does not know
 * them (`return=minimal`, Prism's `example=`, ...). A known key with a bad value is a 400 that names
 * it: the header goes through the same parser as the file and the admin API. `match` and the schedule
 * keys (`after`, `times`, `every`, `probability`) describe stored rules and are refused here.
 */
import { Kind, type TSchema } from '@sinclair/typebox'
import { DevRevError, errors } from '../contract/catalogue.ts'
import { FaultRule } from '../contract/schemas/faults.ts'
import { parseRule, type FaultRule as Rule } from '../core/faults/rules.ts'

export interface Preference {
  name: string
  /** undefined for a bare token (`Prefer: respond-async`). */
  value: string | undefined
}

const ALIASES: Readonly<Record<string, string>> = { code: 'status', delay: 'delay_ms' }
const STORED_ONLY = new Set(['match', 'after', 'times', 'every', 'probability'])
const RULE_KEYS = FaultRule.properties as Record<string, TSchema>
/** An RFC 7230 token: what may stand unquoted after `=`. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** Splits `text` on `sep` outside double-quoted strings. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted && c === '\\' && i + 1 < text.length) {
      current += c + text[++i]
      continue
    }
    if (c === '"') quoted = !quoted
    if (c === sep && !quoted) {
      parts.push(current)
      current = ''
    } else current += c
  }
  parts.push(current)
  return parts
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v
}

/** The preferences of one or more `Prefer` headers, in order; parameters after `;` are dropped. */
export function parsePreferences(header: string | string[] | undefined): Preference[] {
  if (header === undefined) return []
  const text = Array.isArray(header) ? header.join(',') : header
  const out: Preference[] = []
  for (const part of splitOutsideQuotes(text, ',')) {
    const [head = ''] = splitOutsideQuotes(part, ';')
    const eq = head.indexOf('=')
    const name = (eq === -1 ? head : head.slice(0, eq)).trim().toLowerCase()
    if (name === '') continue
    out.push({ name, value: eq === -1 ? undefined : unquote(head.slice(eq + 1).trim()) })
  }
  return out
}

/** A header value read as the rule key's JSON type wants it (numbers, booleans, comma lists). */
function coerce(schema: TSchema, value: string): unknown {
  switch (schema[Kind]) {
    case 'Integer':
    case 'Number':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
    case 'Boolean':
      return value === 'true' ? true : value === 'false' ? false : value
    case 'Array':
      return value === '' ? [] : value.split(',').map((v) => v.trim())
    default:
      return value
  }
}

export interface PreferRule {
  rule: Rule
  /** What the mock honoured, for the `Preference-Applied` response header. */
  applied: string
}

/** The fault rule a request's `Prefer` header asks for; undefined when it asks for none. */
export function preferRule(header: string | string[] | undefined): PreferRule | undefined {
  if (header === undefined) return undefined // most requests: nothing to parse or allocate
  const raw: Record<string, unknown> = {}
  const written = new Map<string, string>()
  const applied: string[] = []
  for (const { name, value } of parsePreferences(header)) {
    const key = ALIASES[name] ?? name
    if (!Object.hasOwn(RULE_KEYS, key)) continue
    if (STORED_ONLY.has(key)) {
      throw errors.invalidField(name, `Prefer header: ${name} belongs to stored rules (--faults, /__admin/faults), not to one request`)
    }
    raw[key] = coerce(RULE_KEYS[key]!, value ?? '')
    written.set(key, name)
    applied.push(value === undefined ? name : `${name}=${TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`}`)
  }
  if (written.size === 0) return undefined
  try {
    return { rule: parseRule(raw), applied: applied.join(', ') }
  } catch (e) {
    const err = e as DevRevError
    const field = String(err.fields.field_name)
    const name = written.get(field) ?? field
    throw new DevRevError(err.type, { ...err.fields, field_name: name }, { message: `Prefer header, ${name}: ${err.message}` })
  }
}

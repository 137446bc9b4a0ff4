/**
 * Fault rules: the one parser and validator behind all three ways in (the `--faults` file,
 * `POST /__admin/faults`, the `Prefer` header), and what a rule answers.
 *
 * A rule is checked in two steps: its shape against the TypeBox schema (src/contract/schemas/faults.ts; an
 * unknown key, a wrong type or an out-of-range value is named by the validator), then the rules
 * between keys that a schema cannot say (an error and a network fault at once, an own field that the
 * chosen error type does not have, a status without a canonical type, a rule that does nothing).
 * Every failure is a DevRevError whose `field_name` names the key at fault.
 */
import { readFileSync } from 'node:fs'
import {
  CANONICAL_TYPE_BY_STATUS,
  DevRevError,
  ERROR_CATALOGUE,
  errors,
  type ErrorType,
} from '../../contract/catalogue.ts'
import { compileValidator, isPlainObject, jsonType, unsafeJson } from '../validate.ts'
import { FaultRule, OWN_FIELDS, ownFieldsOf, type NetworkFault } from '../../contract/schemas/faults.ts'

export type { FaultRule } from '../../contract/schemas/faults.ts'

const validateShape = compileValidator<FaultRule>(FaultRule)

/** The same error with its field path put under `path` (e.g. `[2]`). */
function under(path: string, e: DevRevError): DevRevError {
  if (path === '') return e
  return new DevRevError(e.type, { ...e.fields, field_name: `${path}.${String(e.fields.field_name)}` }, { message: `rule ${path}: ${e.message}` })
}

/** The error type a rule answers with (from `error`, or `status` through its canonical type). */
export function errorTypeOf(rule: FaultRule): ErrorType | undefined {
  return rule.error ?? (rule.status === undefined ? undefined : CANONICAL_TYPE_BY_STATUS[rule.status])
}

/** The checks between keys (every error names its key in `field_name`). */
function checkSemantics(rule: FaultRule): void {
  if (rule.status !== undefined) {
    const canonical = CANONICAL_TYPE_BY_STATUS[rule.status]
    if (canonical === undefined) {
      throw errors.invalidEnum('status', String(rule.status), Object.keys(CANONICAL_TYPE_BY_STATUS))
    }
    if (rule.error !== undefined && ERROR_CATALOGUE[rule.error].status !== rule.status) {
      throw errors.notPermitted('status', `is ${rule.status}, but error ${rule.error} answers ${ERROR_CATALOGUE[rule.error].status}`)
    }
  }
  const type = errorTypeOf(rule)
  if (rule.fault !== undefined && type !== undefined) {
    throw errors.notPermitted('fault', 'cannot be combined with error or status: a rule answers one way')
  }
  if (type === undefined && rule.fault === undefined && rule.delay_ms === undefined) {
    throw new DevRevError(
      'missing_required_field',
      { field_name: 'error' },
      { message: 'a rule needs one of error, status, fault or delay_ms' },
    )
  }
  for (const key of Object.keys(rule)) {
    if (rule[key] === undefined) continue
    const own = Object.hasOwn(OWN_FIELDS, key)
    if (!own && key !== 'message' && key !== 'detail') continue
    if (type === undefined) throw errors.invalidField(key, `${key} needs an error or status to belong to`)
    if (own && !ownFieldsOf(type).includes(key)) {
      throw errors.invalidField(key, `${key} is not a field of ${type} (its fields: ${ownFieldsOf(type).join(', ') || 'none'})`)
    }
  }
}

/** Validates one rule; throws the DevRevError naming the bad key (under `path`, e.g. `[2]`). */
export function parseRule(value: unknown, path = ''): FaultRule {
  if (!isPlainObject(value)) {
    const actual = jsonType(value)
    throw new DevRevError(
      'unexpected_json_type',
      { field_name: path === '' ? 'rule' : path, expected: 'object', actual },
      { message: `a fault rule must be a JSON object, got ${actual}` },
    )
  }
  let rule: FaultRule
  try {
    const unsafe = unsafeJson(value)
    if (unsafe) throw unsafe
    rule = validateShape(value)
    checkSemantics(rule)
  } catch (e) {
    throw under(path, e as DevRevError)
  }
  return structuredClone(rule)
}

/** A rule or an array of rules (the admin API takes both); all valid, or the first bad one thrown. */
export function parseRules(value: unknown): FaultRule[] {
  return Array.isArray(value) ? value.map((v, i) => parseRule(v, `[${i}]`)) : [parseRule(value)]
}

/** A bad rule in a list as one line: `rule 2, key "status": ...`. */
export function ruleProblem(index: number, field: string, reason: string): string {
  return `rule ${index}${field === '' ? '' : `, key "${field}"`}: ${reason}`
}

/** A bad rule in a list (the `--faults` file), with its index and key, phrased for one line. */
export class FaultRuleError extends Error {
  readonly index: number
  readonly field: string
  constructor(index: number, field: string, reason: string) {
    super(ruleProblem(index, field, reason))
    this.name = 'FaultRuleError'
    this.index = index
    this.field = field
  }
}

/** How a caller wants a bad rule in a list reported: by default a FaultRuleError. */
export type RuleListFailure = (index: number, field: string, reason: string) => Error

/**
 * Validates a list of rules (the `--faults` file format: a JSON array); all or nothing. The first bad
 * rule is reported once, through `fail`, so a caller with its own error type does not re-wrap it.
 */
export function parseRuleList(
  value: unknown,
  fail: RuleListFailure = (index, field, reason) => new FaultRuleError(index, field, reason),
): FaultRule[] {
  if (!Array.isArray(value)) throw fail(-1, '', `must be a JSON array of rules, got ${jsonType(value)}`)
  return value.map((v, i) => {
    if (!isPlainObject(v)) throw fail(i, '', `must be a JSON object, got ${jsonType(v)}`)
    try {
      return parseRule(v)
    } catch (e) {
      const err = e as DevRevError
      throw fail(i, String(err.fields.field_name), err.message)
    }
  })
}

/** Reads a `--faults` file as JSON (parseRuleList validates it). */
export function loadFaultsFile(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new Error(`cannot read (${(e as NodeJS.ErrnoException).code})`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`)
  }
  return value
}

/** What a rule that fires does. */
export type Answer =
  | { kind: 'error'; error: DevRevError; delayMs: number }
  | { kind: 'network'; fault: NetworkFault; delayMs: number }
  | { kind: 'delay'; delayMs: number }

/** The answer of a valid rule: the error with its own fields filled (catalogue defaults, then the rule's). */
export function answerOf(rule: FaultRule): Answer {
  const delayMs = rule.delay_ms ?? 0
  if (rule.fault !== undefined) return { kind: 'network', fault: rule.fault, delayMs }
  const type = errorTypeOf(rule)
  if (type === undefined) return { kind: 'delay', delayMs }
  const fields: Record<string, unknown> = structuredClone({ ...ERROR_CATALOGUE[type].fields })
  for (const key of ownFieldsOf(type)) if (rule[key] !== undefined) fields[key] = rule[key]
  const error = new DevRevError(type, fields, { message: rule.message, detail: rule.detail })
  return { kind: 'error', error, delayMs }
}

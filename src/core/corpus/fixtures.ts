/**
 * Loading sessions in the fixtures format (`{"sessions": [...]}`), from a file or a value: all or
 * nothing, with the index and field at fault named in one line.
 */
import { readFileSync } from 'node:fs'
import { Corpus, type StoredSession } from '../../contract/schemas/sessions.js'
import { compileValidator, unsafeJson } from '../validate.js'
import { DevRevError } from '../../contract/catalogue.js'

const validateCorpus = compileValidator<Corpus>(Corpus)

/** A fixtures problem, phrased for one line of output or a 400 `field_name`. */
export class FixtureError extends Error {
  readonly field: string
  readonly reason: string
  constructor(field: string, reason: string, source?: string) {
    super(`${source ? `${source}: ` : ''}${field ? `${field}: ` : ''}${reason}`)
    this.name = 'FixtureError'
    this.field = field
    this.reason = reason
  }
}

/** What is wrong, without repeating the field the line already names. */
function reasonOf(err: DevRevError): string {
  const f = err.fields
  switch (err.type) {
    case 'missing_required_field':
      return 'is required'
    case 'invalid_field':
      return 'is not a field of a session in the fixtures format'
    case 'invalid_enum_value':
      return `must be one of ${(f.allowed_values as string[]).join(', ')}, got ${JSON.stringify(f.value)}`
    case 'unexpected_json_type':
      return `must be of type ${String(f.expected)}, got ${String(f.actual)}`
    case 'value_not_permitted':
      return String(f.reason)
    default:
      return err.message
  }
}

/** The first session whose id repeats one before it (per app and platform), as field and reason. */
export function duplicateSession(sessions: readonly StoredSession[]): { field: string; reason: string } | undefined {
  const seen = new Set<string>()
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!
    const key = `${s.version_key}\u0000${s.platform}\u0000${s.session_id}`
    if (seen.has(key)) {
      return { field: `sessions[${i}].session_id`, reason: `duplicate session_id ${s.session_id} for ${s.version_key}/${s.platform}` }
    }
    seen.add(key)
  }
  return undefined
}

/**
 * Validates a corpus value: schema, consistent type/platform, unique ids per app and platform. A
 * fault is reported once, as a FixtureError naming `source` (if any), then the index and field.
 */
export function parseCorpus(value: unknown, source?: string): StoredSession[] {
  let corpus: Corpus
  try {
    const unsafe = unsafeJson(value)
    if (unsafe) throw unsafe
    corpus = validateCorpus(value)
  } catch (e) {
    const err = e as DevRevError
    throw new FixtureError(String(err.fields.field_name ?? ''), reasonOf(err), source)
  }
  const dup = duplicateSession(corpus.sessions)
  if (dup) throw new FixtureError(dup.field, dup.reason, source)
  return corpus.sessions
}

/** Reads and validates a fixtures file; errors name the file, then the index and field. */
export function loadFixturesFile(path: string): StoredSession[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new FixtureError('', `cannot read fixtures file ${path}: ${(e as NodeJS.ErrnoException).code}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new FixtureError('', `fixtures file ${path} is not valid JSON: ${(e as Error).message}`)
  }
  return parseCorpus(value, `fixtures file ${path}`)
}

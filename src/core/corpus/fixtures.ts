/**
 * Loading sessions in the fixtures format (`{"sessions": [...]}`, or JSON Lines: one session a
 * line), from a file or a value: all or nothing, with the index (or line) and field at fault named
 * in one line.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { Corpus, type StoredSession } from '../../contract/schemas/sessions.ts'
import { compileValidator, unsafeJson } from '../validate.ts'
import { DevRevError } from '../../contract/catalogue.ts'
import { CorpusStore, StoreBuilder, type Progress } from './store.ts'

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

/** Whether a fixtures file is JSON Lines, by its name. */
export const isJsonLines = (path: string): boolean => /\.(jsonl|ndjson)$/i.test(path)

const MB = 1 << 20

/** The lines of a file, read in pieces: the whole text is never held. `onRead` gets the bytes read so far. */
export function* fileLines(path: string, chunkBytes = MB, onRead?: (bytes: number) => void): Generator<string> {
  const fd = openSync(path, 'r')
  let bytes = 0
  const buf = Buffer.allocUnsafe(chunkBytes)
  const utf8 = new StringDecoder('utf8')
  let rest = ''
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      bytes += n
      onRead?.(bytes)
      const text = rest + utf8.write(buf.subarray(0, n))
      let from = 0
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        yield text.slice(from, nl)
        from = nl + 1
      }
      rest = text.slice(from)
    }
    rest += utf8.end()
    if (rest !== '') yield rest
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads a JSON Lines fixtures file into a store, one session at a time (kept as compact text, never
 * as objects). A blank line is skipped; the first bad line stops with its number and field. A big
 * file takes minutes: `progress` hears of each megabyte read, then of the indexing.
 */
export function loadJsonLinesFile(path: string, progress?: Progress): CorpusStore {
  const source = `fixtures file ${path}`
  const b = new StoreBuilder()
  let n = 0
  try {
    const total = Math.ceil(statSync(path).size / MB)
    const onRead = progress && ((bytes: number) => progress(`reading ${path}:`, Math.ceil(bytes / MB), total, 'MB'))
    for (const raw of fileLines(path, MB, onRead)) {
      n++
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
      if (line.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (e) {
        throw new FixtureError(`line ${n}`, `is not valid JSON: ${(e as Error).message}`, source)
      }
      let session: StoredSession
      try {
        session = parseCorpus({ sessions: [value] })[0]!
      } catch (e) {
        const err = e as FixtureError
        const field = err.field.replace(/^sessions\[0\]\.?/, '')
        throw new FixtureError(`line ${n}${field ? `: ${field}` : ''}`, err.reason, source)
      }
      if (!b.add(session)) {
        throw new FixtureError(`line ${n}: session_id`, `duplicate session_id ${session.session_id} for ${session.version_key}/${session.platform}`, source)
      }
    }
  } catch (e) {
    if (e instanceof FixtureError) throw e
    throw new FixtureError('', `cannot read fixtures file ${path}: ${(e as NodeJS.ErrnoException).code}`)
  }
  return b.finish(progress)
}

/** A fixtures file as a store: JSON Lines streamed, JSON read whole. */
export function loadFixturesStore(path: string, progress?: Progress): CorpusStore {
  return isJsonLines(path) ? loadJsonLinesFile(path, progress) : CorpusStore.of(loadFixturesFile(path))
}

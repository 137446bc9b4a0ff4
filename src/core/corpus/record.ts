/**
 * A session as the store keeps it: the API's view, the hidden details only filters read, and its
 * JSON serialized once, so list pages copy bytes instead of serializing per request.
 */
import type { MobileDetails, ObservabilitySession, WebDetails } from '../../contract/schemas/sessions.ts'
import { ByteArena, type Slice } from './arena.ts'

export interface SessionRecord {
  /** The session exactly as the API returns it. */
  readonly session: ObservabilitySession
  readonly versionKey: string
  /** Hidden details as given (every key optional). */
  readonly details: MobileDetails | WebDetails
  readonly createdAtMs: number
  /** The session pre-serialized once, on first use. */
  json?: string
  /** The same JSON as UTF-8 bytes (and a comma) in the shared arena, once, on first use: list pages are assembled from these. */
  bytes?: Slice
}

/** The pre-serialized JSON of a session (memoized on the record). */
export function sessionJson(rec: SessionRecord): string {
  return (rec.json ??= JSON.stringify(rec.session))
}

/** Where every session's bytes are kept: one arena for the process, whatever store a record is of. */
const arena = new ByteArena()

/** The pre-serialized session as UTF-8 bytes followed by a comma (memoized on the record). */
export function sessionBytes(rec: SessionRecord): Slice {
  return (rec.bytes ??= arena.append(sessionJson(rec)))
}

/**
 * A session as the store keeps it: the API's view, the hidden details only filters read, and its
 * JSON serialized once, so list pages copy bytes instead of serializing per request.
 */
import type { MobileDetails, ObservabilitySession, WebDetails } from '../../contract/schemas/sessions.ts'

export interface SessionRecord {
  /** The session exactly as the API returns it. */
  readonly session: ObservabilitySession
  readonly versionKey: string
  /** Hidden details as given (every key optional). */
  readonly details: MobileDetails | WebDetails
  readonly createdAtMs: number
  /** The session pre-serialized once, on first use. */
  json?: string
  /** The same JSON as UTF-8 bytes, once, on first use: list pages are assembled from these. */
  bytes?: Buffer
}

/** The pre-serialized JSON of a session (memoized on the record). */
export function sessionJson(rec: SessionRecord): string {
  return (rec.json ??= JSON.stringify(rec.session))
}

/** The pre-serialized session as UTF-8 bytes (memoized on the record). */
export function sessionBytes(rec: SessionRecord): Buffer {
  return (rec.bytes ??= Buffer.from(sessionJson(rec)))
}

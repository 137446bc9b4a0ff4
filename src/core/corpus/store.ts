/**
 * The corpus: sessions as the API returns them, plus what only filters see. Partitioned by
 * (version_key, platform), the scope every request names, with a sorted index per sort order built
 * once and kept until the corpus changes; requests walk those indexes by reference and never copy.
 */
import type {
  MobileDetails,
  ObservabilitySession,
  StoredSession,
  WebDetails,
  Corpus,
} from '../../schemas/sessions.js'
import { compareRecords, type SortSpec, sortSpecKey } from '../query/sort.js'

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

const SEP = '\u0000'
const partitionKey = (versionKey: string, platform: string) => `${versionKey}${SEP}${platform}`

export class CorpusStore {
  readonly records: readonly SessionRecord[]
  readonly #partitions = new Map<string, SessionRecord[]>()
  readonly #byId = new Map<string, SessionRecord>()
  readonly #sorted = new Map<string, SessionRecord[]>()
  readonly #versionKeys: string[]

  /** Builds a store from sessions in the fixtures format; they must already be valid (see fixtures.ts). */
  constructor(sessions: readonly StoredSession[]) {
    const records: SessionRecord[] = []
    const keys = new Set<string>()
    for (const s of sessions) {
      const { version_key, details, ...session } = s
      const rec: SessionRecord = {
        session: session as ObservabilitySession,
        versionKey: version_key,
        details: details ?? {},
        createdAtMs: Date.parse(s.created_at),
      }
      records.push(rec)
      keys.add(version_key)
      const pk = partitionKey(version_key, s.platform)
      let part = this.#partitions.get(pk)
      if (!part) this.#partitions.set(pk, (part = []))
      part.push(rec)
      this.#byId.set(`${pk}${SEP}${s.session_id}`, rec)
    }
    this.records = records
    this.#versionKeys = [...keys].sort()
  }

  get size(): number {
    return this.records.length
  }

  versionKeys(): string[] {
    return [...this.#versionKeys]
  }

  get(versionKey: string, platform: string, sessionId: string): SessionRecord | undefined {
    return this.#byId.get(`${partitionKey(versionKey, platform)}${SEP}${sessionId}`)
  }

  /** The partition's sessions in `sort` order (tie-break by session_id); built once per order. */
  sorted(versionKey: string, platform: string, sort: SortSpec): readonly SessionRecord[] {
    const pk = partitionKey(versionKey, platform)
    const key = `${pk}${SEP}${sortSpecKey(sort)}`
    let index = this.#sorted.get(key)
    if (!index) {
      const part = this.#partitions.get(pk) ?? []
      index = [...part].sort((a, b) => compareRecords(sort, a, b))
      this.#sorted.set(key, index)
    }
    return index
  }

  /** The fixtures format: each session as the API returns it, plus `version_key` and `details`. */
  export(): Corpus {
    return {
      sessions: this.records.map((r) => ({ ...r.session, version_key: r.versionKey, details: r.details }) as StoredSession),
    }
  }
}

/** The pre-serialized JSON of a session (memoized on the record). */
export function sessionJson(rec: SessionRecord): string {
  return (rec.json ??= JSON.stringify(rec.session))
}

/** The pre-serialized session as UTF-8 bytes (memoized on the record). */
export function sessionBytes(rec: SessionRecord): Buffer {
  return (rec.bytes ??= Buffer.from(sessionJson(rec)))
}

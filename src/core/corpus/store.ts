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
} from '../../contract/schemas/sessions.js'
import { compareRecords, type SortSpec, sortSpecKey } from '../query/sort.js'
import type { SessionRecord } from './record.js'

const SEP = '\u0000'
/** Sorted indexes kept per partition: more than a client's usual handful of orders. */
export const MAX_SORTED = 16
const partitionKey = (versionKey: string, platform: string) => `${versionKey}${SEP}${platform}`

export class CorpusStore {
  readonly records: readonly SessionRecord[]
  /** version_key → platform → the partition's sessions and its sorted indexes by sort spec. */
  readonly #partitions = new Map<string, Map<string, Partition>>()
  readonly #byId = new Map<string, SessionRecord>()
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
      let platforms = this.#partitions.get(version_key)
      if (!platforms) this.#partitions.set(version_key, (platforms = new Map()))
      let part = platforms.get(s.platform)
      if (!part) platforms.set(s.platform, (part = { records: [], sorted: new Map() }))
      part.records.push(rec)
      this.#byId.set(`${partitionKey(version_key, s.platform)}${SEP}${s.session_id}`, rec)
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
  sorted(versionKey: string, platform: string, sort: SortSpec): SortedIndex {
    // Nested maps keyed by the request's own strings: no key built per request.
    const part = this.#partitions.get(versionKey)?.get(platform)
    if (!part) return EMPTY_INDEX
    const key = sortSpecKey(sort)
    let index = part.sorted.get(key)
    if (!index) {
      index = new SortedIndex([...part.records].sort((a, b) => compareRecords(sort, a, b)))
      // Bounded memory: past MAX_SORTED orders, the index built first is dropped (rebuilt if asked again).
      if (part.sorted.size >= MAX_SORTED) part.sorted.delete(part.sorted.keys().next().value!)
      part.sorted.set(key, index)
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

/** A partition's sessions (in stored order) and its sorted indexes, by sort spec. */
interface Partition {
  records: SessionRecord[]
  sorted: Map<string, SortedIndex>
}

/** A dictionary-encoded column: each session's value as a small code (-1 for none), in index order. */
export interface CodeColumn {
  codes: Int32Array
  dict: Map<string, number>
}

/**
 * A partition in one sort order, with columns of the values filters test most, built on first use
 * and kept with the index. A scan then reads one compact array in order instead of following
 * session → device_metadata → string for every session it passes: under load, those scattered
 * reads were most of a page's cost (docs/performance.md).
 */
export class SortedIndex {
  readonly records: readonly SessionRecord[]
  readonly #columns = new Map<string, CodeColumn | Float64Array | Uint8Array>()

  constructor(records: readonly SessionRecord[]) {
    this.records = records
  }

  get length(): number {
    return this.records.length
  }

  #column<T extends CodeColumn | Float64Array | Uint8Array>(name: string, build: () => T): T {
    let c = this.#columns.get(name) as T | undefined
    if (!c) this.#columns.set(name, (c = build()))
    return c
  }

  /** String values, dictionary-encoded. */
  codes(name: string, value: (r: SessionRecord) => string | undefined): CodeColumn {
    return this.#column(name, () => {
      const dict = new Map<string, number>()
      const codes = new Int32Array(this.records.length)
      this.records.forEach((r, i) => {
        const v = value(r)
        if (v === undefined) codes[i] = -1
        else {
          let c = dict.get(v)
          if (c === undefined) dict.set(v, (c = dict.size))
          codes[i] = c
        }
      })
      return { codes, dict }
    })
  }

  numbers(name: string, value: (r: SessionRecord) => number): Float64Array {
    return this.#column(name, () => Float64Array.from(this.records, value))
  }

  flags(name: string, value: (r: SessionRecord) => boolean): Uint8Array {
    return this.#column(name, () => Uint8Array.from(this.records, (r) => (value(r) ? 1 : 0)))
  }
}

/** The index of a partition without sessions (a version key or platform the corpus does not have). */
const EMPTY_INDEX = new SortedIndex([])

/**
 * The corpus: compact columns of what filters and sorts read (columns.ts), and a source that
 * rebuilds any one session whole (source.ts). Partitioned by (version_key, platform), the scope every
 * request names, with a sorted index per sort order: the default order is built as the corpus is
 * loaded, any other in one pass of counting sorts over ranks prepared at load, and kept until the
 * corpus changes. Requests walk those indexes by position and never copy sessions.
 */
import type { StoredSession } from '../../contract/schemas/sessions.ts'
import { DEFAULT_SORT, type SortField, type SortSpec, sortSpecKey } from '../query/sort.ts'
import type { SessionRecord } from './record.ts'
import { Columns, emptyRow, rowOfPlan, rowOfSession, type CodeColumn, type FlagColumn, type NumberColumn, type Row, type StringColumn } from './columns.ts'
import { CorpusGenerator, type CorpusGeneratorOptions } from './generate.ts'
import { GeneratedSource, PackedSource, type SessionSource } from './source.ts'

/** Sorted indexes kept per partition: more than a client's usual handful of orders. */
export const MAX_SORTED = 16
/** Sessions kept whole (with their memoized JSON) for the pages asked for most recently. */
export const RECORD_CACHE = 20_000

/** How far a long load has come, for a progress line: `done` of `total` sessions (or of another unit). */
export type Progress = (step: string, done: number, total: number, unit?: string) => void

export class CorpusStore {
  readonly #columns: Columns
  readonly #source: SessionSource
  readonly #partitions: readonly Partition[]
  /** version_key → platform → partition. */
  readonly #byScope = new Map<string, Map<string, Partition>>()
  readonly #versionKeys: string[]
  readonly #cache: RecordCache
  /** The index of a partition without sessions (a version key or platform the corpus does not have). */
  #empty: SortedIndex | undefined

  /** Use `of`, `generated` or `StoreBuilder#finish`. */
  constructor(built: Built, progress?: Progress) {
    this.#columns = built.columns
    this.#source = built.source
    this.#partitions = built.partitions
    this.#cache = new RecordCache(built.columns.size)
    const keys = new Set<string>()
    for (const p of built.partitions) {
      keys.add(p.versionKey)
      let platforms = this.#byScope.get(p.versionKey)
      if (!platforms) this.#byScope.set(p.versionKey, (platforms = new Map()))
      platforms.set(p.platform, p)
    }
    this.#versionKeys = [...keys].sort()
    // Ranks for every sort field and the default order, before the first request.
    let done = 0
    for (const p of this.#partitions) {
      p.prepare(this)
      done += p.positions.length
      progress?.('indexing', done, this.size)
    }
  }

  /** A store over sessions in the fixtures format; they must already be valid (see fixtures.ts). */
  static of(sessions: readonly StoredSession[]): CorpusStore {
    const b = new StoreBuilder(sessions.length)
    for (const s of sessions) b.add(s)
    return b.finish()
  }

  /** The generated corpus of a seed: only its plans are drawn now; sessions are rebuilt on demand. */
  static generated(opts: CorpusGeneratorOptions & { sessions: number }, progress?: Progress): CorpusStore {
    const gen = new CorpusGenerator(opts)
    const b = new StoreBuilder(opts.sessions, new GeneratedSource(gen))
    const row = emptyRow()
    for (let i = 0; i < opts.sessions; i++) {
      b.addRow(rowOfPlan(gen.plan(i), row))
      if (progress && ((i & 0xffff) === 0xffff || i === opts.sessions - 1)) progress('generating', i + 1, opts.sessions)
    }
    return b.finish(progress)
  }

  get size(): number {
    return this.#columns.size
  }

  versionKeys(): string[] {
    return [...this.#versionKeys]
  }

  get(versionKey: string, platform: string, sessionId: string): SessionRecord | undefined {
    const pos = this.#byScope.get(versionKey)?.get(platform)?.byId.get(sessionId)
    return pos === undefined ? undefined : this.record(pos)
  }

  /** How many sessions each app has on each platform, from the partitions (no session rebuilt). */
  partitionSizes(): Array<{ versionKey: string; platform: string; sessions: number }> {
    return this.#partitions.map((p) => ({ versionKey: p.versionKey, platform: p.platform, sessions: p.positions.length }))
  }

  /** The first session of a type, if any (an example for the API document). */
  sample(type: 'mobile' | 'web'): SessionRecord | undefined {
    const part = this.#partitions.find((p) => (p.platform === 'web') === (type === 'web') && p.positions.length > 0)
    return part ? this.record(part.positions[0]!) : undefined
  }

  /** The partition's sessions in `sort` order (tie-break by session_id). */
  sorted(versionKey: string, platform: string, sort: SortSpec): SortedIndex {
    // Nested maps keyed by the request's own strings: no key built per request.
    const part = this.#byScope.get(versionKey)?.get(platform)
    return part ? part.sorted(sort) : (this.#empty ??= new SortedIndex(this, new Int32Array(0)))
  }

  /** The session at a position, whole (kept in a bounded cache: the pages asked for recently). */
  record(pos: number): SessionRecord {
    let rec = this.#cache.get(pos)
    if (rec === undefined) {
      rec = this.peek(pos)
      this.#cache.add(pos, rec)
    }
    return rec
  }

  /** The session at a position, whole, without keeping it (a detail filter reading many). */
  peek(pos: number): SessionRecord {
    const cached = this.#cache.get(pos)
    if (cached) return cached
    const { version_key, details, ...session } = this.#source.session(pos)
    // Both sources give details: generated sessions have them, packed ones are stored with `{}` for none.
    return { session, versionKey: version_key, details: details!, createdAtMs: this.#columns.numbers[0]![pos]! } as SessionRecord
  }

  /** A sort key of the session at a position. */
  key(field: SortField, pos: number): number {
    return this.#columns.number(field)[pos]!
  }

  sessionId(pos: number): string {
    return this.#columns.sessionIds[pos]!
  }

  /** Each session as one line of fixtures-format JSON, in stored order (no line kept). */
  *lines(): Generator<string> {
    for (let i = 0; i < this.#columns.size; i++) yield this.#source.line(i)
  }

  get columns(): Columns {
    return this.#columns
  }
}

/**
 * The sessions asked for most recently, the first in the first out once RECORD_CACHE are kept. A
 * slot per position in a typed array instead of a Map: a page looks up 50 of them per request.
 */
class RecordCache {
  /** Per position: its ring slot + 1, or 0 when not kept. */
  readonly #slotOf: Uint32Array
  readonly #ring: Array<SessionRecord | undefined> = []
  readonly #posAt = new Int32Array(RECORD_CACHE)
  #next = 0

  constructor(size: number) {
    this.#slotOf = new Uint32Array(size)
  }

  get(pos: number): SessionRecord | undefined {
    const slot = this.#slotOf[pos]!
    return slot === 0 ? undefined : this.#ring[slot - 1]
  }

  add(pos: number, rec: SessionRecord): void {
    const slot = this.#next
    this.#next = slot + 1 === RECORD_CACHE ? 0 : slot + 1
    if (this.#ring[slot] !== undefined) this.#slotOf[this.#posAt[slot]!] = 0
    this.#ring[slot] = rec
    this.#posAt[slot] = pos
    this.#slotOf[pos] = slot + 1
  }
}

interface Built {
  columns: Columns
  source: SessionSource
  partitions: Partition[]
}

/**
 * Fills a store one session at a time (a streamed fixtures file never holds its sessions as
 * objects): the columns, the partitions, and the source that can give each session back.
 */
export class StoreBuilder {
  readonly #columns: Columns
  readonly #source: SessionSource
  readonly #packed: PackedSource | undefined
  readonly #partitions: Partition[] = []
  readonly #byScope = new Map<string, Map<string, Partition>>()
  readonly #row = emptyRow()

  /** `capacity`: sessions expected (the arrays grow past it). Without a source, sessions are kept packed. */
  constructor(capacity = 16, source?: SessionSource) {
    this.#columns = new Columns(capacity)
    this.#packed = source ? undefined : new PackedSource()
    this.#source = source ?? this.#packed!
  }

  /** The partition a new session of this scope joins, if its id is new there; undefined for a repeated id. */
  partitionOf(versionKey: string, platform: string, sessionId: string): Partition | undefined {
    let platforms = this.#byScope.get(versionKey)
    if (!platforms) this.#byScope.set(versionKey, (platforms = new Map()))
    let p = platforms.get(platform)
    if (!p) {
      p = new Partition(this.#partitions.length, versionKey, platform)
      this.#partitions.push(p)
      platforms.set(platform, p)
    }
    return p.byId.has(sessionId) ? undefined : p
  }

  /** Adds a valid session in the fixtures format (kept packed); false if its id repeats one in its scope. */
  add(s: StoredSession): boolean {
    const p = this.partitionOf(s.version_key, s.platform, s.session_id)
    if (!p) return false
    this.#packed!.add(s)
    p.add(this.#columns.push(rowOfSession(s, this.#row), p.id), s.session_id)
    return true
  }

  /** Adds the row of a session its source can rebuild. */
  addRow(row: Row): void {
    const p = this.partitionOf(row.versionKey, row.platform, row.sessionId)!
    p.add(this.#columns.push(row, p.id), row.sessionId)
  }

  finish(progress?: Progress): CorpusStore {
    for (const p of this.#partitions) p.seal()
    return new CorpusStore({ columns: this.#columns, source: this.#source, partitions: this.#partitions }, progress)
  }
}

/** One (version_key, platform): its sessions' positions, ids, per-field ranks and sorted indexes. */
export class Partition {
  readonly id: number
  readonly versionKey: string
  readonly platform: string
  readonly byId = new Map<string, number>()
  #list: number[] = []
  positions = new Int32Array(0)
  /** Local indexes (into `positions`) in session_id order: the tie-break of every sort. */
  #idOrder = new Int32Array(0)
  /** Per sort field: each session's dense rank (by local index) and the number of distinct values. */
  readonly #ranks = new Map<SortField, { rank: Int32Array; distinct: number }>()
  readonly #sorted = new Map<string, SortedIndex>()
  #store: CorpusStore | undefined

  constructor(id: number, versionKey: string, platform: string) {
    this.id = id
    this.versionKey = versionKey
    this.platform = platform
  }

  add(pos: number, sessionId: string): void {
    this.#list.push(pos)
    this.byId.set(sessionId, pos)
  }

  seal(): void {
    this.positions = Int32Array.from(this.#list)
    this.#list = []
  }

  /** Ranks of every sort field and the default order: all a later order needs is counting sorts. */
  prepare(store: CorpusStore): void {
    this.#store = store
    const n = this.positions.length
    const ids = store.columns.sessionIds
    const pos = this.positions
    // The ids sorted by the engine's own comparison (no comparator: UTF-16 code units, as `<` compares
    // strings), then found again through the partition's id map.
    const local = new Int32Array(store.size)
    for (let i = 0; i < n; i++) local[pos[i]!] = i
    const sortedIds = Array.from(pos, (p) => ids[p]!).sort()
    this.#idOrder = new Int32Array(n)
    for (let i = 0; i < n; i++) this.#idOrder[i] = local[this.byId.get(sortedIds[i]!)!]!
    const fields: SortField[] = this.platform === 'web' ? ['created_at', 'session_duration_ms', 'dead_click_count', 'rage_click_count'] : ['created_at', 'session_duration_ms']
    for (const f of fields) this.#ranks.set(f, denseRanks(store.columns.number(f as NumberColumn), pos))
    this.sorted(DEFAULT_SORT)
  }

  sorted(sort: SortSpec): SortedIndex {
    const key = sortSpecKey(sort)
    let index = this.#sorted.get(key)
    if (!index) {
      index = new SortedIndex(this.#store!, this.#order(sort))
      // Bounded memory: past MAX_SORTED orders, the index built first is dropped (rebuilt if asked again).
      if (this.#sorted.size >= MAX_SORTED) this.#sorted.delete(this.#sorted.keys().next().value!)
      this.#sorted.set(key, index)
    }
    return index
  }

  /** Positions in `sort` order: stable counting sorts by each key's rank, last key first, from id order. */
  #order(sort: SortSpec): Int32Array {
    const n = this.positions.length
    let order = this.#idOrder
    let out = new Int32Array(n)
    for (let k = sort.length - 1; k >= 0; k--) {
      const { field, dir } = sort[k]!
      const { rank, distinct } = this.#ranks.get(field)!
      const counts = new Int32Array(distinct + 1)
      for (let i = 0; i < n; i++) {
        const r = rank[order[i]!]!
        counts[(dir === 1 ? r : distinct - 1 - r) + 1]!++
      }
      for (let c = 1; c <= distinct; c++) counts[c]! += counts[c - 1]!
      for (let i = 0; i < n; i++) {
        const x = order[i]!
        const r = rank[x]!
        out[counts[dir === 1 ? r : distinct - 1 - r]!++] = x
      }
      ;[order, out] = [out, order === this.#idOrder ? new Int32Array(n) : order]
    }
    const positions = new Int32Array(n)
    for (let i = 0; i < n; i++) positions[i] = this.positions[order[i]!]!
    return positions
  }
}

/** Each session's rank among the distinct values of a column (0 = smallest), by local index. */
function denseRanks(col: Float64Array, positions: Int32Array): { rank: Int32Array; distinct: number } {
  const n = positions.length
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) values[i] = col[positions[i]!]!
  const sorted = values.slice().sort()
  let distinct = 0
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!
  const keys = sorted.subarray(0, distinct)
  const rank = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    let lo = 0
    let hi = distinct - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (keys[mid]! < v) lo = mid + 1
      else hi = mid
    }
    rank[i] = lo
  }
  return { rank, distinct }
}

/**
 * A partition in one sort order, by position, with columns of the values filters test in that
 * order, gathered on first use and kept with the index. A scan then reads compact arrays in order.
 */
export class SortedIndex {
  readonly store: CorpusStore
  readonly positions: Int32Array
  readonly #columns = new Map<string, CodeColumn | Float64Array | Uint8Array>()

  constructor(store: CorpusStore, positions: Int32Array) {
    this.store = store
    this.positions = positions
  }

  get length(): number {
    return this.positions.length
  }

  #column<T extends CodeColumn | Float64Array | Uint8Array>(name: string, build: (cols: Columns) => T): T {
    let c = this.#columns.get(name) as T | undefined
    if (!c) this.#columns.set(name, (c = build(this.store.columns)))
    return c
  }

  /** String values, dictionary-coded (the corpus's dictionary). */
  codes(name: StringColumn): CodeColumn {
    return this.#column(name, (cols) => {
      const { codes, dict } = cols.string(name)
      return { codes: gather(codes, this.positions, new Int32Array(this.length)), dict }
    })
  }

  numbers(name: NumberColumn): Float64Array {
    return this.#column(name, (cols) => gather(cols.number(name), this.positions, new Float64Array(this.length)))
  }

  flags(name: FlagColumn): Uint8Array {
    return this.#column(name, (cols) => {
      const bit = cols.flagBit(name)
      const out = new Uint8Array(this.length)
      for (let i = 0; i < out.length; i++) out[i] = (cols.flags[this.positions[i]!]! >> bit) & 1
      return out
    })
  }
}

function gather<T extends Int32Array | Float64Array>(from: T, positions: Int32Array, out: T): T {
  for (let i = 0; i < positions.length; i++) out[i] = from[positions[i]!]!
  return out
}

/**
 * The request journal: the last `--journal-size` requests to the emulated endpoints, oldest
 * first, in a bounded ring. No token and no body is kept in clear: a token appears as the first 16
 * hex digits of its sha256.
 *
 * Also the memory behind `early_retry`: the instant (virtual clock) before which each token was told,
 * by a `Retry-After`, not to come back.
 */
import { createHash } from 'node:crypto'
import type { JournalEntry } from '../contract/schemas/admin.ts'
import type { NetworkFault } from '../contract/schemas/faults.ts'
import { DEFAULTS } from './defaults.ts'


/** Identifies a token without keeping it: the first 16 hex digits of its sha256; null for none. */
export function tokenHash(token: string): string | null {
  if (token === '') return null
  // A client sends one token over and over: compared with the last one before any table lookup.
  if (token === last.token) return last.hash
  let h = hashes.get(token)
  if (h === undefined) {
    // A client keeps one token, so hashing once per token, not per request, is the hot path's saving.
    if (hashes.size >= MAX_MEMO) hashes.clear()
    h = createHash('sha256').update(token).digest('hex').slice(0, 16)
    hashes.set(token, h)
  }
  last.token = token
  last.hash = h
  return h
}
const MAX_MEMO = 1024
const hashes = new Map<string, string>()
const last = { token: '', hash: '' }

/**
 * What the journal keeps of a request, as gathered on the hot path: raw values (a time in epoch
 * ms), turned into a `JournalEntry` only when the journal is read.
 */
export interface JournalRecord {
  method: string
  /** The URL's path, without its query. */
  path: string
  status: number | null
  errorType: string | null
  ruleId: string | null
  fault: NetworkFault | null
  tokenHash: string | null
  /** Virtual clock at arrival (epoch ms). */
  receivedAt: number
  /** Real time spent answering (ms). */
  durationMs: number
  early: boolean
  /** The Retry-After the answer carried, in seconds; null for none. */
  retryAfter: number | null
  /** Who answered, when the mock forwards to an upstream. */
  source?: 'mock' | 'upstream'
}

/** A record to fill in (see Journal#recycle), every field present so that all records share one shape. */
export function blankRecord(): JournalRecord {
  return {
    method: '',
    path: '',
    status: null,
    errorType: null,
    ruleId: null,
    fault: null,
    tokenHash: null,
    receivedAt: 0,
    durationMs: 0,
    early: false,
    retryAfter: null,
    source: undefined,
  }
}

/** A journal record as `GET /__admin/requests` shows it. */
export function journalEntry(r: JournalRecord): JournalEntry {
  return {
    method: r.method,
    path: r.path,
    status: r.status,
    error_type: r.errorType,
    rule_id: r.ruleId,
    fault: r.fault,
    token_hash: r.tokenHash,
    received_at: new Date(r.receivedAt).toISOString(),
    duration_ms: Math.round(r.durationMs * 1000) / 1000,
    early_retry: r.early,
    retry_after: r.retryAfter,
    ...(r.source === undefined ? {} : { source: r.source }),
  }
}

/** What a journal subscriber hears: an entry (with its sequence number, from 1), or that it was emptied. */
export type JournalEvent<T> = { kind: 'entry'; seq: number; entry: T } | { kind: 'clear' }

/**
 * A bounded ring: pushing past `capacity` drops the oldest entry. It keeps items of type `R` and
 * lists them through `view` (formatting is paid when the journal is read, not per request, unless
 * someone subscribed). Every item gets a sequence number that never goes back, even when emptied,
 * so a live reader that reconnects can ask for what it missed.
 */
export class Journal<R, T = R> {
  readonly capacity: number
  readonly #view: (item: R) => T
  #items: (R | undefined)[]
  #start = 0
  #size = 0
  /** Sequence number of the last item pushed (0: none yet). */
  #seq = 0
  readonly #listeners = new Set<(event: JournalEvent<T>) => void>()

  constructor(capacity: number = DEFAULTS.journalSize, view: (item: R) => T = (item) => item as unknown as T) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('journal capacity must be a positive integer')
    this.capacity = capacity
    this.#view = view
    this.#items = new Array<R | undefined>(capacity)
  }

  get size(): number {
    return this.#size
  }

  /** Sequence number of the last item pushed (0: none yet). */
  get seq(): number {
    return this.#seq
  }

  /**
   * The item the next push overwrites (the oldest, once the ring is full), or undefined while that
   * slot is empty. A caller may fill it in place and push it back: a journal of the last N requests
   * then allocates N items once, instead of one per request that lives just long enough to be
   * promoted to the old generation and die there. Only with a view that copies what it shows.
   */
  recycle(): R | undefined {
    return this.#items[(this.#start + this.#size) % this.capacity]
  }

  push(item: R): void {
    const at = (this.#start + this.#size) % this.capacity
    this.#items[at] = item
    if (this.#size < this.capacity) this.#size++
    else this.#start = (this.#start + 1) % this.capacity
    this.#seq++
    if (this.#listeners.size > 0) this.#emit({ kind: 'entry', seq: this.#seq, entry: this.#view(item) })
  }

  /** Calls `listener` for every item pushed and every clear from now on; returns the unsubscribe. */
  subscribe(listener: (event: JournalEvent<T>) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** How many listeners are subscribed. */
  get listeners(): number {
    return this.#listeners.size
  }

  #emit(event: JournalEvent<T>): void {
    // A copy: a listener may unsubscribe itself (a waiter that found its entry).
    for (const listener of [...this.#listeners]) listener(event)
  }

  /** The entries still kept whose sequence number is above `seq`, oldest first, with their numbers. */
  since(seq: number): { seq: number; entry: T }[] {
    const out: { seq: number; entry: T }[] = []
    const first = this.#seq - this.#size + 1
    for (let i = Math.max(0, seq - first + 1); i < this.#size; i++) {
      out.push({ seq: first + i, entry: this.#view(this.#items[(this.#start + i) % this.capacity] as R) })
    }
    return out
  }

  /** Every entry, oldest first. */
  list(): T[] {
    const out: T[] = []
    for (let i = 0; i < this.#size; i++) out.push(this.#view(this.#items[(this.#start + i) % this.capacity] as R))
    return out
  }

  clear(): void {
    this.#items = new Array<R | undefined>(this.capacity)
    this.#start = 0
    this.#size = 0
    if (this.#listeners.size > 0) this.#emit({ kind: 'clear' })
  }
}

/** When each token may come back, as its last `Retry-After` said (virtual clock, epoch ms). */
export class RetryTracker {
  readonly #notBefore = new Map<string, number>()
  readonly #max: number

  /** `max`: how many tokens it remembers at most (the oldest is forgotten first). */
  constructor(max = 10_000) {
    this.#max = max
  }

  /** Records that `key` was told at `now` to wait `seconds`. */
  told(key: string, now: number, seconds: number): void {
    this.#notBefore.delete(key)
    if (this.#notBefore.size >= this.#max) this.#notBefore.delete(this.#notBefore.keys().next().value!)
    this.#notBefore.set(key, now + seconds * 1000)
  }

  /** Whether `key` is back at `now` before it was allowed to; once it waited long enough, forgotten. */
  isEarly(key: string, now: number): boolean {
    // The usual case: no answer has said Retry-After (or every client waited), so nothing to look up.
    if (this.#notBefore.size === 0) return false
    const notBefore = this.#notBefore.get(key)
    if (notBefore === undefined) return false
    if (now < notBefore) return true
    this.#notBefore.delete(key)
    return false
  }

  clear(): void {
    this.#notBefore.clear()
  }
}

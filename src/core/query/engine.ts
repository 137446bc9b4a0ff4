/**
 * The query engine: scope → filter → sort → keyset page → cursors. Pure: no Fastify, no clock of
 * its own (the caller passes `now`), no copy of the corpus per request.
 */
import { errors } from '../../contract/catalogue.ts'
import type { CorpusStore, SortedIndex } from '../corpus/store.ts'
import type { SessionRecord } from '../corpus/record.ts'
import type { ListRequest } from '../../contract/schemas/requests.ts'
import { compileFilter, dateWindow, NON_FILTER_KEYS, type Predicate } from './filter.ts'
import { compareToKeys, keysOf, parseSort, sortSpecKey, type SortSpec } from './sort.ts'
import { CursorCodec, type Gap } from './cursor.ts'
import { Digest } from './digest.ts'
import type { PageCache } from './page-cache.ts'
import { DEFAULTS } from '../defaults.ts'

export interface QueryContext {
  now: number
  maxLimit: number
  cursors: CursorCodec
  /** Pages answered recently (one of size 0 keeps none). */
  pages: PageCache<ListResult>
}

export interface ListResult {
  sessions: SessionRecord[]
  next_cursor?: string
  prev_cursor?: string
}

const PLATFORMS_BY_TYPE = { mobile: ['android', 'ios'], web: ['web'] } as const

/** `type` and `platform` must agree: mobile ↔ android/ios, web ↔ web. */
export function checkPlatform(req: Pick<ListRequest, 'type' | 'platform'>): void {
  const allowed: readonly string[] = PLATFORMS_BY_TYPE[req.type]
  // A loop rather than Array#includes: a call less on every list request.
  for (const p of allowed) if (p === req.platform) return
  throw errors.notPermitted('platform', `must be ${allowed.join(' or ')} for type ${req.type}`, {
    allowed_values: [...allowed],
  })
}

export function resolveLimit(limit: number | undefined, maxLimit: number): number {
  if (limit === undefined) return Math.min(DEFAULTS.limit, maxLimit)
  if (limit < 1) throw errors.notPermitted('limit', 'must be at least 1')
  return Math.min(limit, maxLimit)
}

/**
 * What a cursor is bound to: a digest of scope, sort and filters (not limit, mode or cursor), the same
 * whatever the order of the request's keys.
 */
export function queryDigest(req: ListRequest, sort: SortSpec): string {
  return new Digest()
    .text(req.type)
    .text(req.platform)
    .text(req.version_key)
    .text(sortSpecKey(sort))
    .object(req as unknown as Record<string, unknown>, NON_FILTER_KEYS)
    .hex()
}

/**
 * First position in [lo, hi) whose session lies after the gap (everything before it lies before the
 * gap), or hi. The primary sort key is read from the index's compact column, so the binary search
 * touches session records only where that key ties with the gap's.
 */
function gapIndex(index: SortedIndex, sort: SortSpec, gap: Gap, lo: number, hi: number): number {
  const primary = sort[0]!
  const col = index.numbers(primary.field)
  const key = gap.k[0]!
  const positions = index.positions
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const d = col[mid]! - key
    const c = d !== 0 ? d * primary.dir : compareToKeys(sort, index.store, positions[mid]!, gap.k, gap.i)
    // after the gap: c > 0 for a gap after X; c >= 0 for a gap before X
    if (c > 0 || (c === 0 && gap.s === 'b')) hi = mid
    else lo = mid + 1
  }
  return lo
}

const matches = (p: Predicate | undefined, i: number) => p === undefined || p(i)

/** First position in [lo, hi) where `after` holds, for a predicate that is false then true along the index. */
function boundary(lo: number, hi: number, after: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (after(mid)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * The slice of the index a range filter on the primary sort field allows (`created_at` window or
 * `session_duration` bounds): sessions outside it can never match, so no scan ever reads them. This
 * keeps a date-filtered walk's last page, and its `next_cursor` check, from reading the whole partition.
 */
export function scanBounds(index: SortedIndex, sort: SortSpec, req: ListRequest, now: number): [number, number] {
  const primary = sort[0]!
  let range: [number, number] | undefined
  if (primary.field === 'created_at' && req.created_at) range = dateWindow(req.created_at, now)
  else if (primary.field === 'session_duration_ms' && req.session_duration) {
    range = [req.session_duration.min_ms ?? -Infinity, req.session_duration.max_ms ?? Infinity]
  }
  if (!range) return [0, index.length]
  const [from, to] = range
  const key = index.numbers(primary.field)
  const n = index.length
  // Ascending: [first key >= from, first key > to). Descending: [first key <= to, first key < from).
  return primary.dir === 1
    ? [boundary(0, n, (i) => key[i]! >= from), boundary(0, n, (i) => key[i]! > to)]
    : [boundary(0, n, (i) => key[i]! <= to), boundary(0, n, (i) => key[i]! < from)]
}

function anyMatch(p: Predicate | undefined, from: number, to: number): boolean {
  if (from >= to) return false
  if (p === undefined) return true
  for (let i = from; i < to; i++) if (p(i)) return true
  return false
}

/**
 * Everything a page depends on besides its corpus: the query (scope, sort, filters), limit, mode,
 * cursor and the slice of the index the scan may read. The clock counts only where a relative
 * `created_at` window filters sessions by predicate rather than by that slice (another primary sort).
 */
function pageKey(req: ListRequest, query: string, limit: number, sort: SortSpec, lo: number, hi: number, now: number): string {
  const clock = req.created_at !== undefined && req.created_at.type !== 'range' && sort[0]!.field !== 'created_at' ? now : ''
  // An empty cursor (refused) is not the absent one.
  return `${query} ${limit} ${req.mode === 'before' ? 'b' : 'a'} ${lo} ${hi} ${clock}${req.cursor === undefined ? '' : ` c${req.cursor}`}`
}

export function listSessions(store: CorpusStore, req: ListRequest, ctx: QueryContext): ListResult {
  checkPlatform(req)
  const limit = resolveLimit(req.limit, ctx.maxLimit)
  const sort = parseSort(req.sort_by, req.type)
  const query = queryDigest(req, sort)
  const index = store.sorted(req.version_key, req.platform, sort)
  const [lo, hi] = scanBounds(index, sort, req, ctx.now)
  const pages = ctx.pages
  const key = pageKey(req, query, limit, sort, lo, hi, ctx.now)
  const kept = pages.get(store, key)
  if (kept !== undefined) return kept
  // A cursor refused, or any other error, throws here: only pages are kept, so it throws again next time.
  const page = findPage(store, req, ctx, { limit, sort, query, index, lo, hi })
  Object.freeze(page.sessions)
  pages.set(key, page)
  return page
}

interface Plan {
  limit: number
  sort: SortSpec
  query: string
  index: SortedIndex
  lo: number
  hi: number
}

function findPage(store: CorpusStore, req: ListRequest, ctx: QueryContext, { limit, sort, query, index, lo, hi }: Plan): ListResult {
  const before = req.mode === 'before'
  const positions = index.positions
  const pred = compileFilter(req, ctx.now, index, sort[0]!.field)
  let gap: Gap | undefined
  let g = before ? hi : lo
  if (req.cursor !== undefined) {
    gap = ctx.cursors.decode(query, req.cursor, sort.length)
    g = gapIndex(index, sort, gap, lo, hi)
  }

  // Collect up to `limit` matches reading away from the gap; `first`/`last` are index bounds of the page.
  const page: number[] = []
  let first = g
  let last = g - 1
  if (!before) {
    let i = g
    for (; i < hi && page.length < limit; i++) {
      if (!matches(pred, i)) continue
      if (page.length === 0) first = i
      page.push(positions[i]!)
    }
    last = i - 1
  } else {
    let i = g - 1
    for (; i >= lo && page.length < limit; i--) {
      if (!matches(pred, i)) continue
      if (page.length === 0) last = i
      page.push(positions[i]!)
    }
    first = i + 1
    page.reverse()
  }

  const result: ListResult = { sessions: page.map((pos) => store.record(pos)) }
  const hasPrev = anyMatch(pred, lo, first)
  const hasNext = anyMatch(pred, last + 1, hi)
  const at = (pos: number, s: Gap['s']): string => ctx.cursors.encode(query, { k: keysOf(sort, store, pos), i: store.sessionId(pos), s })
  if (page.length > 0) {
    if (hasNext) result.next_cursor = at(page[page.length - 1]!, 'a')
    if (hasPrev) result.prev_cursor = at(page[0]!, 'b')
  } else if (gap) {
    // An empty page at a cursor: hand back the same gap on the side where sessions remain.
    const same = ctx.cursors.encode(query, gap)
    if (hasNext) result.next_cursor = same
    if (hasPrev) result.prev_cursor = same
  }
  return result
}

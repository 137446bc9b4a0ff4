/**
 * `sort_by`: items `field:asc` / `field:desc` (bare `field` = asc), in priority order, ties always
 * broken by `session_id` ascending. Default `created_at:desc`.
 */
import { errors } from '../../contract/catalogue.ts'

export type SortField = 'created_at' | 'session_duration_ms' | 'dead_click_count' | 'rage_click_count'
export interface SortItem {
  field: SortField
  dir: 1 | -1
}
export type SortSpec = readonly SortItem[]

export const SORT_FIELDS: Record<'mobile' | 'web', readonly SortField[]> = {
  mobile: ['created_at', 'session_duration_ms'],
  web: ['created_at', 'session_duration_ms', 'dead_click_count', 'rage_click_count'],
}
export const DEFAULT_SORT: SortSpec = [{ field: 'created_at', dir: -1 }]

/** Parses `sort_by` for a session type, or throws `value_not_permitted` naming the item. */
export function parseSort(sortBy: readonly string[] | undefined, type: 'mobile' | 'web'): SortSpec {
  if (!sortBy || sortBy.length === 0) return DEFAULT_SORT
  const allowed = SORT_FIELDS[type]
  // Each field at most once: a repeat never changes the order, and refusing it bounds the items (and
  // the distinct orders the store keeps an index for) by the number of sortable fields.
  const seen = new Set<SortField>()
  return sortBy.map((item, i) => {
    const m = /^([a-z_]+)(?::(asc|desc))?$/.exec(item)
    const field = m?.[1] as SortField | undefined
    if (!m || !field || !allowed.includes(field)) {
      throw errors.notPermitted(`sort_by[${i}]`, `must be one of ${allowed.join(', ')}, optionally with :asc or :desc`, {
        allowed_values: allowed.flatMap((f) => [f, `${f}:asc`, `${f}:desc`]),
      })
    }
    if (seen.has(field)) throw errors.notPermitted(`sort_by[${i}]`, `repeats ${field}: each field may be given once`)
    seen.add(field)
    return { field, dir: m[2] === 'desc' ? -1 : 1 }
  })
}

const DEFAULT_SORT_KEY = 'created_at:desc'

export function sortSpecKey(sort: SortSpec): string {
  if (sort === DEFAULT_SORT) return DEFAULT_SORT_KEY // most requests: no string built
  return sort.map((s) => `${s.field}:${s.dir === 1 ? 'asc' : 'desc'}`).join(',')
}

/** What the engine reads of a session at a position of the corpus: its sort keys and its id. */
export interface SortKeys {
  key(field: SortField, pos: number): number
  sessionId(pos: number): string
}

/** The keys a cursor records for a session: its sort values, then its id. */
export function keysOf(sort: SortSpec, store: SortKeys, pos: number): number[] {
  return sort.map((s) => store.key(s.field, pos))
}

/** Compares the session at a position with a position given by sort keys and an id. */
export function compareToKeys(sort: SortSpec, store: SortKeys, pos: number, keys: readonly number[], id: string): number {
  for (let i = 0; i < sort.length; i++) {
    const s = sort[i]!
    const d = store.key(s.field, pos) - keys[i]!
    if (d !== 0) return d * s.dir
  }
  const sid = store.sessionId(pos)
  return sid < id ? -1 : sid > id ? 1 : 0
}

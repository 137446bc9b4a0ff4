/**
 * fast-check arbitraries for list filters, drawn from the corpus's actual values so that hits are
 * non-trivial: list filters pick among the values the scope really has (plus one that no session
 * has), custom-attribute filters pick real paths with values of their type, dates pick real
 * timestamps (the inclusive bounds get hit), substrings are cut from real texts.
 */
import fc from 'fast-check'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

export interface Scope {
  type: 'mobile' | 'web'
  platform: 'android' | 'ios' | 'web'
  version_key: string
  sessions: any[]
}

const DAY = 86_400_000

/** Sorted distinct values (deterministic pools for fast-check). */
export function uniq<T>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The (version_key, platform) scopes of a corpus, in a stable order. */
export function scopesOf(corpus: StoredSession[]): Scope[] {
  const map = new Map<string, Scope>()
  for (const s of corpus) {
    const key = `${s.version_key} ${s.platform}`
    let scope = map.get(key)
    if (!scope) map.set(key, (scope = { type: s.type, platform: s.platform, version_key: s.version_key, sessions: [] }))
    scope.sessions.push(s)
  }
  return [...map.keys()].sort().map((k) => map.get(k)!)
}

/** A list filter value: up to 3 values of the pool, or one nobody has; sometimes empty (no constraint). */
export function listOf<T>(pool: T[], absent: T): fc.Arbitrary<T[]> {
  const all = uniq([...pool, absent])
  const real = uniq(pool).length > 0 ? uniq(pool) : all
  return fc.oneof(
    { weight: 6, arbitrary: fc.subarray(real, { minLength: 1, maxLength: Math.min(3, real.length) }) },
    { weight: 2, arbitrary: fc.subarray(all, { minLength: 1, maxLength: Math.min(2, all.length) }) },
    { weight: 1, arbitrary: fc.constant([] as T[]) },
  )
}

/** Mostly a list holding `value` (and maybe one more of the pool), sometimes any list of the pool. */
export function around<T>(value: T | undefined, pool: T[], absent: T): fc.Arbitrary<T[]> {
  if (value === undefined) {
    return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined as unknown as T[]) }, { weight: 1, arbitrary: listOf(pool, absent) })
  }
  const others = uniq(pool).filter((v) => v !== value)
  const containing = fc.subarray(others, { maxLength: Math.min(1, others.length) }).map((xs) => [value, ...xs])
  return fc.oneof({ weight: 3, arbitrary: containing }, { weight: 1, arbitrary: listOf(pool, absent) })
}

/**
 * A record-list filter built around one real record (so that it often matches, and a session
 * holding it is a hit): each key present with probability ~1/2, its condition drawn by `parts`.
 */
export function aroundRecord<R>(
  records: R[],
  parts: (r: R) => Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  if (records.length === 0) return fc.constant({})
  return fc
    .constantFrom(...records)
    .chain((r) => fc.record(parts(r), { requiredKeys: [] }))
}

/** A value of the pool (or a fallback arbitrary when the pool is empty). */
export function oneOf<T>(pool: T[], fallback: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return pool.length > 0 ? fc.constantFrom(...uniq(pool)) : fallback
}

/** Substrings cut from real texts, plus a case-changed one (matching is case-sensitive). */
export function substringsOf(texts: string[]): string[] {
  const out: string[] = []
  for (const t of uniq(texts)) {
    out.push(t, t.slice(0, 4), t.slice(-5), t.slice(2, 9), t.toUpperCase())
  }
  return uniq(out.filter((s) => s !== ''))
}

/** Every path of a JSON object (dots into nested objects) with the value found there. */
export function pathsOf(obj: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return []
  const out: Array<[string, unknown]> = []
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix === '' ? k : `${prefix}.${k}`
    out.push([path, v])
    out.push(...pathsOf(v, path))
  }
  return out
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 })

/**
 * A session-custom-attribute-filter over the given objects (attributes or properties): mostly a real
 * path with a filter of its value's type whose conditions are drawn around a real value; sometimes a
 * path nobody has, the existence filters (`none`, no `filter_type`), or a filter of another type.
 */
export function attributeFilter(objects: unknown[]): fc.Arbitrary<Record<string, unknown>> {
  const byPath = new Map<string, unknown[]>()
  for (const o of objects) for (const [p, v] of pathsOf(o)) byPath.set(p, [...(byPath.get(p) ?? []), v])
  const real = uniq([...byPath.keys()])
  const path = real.length > 0
    ? fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: fc.constantFrom('no_such', 'plan.no_such') })
    : fc.constantFrom('no_such', 'plan.no_such')
  return path.chain((attribute_path) => {
    const values = byPath.get(attribute_path) ?? []
    const strings = uniq(values.filter((v): v is string => typeof v === 'string'))
    const ints = uniq(values.filter((v): v is number => Number.isInteger(v)))
    const value = values.length > 0 ? fc.constantFrom(...values) : fc.constant(undefined as unknown)
    return value.chain((v) => {
      const exists = [fc.constant({ attribute_path }), fc.constant({ attribute_path, filter_type: 'none' })]
      const bool = opt(fc.oneof(fc.constant(v === true), fc.boolean())).map((equals) => ({ attribute_path, filter_type: 'bool_filter', equals }))
      const bound = fc.oneof(
        fc.constant(typeof v === 'number' ? v : 0),
        oneOf(ints, fc.integer({ min: -3, max: 600 })),
      )
      const int = fc
        .record(
          { equals: around(Number.isInteger(v) ? (v as number) : undefined, ints, 987654), range: fc.record({ min: opt(bound), max: opt(bound) }) },
          { requiredKeys: [] },
        )
        .map((f) => ({ attribute_path, filter_type: 'int64_filter', ...f }))
      const text = typeof v === 'string' ? v : undefined
      const str = fc
        .record(
          {
            equals: around(text, strings, 'No-Such-Value'),
            contains: around(text === undefined ? undefined : substringsOf([text])[1] ?? text, substringsOf(strings), 'zzz'),
          },
          { requiredKeys: [] },
        )
        .map((f) => ({ attribute_path, filter_type: 'string_filter', ...f }))
      const ofType = typeof v === 'boolean' ? bool : Number.isInteger(v) ? int : typeof v === 'string' ? str : fc.oneof(...exists)
      return fc.oneof(
        { weight: 8, arbitrary: ofType },
        { weight: 1, arbitrary: fc.oneof(...exists) },
        { weight: 1, arbitrary: fc.oneof(bool, int, str) },
      )
    })
  })
}

/** Up to 2 attribute filters (all must hold). */
export const attributeFilters = (objects: unknown[]) => fc.array(attributeFilter(objects), { minLength: 1, maxLength: 2 })

/** One attribute filter, mostly on a path of `focus` (one record's object), else of any object. */
export const attributeFiltersAround = (focus: unknown, objects: unknown[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(attributeFilter([focus]), { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: attributeFilters(objects) },
  )

/** `2026-01-12T20:05:41.000+02:00`-style rendering of an instant at a given offset (minutes). */
export function isoAtOffset(ms: number, offsetMin: number): string {
  if (offsetMin === 0) return new Date(ms).toISOString()
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** A date filter: ranges bounded by real timestamps (±1 ms, various offsets) or presets. */
export function dateFilter(scope: Scope): fc.Arbitrary<Record<string, unknown>> {
  const times = uniq(scope.sessions.map((s) => Date.parse(s.created_at)))
  const instant = fc
    .tuple(oneOf(times, fc.constant(Date.UTC(2026, 0, 10))), fc.constantFrom(0, 0, -1, 1), fc.constantFrom(0, 0, 120, -330))
    .map(([t, shift, offset]) => isoAtOffset(t + shift, offset))
  return fc.oneof(
    fc.record({ type: fc.constant('range'), after: opt(instant), before: opt(instant) }),
    fc.record({
      type: fc.constant('preset'),
      preset_type: fc.constantFrom('last_n_days', 'next_n_days'),
      days: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(4294967295)),
    }),
  )
}

export function durationFilter(scope: Scope): fc.Arbitrary<Record<string, unknown>> {
  const ms = uniq(scope.sessions.map((s) => s.session_duration_ms as number))
  const bound = fc.oneof(oneOf(ms, fc.nat(4_000_000)), fc.nat(4_000_000))
  return fc.record({ min_ms: opt(bound), max_ms: opt(bound) }, { requiredKeys: [] })
}

/** Paging and sort for a walk: limits from 1 to above the max, every sort field of the type. */
export function paging(type: 'mobile' | 'web'): fc.Arbitrary<{ limit?: number; sort_by?: string[] }> {
  const fields = type === 'mobile' ? ['created_at', 'session_duration_ms'] : ['created_at', 'session_duration_ms', 'dead_click_count', 'rage_click_count']
  const item = fc.tuple(fc.constantFrom(...fields), fc.constantFrom('', ':asc', ':desc')).map(([f, d]) => `${f}${d}`)
  return fc.record(
    {
      limit: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 3, arbitrary: fc.constantFrom(25, 50, 100, 1000) }),
      // Each field at most once, as the API requires.
      sort_by: fc.uniqueArray(item, { minLength: 1, maxLength: 3, selector: (s) => s.split(':')[0] }),
    },
    { requiredKeys: [] },
  )
}

/** Collects the values a scope's sessions have at `get` (arrays flattened). */
export function valuesOf(scope: Scope, get: (s: any) => unknown): any[] {
  return uniq(scope.sessions.flatMap((s) => {
    const v = get(s)
    return v === undefined ? [] : Array.isArray(v) ? v : [v]
  }))
}

export const DAYS = DAY

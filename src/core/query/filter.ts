/**
 * The filters of both list variants, compiled once per request into one predicate.
 * All given filters must hold; a list filter holds when the value is one of the list; an empty list
 * is no constraint; a filter over a list of records holds when one record meets all its conditions.
 */
import type { MobileListRequest, WebListRequest, ListRequest } from '../../contract/schemas/requests.ts'
import type { DateFilter, SessionCustomAttributeFilter } from '../../contract/schemas/filters.ts'
import type { MobileDetails, WebDetails } from '../../contract/schemas/sessions.ts'
import type { FlagColumn, NumberColumn, StringColumn } from '../corpus/columns.ts'
import type { SortedIndex } from '../corpus/store.ts'
import type { SessionRecord } from '../corpus/record.ts'

/** Whether the session at a position of the sorted index matches. */
export type Predicate = (i: number) => boolean
type RecordTest = (rec: SessionRecord) => boolean

/**
 * Collects a request's conditions: those on a scalar value of the session as tests on the index's
 * compact columns (read first, in order), the rest as tests on the session record.
 */
class Conditions {
  readonly #idx: SortedIndex
  readonly #fast: Predicate[] = []
  readonly #slow: RecordTest[] = []

  constructor(idx: SortedIndex) {
    this.#idx = idx
  }

  /** The value is one of `list` (undefined never is). */
  oneOf(name: StringColumn, list: readonly string[]): void {
    const { codes, dict } = this.#idx.codes(name)
    const allowed = new Uint8Array(dict.size)
    for (const v of list) {
      const c = dict.get(v)
      if (c !== undefined) allowed[c] = 1
    }
    this.#fast.push((i) => {
      const c = codes[i]!
      return c >= 0 && allowed[c] === 1
    })
  }

  /** from <= value <= to. */
  within(name: NumberColumn, from: number, to: number): void {
    const col = this.#idx.numbers(name)
    this.#fast.push((i) => col[i]! >= from && col[i]! <= to)
  }

  flag(name: FlagColumn, want: boolean): void {
    const col = this.#idx.flags(name)
    const w = want ? 1 : 0
    this.#fast.push((i) => col[i] === w)
  }

  record(test: RecordTest): void {
    this.#slow.push(test)
  }

  build(): Predicate | undefined {
    const fast = this.#fast
    const slow = this.#slow
    const positions = this.#idx.positions
    const store = this.#idx.store
    if (fast.length + slow.length === 0) return undefined
    // The usual requests test one or two columns: called directly, without a loop per position.
    if (slow.length === 0 && fast.length <= 2) {
      const [a, b] = fast as [Predicate, Predicate?]
      return b === undefined ? a : (i) => a(i) && b(i)
    }
    return (i) => {
      for (const p of fast) if (!p(i)) return false
      if (slow.length === 0) return true
      // Detail filters read the whole session: the compact columns do not hold details.
      const r = store.peek(positions[i]!)
      for (const t of slow) if (!t(r)) return false
      return true
    }
  }
}
type Json = Record<string, unknown>

const DAY_MS = 86_400_000
const NONE: readonly never[] = []

/** Request keys that are not filters. */
export const NON_FILTER_KEYS = new Set(['type', 'platform', 'version_key', 'cursor', 'limit', 'mode', 'sort_by'])

const active = (list: readonly unknown[] | undefined): list is readonly unknown[] => list !== undefined && list.length > 0
/** Whether a record filter says anything: an empty list, or an object of empty lists, is no constraint. */
export function constrains(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0
  if (v !== null && typeof v === 'object') return Object.values(v).some(constrains)
  return v !== undefined
}
const inList = (list: readonly unknown[], v: unknown) => v !== undefined && list.includes(v)

/** Looks up a dotted path in a JSON object; `found` tells a missing key from an undefined value. */
export function lookupPath(obj: Json | undefined, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = obj
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return { found: false }
    cur = (cur as Json)[part]
  }
  return { found: true, value: cur }
}

/** One custom-attribute filter against a JSON object (attributes or properties). */
export function attributeMatches(f: SessionCustomAttributeFilter, obj: Json | undefined): boolean {
  const { found, value } = lookupPath(obj, f.attribute_path)
  if (!found) return false
  switch (f.filter_type) {
    case 'bool_filter':
      return typeof value === 'boolean' && (f.equals === undefined || value === f.equals)
    case 'int64_filter': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return false
      if (active(f.equals) && !f.equals.includes(value)) return false
      if (f.range?.min !== undefined && value < f.range.min) return false
      if (f.range?.max !== undefined && value > f.range.max) return false
      return true
    }
    case 'string_filter': {
      if (typeof value !== 'string') return false
      if (active(f.equals) && !f.equals.includes(value)) return false
      if (active(f.contains) && !f.contains.some((c) => value.includes(c))) return false
      return true
    }
    default:
      return true
  }
}

const allAttributes = (filters: readonly SessionCustomAttributeFilter[] | undefined, obj: Json | undefined) =>
  !filters || filters.every((f) => attributeMatches(f, obj))

/** The inclusive [from, to] window of a date filter, read on the virtual clock. */
export function dateWindow(f: DateFilter, now: number): [number, number] {
  if (f.type === 'range') {
    return [f.after === undefined ? -Infinity : Date.parse(f.after), f.before === undefined ? Infinity : Date.parse(f.before)]
  }
  return f.preset_type === 'last_n_days' ? [now - f.days * DAY_MS, now] : [now, now + f.days * DAY_MS]
}

function common(req: ListRequest, now: number, c: Conditions, bounded: string): void {
  if (active(req.rev_org)) c.oneOf('rev_org_id', req.rev_org)
  if (active(req.rev_user)) c.oneOf('rev_user_id', req.rev_user)
  if (req.created_at && bounded !== 'created_at') {
    const [from, to] = dateWindow(req.created_at, now)
    c.within('created_at', from, to)
  }
  if (req.session_duration && bounded !== 'session_duration_ms') {
    const { min_ms = -Infinity, max_ms = Infinity } = req.session_duration
    c.within('session_duration_ms', min_ms, max_ms)
  }
  if (req.is_anonymous !== undefined) c.flag('is_anonymous', req.is_anonymous)
  if (req.session_attributes && req.session_attributes.length > 0) {
    const fs = req.session_attributes
    c.record((r) => allAttributes(fs, r.details.attributes))
  }
}

// The tables below are built once, not per request: request field, column name, how to read it.

/** The list filters of a table that the request gives (an empty list is no constraint). */
function metaFilters<F extends string>(
  req: Partial<Record<F, readonly string[]>>,
  table: readonly (readonly [F, StringColumn])[],
  c: Conditions,
): void {
  for (const [field, name] of table) {
    const list = req[field]
    if (active(list)) c.oneOf(name, list)
  }
}

/** Request list fields → the `device_metadata` columns they filter. */
const MOBILE_META = [
  ['app_version', 'device_metadata.app_version'],
  ['device_model', 'device_metadata.model'],
  ['manufacturer', 'device_metadata.manufacturer'],
  ['network_type', 'device_metadata.network_type'],
  ['os_version', 'device_metadata.os_version'],
] as const
const MOBILE_FLAGS = ['has_exception_occurred', 'is_anr', 'is_crash', 'rage_tap'] as const

function mobile(req: MobileListRequest, c: Conditions): void {
  const d = (r: SessionRecord) => r.details as MobileDetails
  metaFilters(req, MOBILE_META, c)
  for (const flag of MOBILE_FLAGS) {
    const b = req[flag]
    if (b !== undefined) c.flag(flag, b)
  }
  if (active(req.screen_name)) {
    const l = req.screen_name
    c.record((r) => (d(r).screen_names ?? NONE).some((n) => l.includes(n)))
  }
  const ce = req.custom_events
  if (ce && constrains(ce)) {
    c.record((r) =>
      (d(r).custom_events ?? NONE).some(
        (e) =>
          (!active(ce.event_name) || ce.event_name.includes(e.name)) &&
          (!active(ce.exception_class_name) || inList(ce.exception_class_name, e.exception_class_name)) &&
          allAttributes(ce.properties_filters, e.properties),
      ),
    )
  }
  const rt = req.response_time_list
  if (rt && constrains(rt)) {
    const rtt = rt.round_trip_time
    c.record((r) =>
      (d(r).api_calls ?? NONE).some(
        (c) =>
          (!active(rt.api_name) || rt.api_name.includes(c.api_name)) &&
          allAttributes(rt.request_properties, c.request_properties) &&
          allAttributes(rt.response_properties, c.response_properties) &&
          (!rtt ||
            ((!active(rtt.equals_ms) || rtt.equals_ms.includes(c.round_trip_time_ms)) &&
              (rtt.range?.min_ms === undefined || c.round_trip_time_ms >= rtt.range.min_ms) &&
              (rtt.range?.max_ms === undefined || c.round_trip_time_ms <= rtt.range.max_ms))),
      ),
    )
  }
}

const webD = (r: SessionRecord) => r.details as WebDetails
const WEB_META = [
  ['browser', 'device_metadata.browser'],
  ['browser_version', 'device_metadata.browser_version'],
  ['device_type', 'device_metadata.type'],
  ['network_type', 'device_metadata.network_type'],
  ['os', 'device_metadata.os'],
] as const
const WEB_PAGES = [
  ['page_name', 'name'],
  ['page_url', 'url'],
  ['normalized_url', 'normalized_url'],
] as const
/** `has_*` filters: flags the columns hold (clicks counted, console and network logs scanned at load). */
const WEB_FLAGS = ['has_dead_clicks', 'has_rage_clicks', 'has_console_errors', 'has_network_errors'] as const

function web(req: WebListRequest, c: Conditions): void {
  const d = webD
  metaFilters(req, WEB_META, c)
  for (const [field, key] of WEB_PAGES) {
    const list = req[field]
    if (active(list)) c.record((r) => (d(r).pages ?? NONE).some((p) => inList(list, p[key])))
  }
  for (const flag of WEB_FLAGS) {
    const b = req[flag]
    if (b !== undefined) c.flag(flag, b)
  }
  const cl = req.console_logs
  if (cl && constrains(cl)) {
    c.record((r) =>
      (d(r).console_logs ?? NONE).some(
        (l) =>
          (!active(cl.log_type) || cl.log_type.includes(l.log_type)) &&
          (!active(cl.full_url) || inList(cl.full_url, l.full_url)) &&
          (!active(cl.body) || cl.body.some((b) => (l.body ?? '').includes(b))),
      ),
    )
  }
  const ev = req.events
  if (ev && constrains(ev)) {
    c.record((r) =>
      (d(r).events ?? NONE).some(
        (e) =>
          (ev.is_dead === undefined || (e.is_dead ?? false) === ev.is_dead) &&
          (ev.is_rage === undefined || (e.is_rage ?? false) === ev.is_rage) &&
          (!active(ev.value) || inList(ev.value, e.value)),
      ),
    )
  }
  const nl = req.network_logs
  if (nl && constrains(nl)) {
    c.record((r) =>
      (d(r).network_logs ?? NONE).some(
        (l) =>
          (!active(nl.request_method) || nl.request_method.includes(l.request_method)) &&
          (!active(nl.request_url) || nl.request_url.includes(l.request_url)) &&
          (!active(nl.response_status) || nl.response_status.includes(l.response_status)),
      ),
    )
  }
  const ce = req.custom_events
  if (ce && constrains(ce)) {
    c.record((r) =>
      (d(r).custom_events ?? NONE).some(
        (e) =>
          (!active(ce.event_name) || ce.event_name.includes(e.name)) &&
          allAttributes(ce.event_details_filters, e.properties),
      ),
    )
  }
}

/**
 * One predicate over positions of `idx` for all the request's filters, or undefined when it has none.
 * `bounded`: the index's primary sort field, whose range filter the scan's bounds already enforce
 * (`scanBounds`), so that no position is tested for it again.
 */
export function compileFilter(req: ListRequest, now: number, idx: SortedIndex, bounded: string): Predicate | undefined {
  const c = new Conditions(idx)
  common(req, now, c, bounded)
  if (req.type === 'mobile') mobile(req, c)
  else web(req, c)
  return c.build()
}

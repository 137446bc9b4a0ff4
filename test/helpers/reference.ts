/**
 * A plain reference implementation of `observability.sessions.list`, written from the filter semantics and the
 * README's choices, independently of src/core/query (which it must never import): filter every
 * exported session with straightforward loops, sort the survivors with one comparator, done.
 * Property tests compare the mock's full walk (all pages) against `referenceList`.
 *
 * Input is the fixtures format exactly as `GET /__admin/corpus` exports it.
 */
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

type Json = Record<string, unknown>
/** A list request as sent on the wire (loosely typed on purpose: tests build them freely). */
export type Req = Record<string, any>

const DAY = 24 * 60 * 60 * 1000

/** A list filter constrains only when it has at least one value. */
function hasValues(list: unknown): list is unknown[] {
  return Array.isArray(list) && list.length > 0
}

/** `list` holds for `value` when the list is absent or empty, or contains the value. */
function listHolds(list: unknown, value: unknown): boolean {
  if (!hasValues(list)) return true
  if (value === undefined) return false
  return list.includes(value)
}

/** Walks a dotted path through nested plain objects (never into arrays). */
export function getPath(obj: unknown, path: string): { exists: boolean; value: unknown } {
  let current: unknown = obj
  for (const key of path.split('.')) {
    const isObject = typeof current === 'object' && current !== null && !Array.isArray(current)
    if (!isObject || !Object.keys(current as Json).includes(key)) return { exists: false, value: undefined }
    current = (current as Json)[key]
  }
  return { exists: true, value: current }
}

/** One session-custom-attribute-filter against an attributes/properties object. */
export function attributeFilterHolds(filter: Req, obj: unknown): boolean {
  const { exists, value } = getPath(obj, filter.attribute_path)
  if (!exists) return false
  const type = filter.filter_type ?? 'none'
  if (type === 'none') return true
  if (type === 'bool_filter') {
    if (typeof value !== 'boolean') return false
    return filter.equals === undefined || filter.equals === value
  }
  if (type === 'int64_filter') {
    if (typeof value !== 'number' || Math.floor(value) !== value) return false
    if (hasValues(filter.equals) && !filter.equals.includes(value)) return false
    if (filter.range && filter.range.min !== undefined && value < filter.range.min) return false
    if (filter.range && filter.range.max !== undefined && value > filter.range.max) return false
    return true
  }
  if (type === 'string_filter') {
    if (typeof value !== 'string') return false
    if (hasValues(filter.equals) && !filter.equals.includes(value)) return false
    if (hasValues(filter.contains) && !filter.contains.some((c) => value.indexOf(String(c)) >= 0)) return false
    return true
  }
  throw new Error(`reference: unknown filter_type ${type}`)
}

function allAttributeFilters(filters: Req[] | undefined, obj: unknown): boolean {
  for (const f of filters ?? []) if (!attributeFilterHolds(f, obj)) return false
  return true
}

/**
 * Whether a record-list filter says anything at all. Choice shared with the mock (README): a
 * filter whose every list is empty (or that is `{}`) is no constraint, like an empty list filter.
 */
function recordFilterIsEmpty(filter: Req): boolean {
  for (const value of Object.values(filter)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      if (value.length > 0) return false
    } else if (typeof value === 'object' && value !== null) {
      if (!recordFilterIsEmpty(value)) return false
    } else {
      return false
    }
  }
  return true
}

/** A record-list filter holds when one single record meets all of its conditions. */
function someRecord<T>(records: T[] | undefined, filter: Req | undefined, holds: (r: T) => boolean): boolean {
  if (filter === undefined || recordFilterIsEmpty(filter)) return true
  for (const r of records ?? []) if (holds(r)) return true
  return false
}

function inRange(v: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || v >= min) && (max === undefined || v <= max)
}

/** The inclusive window of a date filter, `now` being the virtual clock. */
export function dateBounds(f: Req, now: number): [number, number] {
  if (f.type === 'range') {
    const from = f.after === undefined ? Number.NEGATIVE_INFINITY : new Date(f.after).getTime()
    const to = f.before === undefined ? Number.POSITIVE_INFINITY : new Date(f.before).getTime()
    return [from, to]
  }
  if (f.preset_type === 'last_n_days') return [now - f.days * DAY, now]
  return [now, now + f.days * DAY]
}

function commonHolds(s: any, req: Req, now: number): boolean {
  const d = s.details ?? {}
  if (!listHolds(req.rev_org, s.rev_org_id)) return false
  if (!listHolds(req.rev_user, s.rev_user_id)) return false
  if (req.created_at) {
    const [from, to] = dateBounds(req.created_at, now)
    const t = new Date(s.created_at).getTime()
    if (t < from || t > to) return false
  }
  if (req.session_duration && !inRange(s.session_duration_ms, req.session_duration.min_ms, req.session_duration.max_ms)) {
    return false
  }
  if (req.is_anonymous !== undefined && (d.is_anonymous === true) !== req.is_anonymous) return false
  if (!allAttributeFilters(req.session_attributes, d.attributes)) return false
  return true
}

function mobileHolds(s: any, req: Req): boolean {
  const d = s.details ?? {}
  const m = s.device_metadata
  if (!listHolds(req.app_version, m.app_version)) return false
  if (!listHolds(req.device_model, m.model)) return false
  if (!listHolds(req.manufacturer, m.manufacturer)) return false
  if (!listHolds(req.network_type, m.network_type)) return false
  if (!listHolds(req.os_version, m.os_version)) return false
  for (const flag of ['has_exception_occurred', 'is_anr', 'is_crash', 'rage_tap']) {
    if (req[flag] !== undefined && s[flag] !== req[flag]) return false
  }
  if (hasValues(req.screen_name) && !(d.screen_names ?? []).some((n: string) => req.screen_name.includes(n))) return false
  const ce = req.custom_events
  const ceOk = someRecord(d.custom_events, ce, (e: any) =>
    listHolds(ce.event_name, e.name) &&
    listHolds(ce.exception_class_name, e.exception_class_name) &&
    allAttributeFilters(ce.properties_filters, e.properties),
  )
  if (!ceOk) return false
  const rt = req.response_time_list
  const rtOk = someRecord(d.api_calls, rt, (c: any) => {
    if (!listHolds(rt.api_name, c.api_name)) return false
    if (!allAttributeFilters(rt.request_properties, c.request_properties)) return false
    if (!allAttributeFilters(rt.response_properties, c.response_properties)) return false
    const rtt = rt.round_trip_time
    if (rtt) {
      if (!listHolds(rtt.equals_ms, c.round_trip_time_ms)) return false
      if (rtt.range && !inRange(c.round_trip_time_ms, rtt.range.min_ms, rtt.range.max_ms)) return false
    }
    return true
  })
  return rtOk
}

function webHolds(s: any, req: Req): boolean {
  const d = s.details ?? {}
  const m = s.device_metadata
  if (!listHolds(req.browser, m.browser)) return false
  if (!listHolds(req.browser_version, m.browser_version)) return false
  if (!listHolds(req.device_type, m.type)) return false
  if (!listHolds(req.network_type, m.network_type)) return false
  if (!listHolds(req.os, m.os)) return false
  const pages: any[] = d.pages ?? []
  if (hasValues(req.page_name) && !pages.some((p) => p.name !== undefined && req.page_name.includes(p.name))) return false
  if (hasValues(req.page_url) && !pages.some((p) => req.page_url.includes(p.url))) return false
  if (hasValues(req.normalized_url) && !pages.some((p) => p.normalized_url !== undefined && req.normalized_url.includes(p.normalized_url))) {
    return false
  }
  const logs: any[] = d.console_logs ?? []
  const net: any[] = d.network_logs ?? []
  if (req.has_dead_clicks !== undefined && (s.dead_click_count > 0) !== req.has_dead_clicks) return false
  if (req.has_rage_clicks !== undefined && (s.rage_click_count > 0) !== req.has_rage_clicks) return false
  if (req.has_console_errors !== undefined && logs.some((l) => l.log_type === 'error') !== req.has_console_errors) return false
  if (req.has_network_errors !== undefined && net.some((l) => l.response_status >= 400) !== req.has_network_errors) return false
  const cl = req.console_logs
  const clOk = someRecord(logs, cl, (l: any) =>
    listHolds(cl.log_type, l.log_type) &&
    listHolds(cl.full_url, l.full_url) &&
    // Full-text search: a substring of the body, case-sensitive.
    (!hasValues(cl.body) || cl.body.some((b: string) => String(l.body ?? '').indexOf(b) >= 0)),
  )
  if (!clOk) return false
  const ev = req.events
  const evOk = someRecord(d.events, ev, (e: any) =>
    (ev.is_dead === undefined || (e.is_dead === true) === ev.is_dead) &&
    (ev.is_rage === undefined || (e.is_rage === true) === ev.is_rage) &&
    listHolds(ev.value, e.value),
  )
  if (!evOk) return false
  const nl = req.network_logs
  const nlOk = someRecord(net, nl, (l: any) =>
    listHolds(nl.request_method, l.request_method) &&
    listHolds(nl.request_url, l.request_url) &&
    listHolds(nl.response_status, l.response_status),
  )
  if (!nlOk) return false
  const ce = req.custom_events
  return someRecord(d.custom_events, ce, (e: any) =>
    listHolds(ce.event_name, e.name) && allAttributeFilters(ce.event_details_filters, e.properties),
  )
}

/** Whether one exported session matches a list request's scope and filters. */
export function matches(s: StoredSession, req: Req, now: number): boolean {
  if (s.version_key !== req.version_key || s.platform !== req.platform || s.type !== req.type) return false
  if (!commonHolds(s, req, now)) return false
  return req.type === 'mobile' ? mobileHolds(s, req) : webHolds(s, req)
}

function sortValue(s: any, field: string): number {
  return field === 'created_at' ? new Date(s.created_at).getTime() : s[field]
}

/** Sorts by `sort_by` (default `created_at:desc`), ties broken by `session_id` ascending. */
export function referenceSort(sessions: StoredSession[], sortBy: string[] | undefined): StoredSession[] {
  const items = (sortBy && sortBy.length > 0 ? sortBy : ['created_at:desc']).map((item) => {
    const [field, dir] = item.split(':')
    return { field: field!, desc: dir === 'desc' }
  })
  return [...sessions].sort((a, b) => {
    for (const { field, desc } of items) {
      const x = sortValue(a, field)
      const y = sortValue(b, field)
      if (x < y) return desc ? 1 : -1
      if (x > y) return desc ? -1 : 1
    }
    return a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0
  })
}

/** Every session the request selects, in its order: what a full walk must return. */
export function referenceList(corpus: StoredSession[], req: Req, now: number): StoredSession[] {
  return referenceSort(
    corpus.filter((s) => matches(s, req, now)),
    req.sort_by,
  )
}

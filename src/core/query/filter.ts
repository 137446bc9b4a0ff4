/**
 * The filters of both list variants, compiled once per request into one predicate (SPEC §3).
 * All given filters must hold; a list filter holds when the value is one of the list; an empty list
 * is no constraint; a filter over a list of records holds when one record meets all its conditions.
 */
import type { MobileListRequest, WebListRequest, ListRequest } from '../../schemas/requests.js'
import type { DateFilter, SessionCustomAttributeFilter } from '../../schemas/filters.js'
import type { MobileDetails, MobileSession, WebDetails, WebSession } from '../../schemas/sessions.js'
import type { SessionRecord } from '../corpus/store.js'

export type Predicate = (rec: SessionRecord) => boolean
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

function common(req: ListRequest, now: number, out: Predicate[]): void {
  if (active(req.rev_org)) {
    const l = req.rev_org
    out.push((r) => inList(l, r.session.rev_org_id))
  }
  if (active(req.rev_user)) {
    const l = req.rev_user
    out.push((r) => inList(l, r.session.rev_user_id))
  }
  if (req.created_at) {
    const [from, to] = dateWindow(req.created_at, now)
    out.push((r) => r.createdAtMs >= from && r.createdAtMs <= to)
  }
  if (req.session_duration) {
    const { min_ms = -Infinity, max_ms = Infinity } = req.session_duration
    out.push((r) => r.session.session_duration_ms >= min_ms && r.session.session_duration_ms <= max_ms)
  }
  if (req.is_anonymous !== undefined) {
    const b = req.is_anonymous
    out.push((r) => (r.details.is_anonymous ?? false) === b)
  }
  if (req.session_attributes && req.session_attributes.length > 0) {
    const fs = req.session_attributes
    out.push((r) => allAttributes(fs, r.details.attributes))
  }
}

function mobile(req: MobileListRequest, out: Predicate[]): void {
  const s = (r: SessionRecord) => r.session as MobileSession
  const d = (r: SessionRecord) => r.details as MobileDetails
  const meta: [readonly string[] | undefined, keyof MobileSession['device_metadata']][] = [
    [req.app_version, 'app_version'],
    [req.device_model, 'model'],
    [req.manufacturer, 'manufacturer'],
    [req.network_type, 'network_type'],
    [req.os_version, 'os_version'],
  ]
  for (const [list, key] of meta) if (active(list)) out.push((r) => inList(list, s(r).device_metadata[key]))
  const flags = ['has_exception_occurred', 'is_anr', 'is_crash', 'rage_tap'] as const
  for (const flag of flags) {
    const b = req[flag]
    if (b !== undefined) out.push((r) => s(r)[flag] === b)
  }
  if (active(req.screen_name)) {
    const l = req.screen_name
    out.push((r) => (d(r).screen_names ?? NONE).some((n) => l.includes(n)))
  }
  const ce = req.custom_events
  if (ce && constrains(ce)) {
    out.push((r) =>
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
    out.push((r) =>
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

function web(req: WebListRequest, out: Predicate[]): void {
  const s = (r: SessionRecord) => r.session as WebSession
  const d = (r: SessionRecord) => r.details as WebDetails
  const meta: [readonly string[] | undefined, keyof WebSession['device_metadata']][] = [
    [req.browser, 'browser'],
    [req.browser_version, 'browser_version'],
    [req.device_type, 'type'],
    [req.network_type, 'network_type'],
    [req.os, 'os'],
  ]
  for (const [list, key] of meta) if (active(list)) out.push((r) => inList(list, s(r).device_metadata[key]))
  const pages: [readonly string[] | undefined, 'name' | 'url' | 'normalized_url'][] = [
    [req.page_name, 'name'],
    [req.page_url, 'url'],
    [req.normalized_url, 'normalized_url'],
  ]
  for (const [list, key] of pages) if (active(list)) out.push((r) => (d(r).pages ?? NONE).some((p) => inList(list, p[key])))
  const counters: [boolean | undefined, (r: SessionRecord) => boolean][] = [
    [req.has_dead_clicks, (r) => s(r).dead_click_count > 0],
    [req.has_rage_clicks, (r) => s(r).rage_click_count > 0],
    [req.has_console_errors, (r) => (d(r).console_logs ?? NONE).some((l) => l.log_type === 'error')],
    [req.has_network_errors, (r) => (d(r).network_logs ?? NONE).some((l) => l.response_status >= 400)],
  ]
  for (const [b, has] of counters) if (b !== undefined) out.push((r) => has(r) === b)
  const cl = req.console_logs
  if (cl && constrains(cl)) {
    out.push((r) =>
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
    out.push((r) =>
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
    out.push((r) =>
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
    out.push((r) =>
      (d(r).custom_events ?? NONE).some(
        (e) =>
          (!active(ce.event_name) || ce.event_name.includes(e.name)) &&
          allAttributes(ce.event_details_filters, e.properties),
      ),
    )
  }
}

/** One predicate for all the request's filters, or undefined when it has none. */
export function compileFilter(req: ListRequest, now: number): Predicate | undefined {
  const preds: Predicate[] = []
  common(req, now, preds)
  if (req.type === 'mobile') mobile(req, preds)
  else web(req, preds)
  if (preds.length === 0) return undefined
  if (preds.length === 1) return preds[0]
  return (r) => {
    for (const p of preds) if (!p(r)) return false
    return true
  }
}

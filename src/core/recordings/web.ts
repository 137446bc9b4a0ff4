/**
 * A web session's recordings (one per tab), derived from the session and its details: every page
 * visit, click (with its dead/rage flags), console log, network request and custom event appears in
 * the `timeline_data.events` of one of its tabs, in time order within the session's duration. Where
 * the session's own counters (dead/rage clicks, console and status counts) exceed what the details
 * list, unnamed items make up the difference, so the recording agrees with what the session shows.
 * The session's time is split evenly over its `tab_ids` (a session without them has one tab whose
 * id is the session id). Each tab is also cut into replay segments, one per page shown.
 */
import type { WebDetails, WebSession } from '../../contract/schemas/sessions.ts'
import type { TimelineEvent, WebRecording } from '../../contract/schemas/recordings.ts'
import { inSlice, seededFaker, slice, spreadOffsets } from './random.ts'

export interface Page {
  name: string
  url: string
  normalized_url?: string
}

/** What happened at one instant of a segment, for the replay. */
export interface SegmentItem {
  at: number
  /** A click (with where it landed) or another event the replay carries as an rrweb custom event. */
  click?: { label: string; x: number; y: number }
  tag?: string
  payload?: Record<string, string>
}

/** A stretch of a tab showing one page: [from, to) in ms from the session's start. */
export interface Segment {
  page: Page
  from: number
  to: number
  items: SegmentItem[]
}

export interface DerivedWeb {
  recording: Omit<WebRecording, 'replay_data'>
  segments: Segment[]
  createdAtMs: number
  viewport: { width: number; height: number }
}

/** The ids a session's tabs answer to, in order (the first is the default). */
export function tabIds(s: WebSession): string[] {
  return s.tab_ids !== undefined && s.tab_ids.length > 0 ? s.tab_ids : [s.session_id]
}

/** Properties as DevRev's `event_details` (strings only): nested keys as dotted paths, other values as JSON. */
export function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(obj)) {
    const path = `${prefix}${k}`
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${path}.`, out)
    else out[path] = typeof v === 'string' ? v : JSON.stringify(v)
  }
  return out
}

/** The pages a session shows: its details' pages, else the one its first_page_* names. */
export function pagesOf(versionKey: string, s: WebSession, d: WebDetails): Page[] {
  if (d.pages !== undefined && d.pages.length > 0) return d.pages.map((p) => ({ ...p, name: p.name ?? p.url }))
  return [{ name: s.first_page_title ?? versionKey, url: s.first_page_url ?? `https://${versionKey}/` }]
}

type Story = { nav: Page } | { event: Omit<TimelineEvent, 'timestamp' | 'page_url'>; item: Omit<SegmentItem, 'at'> }

export function deriveWeb(seed: number, versionKey: string, s: WebSession, d: WebDetails, tabId: string): DerivedWeb | undefined {
  const ids = tabIds(s)
  const k = ids.indexOf(tabId)
  if (k < 0) return undefined
  const f = seededFaker(seed, 'web', versionKey, s.session_id)
  const viewport = s.device_metadata.type === 'mobile' ? { width: 390, height: 844 } : { width: 1280, height: 800 }
  const pages = pagesOf(versionKey, s, d)

  // The details, made up to the session's counters where they fall short.
  const clicks = [...(d.events ?? [])]
  const count = <T>(list: readonly T[], p: (x: T) => boolean) => list.filter(p).length
  for (let n = count(clicks, (e) => e.is_dead === true); n < s.dead_click_count; n++) clicks.push({ is_dead: true })
  for (let n = count(clicks, (e) => e.is_rage === true); n < s.rage_click_count; n++) clicks.push({ is_rage: true })
  const logs = [...(d.console_logs ?? [])]
  for (const [type, want] of Object.entries(s.console_metadata ?? {})) {
    for (let n = count(logs, (l) => l.log_type === type); n < want; n++) logs.push({ log_type: type })
  }
  const requests = [...(d.network_logs ?? [])]
  for (const [status, want] of Object.entries(s.network_metadata?.status_counts ?? {})) {
    const code = Number(status)
    for (let n = count(requests, (r) => r.response_status === code); n < want; n++) {
      requests.push({ request_method: 'GET', request_url: `/status/${status}`, response_status: code })
    }
  }

  const on: Story[][] = pages.map(() => [])
  const pick = () => on[f.number.int({ min: 0, max: pages.length - 1 })]!
  for (const c of clicks) {
    const label = c.value ?? 'unlabelled element'
    const event: Story & { event: unknown } = {
      event: { event_type: 'click', label, target: c.is_dead === true ? 'div.static' : 'button', is_dead: c.is_dead ?? false, is_rage: c.is_rage ?? false },
      item: { click: { label, x: f.number.int({ min: 0, max: viewport.width - 1 }), y: f.number.int({ min: 0, max: viewport.height - 1 }) } },
    }
    if (c.value !== undefined) event.event.value = c.value
    pick().push(event)
  }
  for (const l of logs) {
    const details: Record<string, string> = { log_type: l.log_type }
    if (l.body !== undefined) details.body = l.body
    if (l.full_url !== undefined) details.full_url = l.full_url
    pick().push({ event: { label: 'console_log', value: l.body ?? l.log_type, event_details: details }, item: { tag: 'console_log', payload: details } })
  }
  for (const r of requests) {
    const details = { request_method: r.request_method, request_url: r.request_url, response_status: String(r.response_status) }
    const value = `${r.request_method} ${r.request_url} ${r.response_status}`
    pick().push({ event: { label: 'network_request', target: r.request_url, value, event_details: details }, item: { tag: 'network_request', payload: details } })
  }
  for (const e of d.custom_events ?? []) {
    const details = flatten(e.properties ?? {})
    pick().push({ event: { label: 'custom_event', event: e.name, event_details: details }, item: { tag: e.name, payload: details } })
  }
  const story: Story[] = []
  pages.forEach((page, i) => story.push({ nav: page }, ...f.helpers.shuffle(on[i]!)))
  const span = s.session_duration_ms
  const offsets = spreadOffsets(f, story.length, span)
  offsets[0] = 0 // a session begins on its first page

  const createdAtMs = Date.parse(s.created_at)
  const iso = (at: number) => new Date(createdAtMs + at).toISOString()
  const part = slice(k, ids.length, span)
  const last = k === ids.length - 1
  let current = pages[0]!
  const events: TimelineEvent[] = []
  const segments: Segment[] = []
  story.forEach((x, i) => {
    const at = offsets[i]!
    if (at < part.from) {
      if ('nav' in x) current = x.nav
      return
    }
    if (!inSlice(at, part, last)) return
    if (segments.length === 0) segments.push({ page: current, from: part.from, to: part.to, items: [] })
    const seg = segments.at(-1)!
    if ('nav' in x) {
      current = x.nav
      events.push({ event_type: 'nav', timestamp: iso(at), page_url: x.nav.url, label: x.nav.name, value: x.nav.normalized_url ?? x.nav.url })
      if (at === seg.from) seg.page = x.nav
      else {
        seg.to = at
        segments.push({ page: x.nav, from: at, to: part.to, items: [] })
      }
      return
    }
    events.push({ ...x.event, timestamp: iso(at), page_url: current.url })
    seg.items.push({ ...x.item, at })
  })
  if (segments.length === 0) segments.push({ page: current, from: part.from, to: part.to, items: [] })
  events.push({ event_type: 'recording_stopped', timestamp: iso(part.to), page_url: current.url })

  const recording: DerivedWeb['recording'] = {
    recording: 'web_recording',
    created_at: iso(part.from),
    dead_click_count: s.dead_click_count,
    device_metadata: s.device_metadata,
    first_page_title: s.first_page_title ?? pages[0]!.name,
    first_page_url: s.first_page_url ?? pages[0]!.url,
    rage_click_count: s.rage_click_count,
    session_id: s.session_id,
    tab_id: tabId,
    timeline_data: { events },
  }
  // The session's own fields, as the session has them.
  for (const key of ['console_metadata', 'network_metadata', 'page_load_time_ms', 'rev_org_id', 'rev_user_id', 'session_attributes'] as const) {
    if (s[key] !== undefined) (recording as Record<string, unknown>)[key] = s[key]
  }
  return { recording, segments, createdAtMs, viewport }
}

/**
 * A stored session (the fixtures format) with what could identify a person replaced by pseudonyms,
 * and what identifies no one and what filters test kept: app versions, device data, screen, page,
 * API and event names, statuses, counters, durations and timestamps. Details and recordings follow
 * the same rules, so details rebuilt from anonymized recordings are the anonymized details, and a
 * value the session shows (an attribute, a URL) is replaced the same way wherever it appears.
 * docs/recording.md lists every field and what happens to it.
 */
import type { MobileDetails, StoredSession, WebDetails } from '../../contract/schemas/sessions.ts'
import type { MobileRecording, MobileTimelineEvent, TimelineEvent, WebRecording } from '../../contract/schemas/recordings.ts'
import { parseScalar } from '../recordings/rebuild.ts'
import type { Pseudonyms } from './pseudonyms.ts'

type Json = Record<string, unknown>

/** Request/response property values that describe the call, not who made it. */
const CALL_KEYS = new Set(['method', 'status', 'status_code', 'content_type', 'content-type', 'protocol', 'scheme'])

export class Anonymizer {
  readonly #p: Pseudonyms

  constructor(p: Pseudonyms) {
    this.#p = p
  }

  /** Attribute values: every string and number replaced. */
  attributes(a: Json): Json {
    return this.#p.value(a) as Json
  }

  /** Custom event properties: as attributes, except `screen`, which names a screen (kept). */
  properties(props: Json): Json {
    return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, k === 'screen' && typeof v === 'string' ? v : this.#p.value(v)]))
  }

  /** A value of DevRev's flattened `event_details`, replaced as the property it was flattened from. */
  #flat(key: string, text: string): string {
    if (key === 'screen') return text
    const v = this.#p.value(parseScalar(text))
    return typeof v === 'string' ? v : JSON.stringify(v)
  }

  /** API call properties: numbers, booleans and the call's method/status kept; URLs as URLs; other strings replaced. */
  callProperties(props: Json): Json {
    const walk = (k: string, v: unknown): unknown => {
      if (typeof v === 'string') return CALL_KEYS.has(k.toLowerCase()) ? v : /^(https?:\/\/|\/)/.test(v) ? this.#p.url(v) : this.#p.string(v)
      if (Array.isArray(v)) return v.map((x) => walk(k, x))
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([kk, x]) => [kk, walk(kk, x)]))
      return v
    }
    return walk('', props) as Json
  }

  /** An API name: a path whose id-like segments are replaced. */
  apiName(name: string): string {
    return name.startsWith('/') || /^https?:\/\//.test(name) ? this.#p.url(name) : name
  }

  #ids<T extends { rev_org_id?: string; rev_user_id?: string }>(x: T): void {
    if (x.rev_org_id !== undefined) x.rev_org_id = this.#p.string(x.rev_org_id)
    if (x.rev_user_id !== undefined) x.rev_user_id = this.#p.string(x.rev_user_id)
  }

  #sessionAttributes(sa: { attributes: Record<string, string> } | undefined): { attributes: Record<string, string> } | undefined {
    if (sa === undefined) return undefined
    return { attributes: Object.fromEntries(Object.entries(sa.attributes).map(([k, v]) => [k, this.#flat('', v)])) }
  }

  /** A stored session, anonymized; the input is not changed. */
  session(input: StoredSession): StoredSession {
    const s = structuredClone(input)
    this.#ids(s)
    if (s.type === 'web') {
      if (s.first_page_url !== undefined) s.first_page_url = this.#p.url(s.first_page_url)
      const sa = this.#sessionAttributes(s.session_attributes)
      if (sa !== undefined) s.session_attributes = sa
      if (s.details !== undefined) s.details = this.#webDetails(s.details)
    } else if (s.details !== undefined) {
      s.details = this.#mobileDetails(s.details)
    }
    return s
  }

  #mobileDetails(d: MobileDetails): MobileDetails {
    if (d.custom_events) d.custom_events = d.custom_events.map((e) => (e.properties === undefined ? e : { ...e, properties: this.properties(e.properties) }))
    if (d.api_calls) {
      d.api_calls = d.api_calls.map((c) => {
        const out = { ...c, api_name: this.apiName(c.api_name) }
        if (c.request_properties !== undefined) out.request_properties = this.callProperties(c.request_properties)
        if (c.response_properties !== undefined) out.response_properties = this.callProperties(c.response_properties)
        return out
      })
    }
    if (d.attributes) d.attributes = this.attributes(d.attributes)
    if (d.recordings) d.recordings = d.recordings.map((r) => this.mobileRecording(r as MobileRecording) as Json)
    return d
  }

  #webDetails(d: WebDetails): WebDetails {
    const url = (u: string) => this.#p.url(u)
    if (d.pages) d.pages = d.pages.map((p) => ({ ...p, url: url(p.url), ...(p.normalized_url === undefined ? {} : { normalized_url: url(p.normalized_url) }) }))
    if (d.console_logs) {
      d.console_logs = d.console_logs.map((l) => ({
        ...l,
        ...(l.body === undefined ? {} : { body: this.#p.text(l.body) }),
        ...(l.full_url === undefined ? {} : { full_url: url(l.full_url) }),
      }))
    }
    if (d.events) d.events = d.events.map((e) => (e.value === undefined ? e : { ...e, value: this.#p.text(e.value) }))
    if (d.network_logs) d.network_logs = d.network_logs.map((n) => ({ ...n, request_url: url(n.request_url) }))
    if (d.custom_events) d.custom_events = d.custom_events.map((e) => (e.properties === undefined ? e : { ...e, properties: this.properties(e.properties) }))
    if (d.attributes) d.attributes = this.attributes(d.attributes)
    if (d.recordings) d.recordings = d.recordings.map((r) => this.webRecording(r as WebRecording) as Json)
    return d
  }

  /** A mobile recording (without replay URLs), anonymized as its session's details are. */
  mobileRecording(input: Omit<MobileRecording, 'video_playback_data'>): Omit<MobileRecording, 'video_playback_data'> {
    const r = structuredClone(input)
    this.#ids(r)
    if (r.user_attributes !== undefined) r.user_attributes = this.attributes(r.user_attributes as Json)
    if (r.observability_sessions_log_data?.value !== undefined) r.observability_sessions_log_data.value = this.#p.text(r.observability_sessions_log_data.value)
    r.recording_events_timeline = r.recording_events_timeline.map((e) => this.#mobileEvent(e))
    return r
  }

  #mobileEvent(e: MobileTimelineEvent): MobileTimelineEvent {
    const api = e.event_type === 'plug' && e.event_name === 'api'
    if (api && e.name !== undefined) e.name = this.apiName(e.name)
    if (e.event_properties !== undefined) e.event_properties = api ? this.callProperties(e.event_properties as Json) : this.properties(e.event_properties as Json)
    if (e.request_properties !== undefined) e.request_properties = this.callProperties(e.request_properties as Json)
    if (e.response_properties !== undefined) e.response_properties = this.callProperties(e.response_properties as Json)
    if (e.custom_tag !== undefined) e.custom_tag = this.#p.string(e.custom_tag)
    if (e.exception_tag !== undefined) e.exception_tag = this.#p.string(e.exception_tag)
    return e
  }

  /** A web recording (without replay URLs), anonymized as its session's details are. */
  webRecording(input: Omit<WebRecording, 'replay_data'>): Omit<WebRecording, 'replay_data'> {
    const r = structuredClone(input)
    this.#ids(r)
    if (r.first_page_url !== undefined) r.first_page_url = this.#p.url(r.first_page_url)
    const sa = this.#sessionAttributes(r.session_attributes)
    if (sa !== undefined) r.session_attributes = sa
    r.timeline_data.events = r.timeline_data.events.map((e) => this.#webEvent(e))
    return r
  }

  #webEvent(e: TimelineEvent): TimelineEvent {
    const url = (u: string) => this.#p.url(u)
    const text = (t: string) => this.#p.text(t)
    if (e.page_url !== undefined) e.page_url = url(e.page_url)
    const d = e.event_details
    if (e.event_type === 'nav') {
      if (e.value !== undefined) e.value = url(e.value)
    } else if (e.event_type === 'click') {
      if (e.label !== undefined) e.label = text(e.label)
      if (e.value !== undefined) e.value = text(e.value)
    } else if (e.label === 'console_log' && d !== undefined) {
      if (d.body !== undefined) d.body = text(d.body)
      if (d.full_url !== undefined) d.full_url = url(d.full_url)
      if (e.value !== undefined) e.value = d.body ?? e.value
    } else if (e.label === 'network_request' && d !== undefined) {
      if (d.request_url !== undefined) d.request_url = url(d.request_url)
      if (e.target !== undefined) e.target = url(e.target)
      e.value = `${d.request_method} ${d.request_url} ${d.response_status}`
    } else if (e.label === 'custom_event' && d !== undefined) {
      e.event_details = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, this.#flat(k, v)]))
    } else {
      // Another kind of event (a form change, say): what a user typed, replaced whole.
      for (const k of ['label', 'value', 'target'] as const) if (e[k] !== undefined) e[k] = this.#p.string(e[k])
      if (d !== undefined) e.event_details = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, this.#p.string(v)]))
    }
    return e
  }
}

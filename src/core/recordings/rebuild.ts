/**
 * The inverse of the derivation in mobile.ts and web.ts: a session's hidden `details` rebuilt from
 * the session and its recordings, as `data.get` answered them. A recorder needs it because the
 * details are what list filters read, and an upstream shows them only inside recordings.
 */
import type { MobileDetails, MobileSession, WebDetails, WebSession } from '../../contract/schemas/sessions.ts'
import type { MobileRecording, WebRecording } from '../../contract/schemas/recordings.ts'

type Json = Record<string, unknown>
type ApiCall = NonNullable<MobileDetails['api_calls']>[number]
type CustomEvent = NonNullable<MobileDetails['custom_events']>[number]
type Page = NonNullable<WebDetails['pages']>[number]
type ConsoleLog = NonNullable<WebDetails['console_logs']>[number]

/** A recording as kept in fixtures: the upstream's answer without its replay URLs. */
export type StoredRecording = Json

/** Back from `event_details` (strings only): dotted keys nest again, JSON text of a non-string is parsed. */
export function unflatten(flat: Readonly<Record<string, string>>): Json {
  const out: Json = {}
  for (const [path, text] of Object.entries(flat)) {
    const keys = path.split('.')
    let at = out
    for (const k of keys.slice(0, -1)) {
      const next = at[k]
      at = (at[k] = next !== null && typeof next === 'object' ? next : {}) as Json
    }
    at[keys.at(-1)!] = parseScalar(text)
  }
  return out
}

/** A string that is the JSON of something other than a string was written from that value. */
export function parseScalar(text: string): unknown {
  try {
    const v: unknown = JSON.parse(text)
    if (typeof v !== 'string') return v
  } catch {
    // Not JSON: an ordinary string.
  }
  return text
}

/** Mobile details from the session's recordings, in recording order. */
export function mobileDetails(s: MobileSession, recordings: readonly MobileRecording[]): MobileDetails {
  const d: Required<Pick<MobileDetails, 'screen_names' | 'custom_events' | 'api_calls'>> & MobileDetails = {
    is_anonymous: s.rev_user_id === undefined,
    screen_names: [],
    custom_events: [],
    api_calls: [],
  }
  for (const r of recordings) {
    for (const e of r.recording_events_timeline) {
      if (e.event_type === 'system' && e.event_name === 'started' && e.screen !== undefined) d.screen_names.push(e.screen)
      if (e.event_type !== 'plug' || e.name === undefined) continue
      const props = e.event_properties as Json | undefined
      if (e.event_name === 'api') {
        const call: ApiCall = { api_name: e.name, round_trip_time_ms: Number(props?.round_trip_time_ms ?? 0) }
        if (e.request_properties !== undefined) call.request_properties = e.request_properties as Json
        if (e.response_properties !== undefined) call.response_properties = e.response_properties as Json
        d.api_calls.push(call)
      } else {
        const ev: CustomEvent = { name: e.name }
        if (e.exception_class_name !== undefined) ev.exception_class_name = e.exception_class_name
        if (props !== undefined) ev.properties = props
        d.custom_events.push(ev)
      }
    }
  }
  const attributes = recordings.find((r) => r.user_attributes !== undefined)?.user_attributes
  if (attributes !== undefined) d.attributes = attributes as Json
  return d
}

/** Web details from the session (its attributes) and its tabs' recordings, in tab order. */
export function webDetails(s: WebSession, recordings: readonly WebRecording[]): WebDetails {
  const d: Required<Pick<WebDetails, 'pages' | 'console_logs' | 'events' | 'network_logs' | 'custom_events'>> & WebDetails = {
    is_anonymous: s.rev_user_id === undefined,
    pages: [],
    console_logs: [],
    events: [],
    network_logs: [],
    custom_events: [],
  }
  for (const r of recordings) {
    for (const e of r.timeline_data.events) {
      const details = e.event_details ?? {}
      if (e.event_type === 'nav') {
        const page: Page = { name: e.label ?? e.page_url!, url: e.page_url! }
        if (e.value !== undefined) page.normalized_url = e.value
        d.pages.push(page)
      } else if (e.event_type === 'click') {
        // Keys in the order of the fixtures format, so a rebuilt file reads like a written one.
        d.events.push({ ...(e.value === undefined ? {} : { value: e.value }), is_dead: e.is_dead ?? false, is_rage: e.is_rage ?? false })
      } else if (e.label === 'console_log') {
        const log: ConsoleLog = { log_type: details.log_type! }
        if (details.body !== undefined) log.body = details.body
        if (details.full_url !== undefined) log.full_url = details.full_url
        d.console_logs.push(log)
      } else if (e.label === 'network_request') {
        d.network_logs.push({ request_method: details.request_method!, request_url: details.request_url!, response_status: Number(details.response_status) })
      } else if (e.label === 'custom_event' && e.event !== undefined) {
        const ev: { name: string; properties?: Json } = { name: e.event }
        if (Object.keys(details).length > 0) ev.properties = unflatten(details)
        d.custom_events.push(ev)
      }
    }
  }
  const attrs = s.session_attributes?.attributes
  if (attrs !== undefined) d.attributes = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, parseScalar(v)]))
  return d
}

/**
 * A mobile session's recordings, derived from the session and its details: every screen, custom
 * event (with its properties and exception class), API call (with its request/response properties
 * and round-trip time), crash, ANR and rage tap the details and flags hold appears in the
 * `recording_events_timeline` of one of its recordings, in time order within the session's duration.
 * The session's time is split evenly over its `recording_ids` (a session without them has one
 * recording whose id is the session id).
 */
import type { MobileDetails, MobileSession } from '../../contract/schemas/sessions.ts'
import type { MobileRecording, MobileTimelineEvent } from '../../contract/schemas/recordings.ts'
import { inSlice, seededFaker, slice, spreadOffsets } from './random.ts'

/** What one video frame shows: the screen on display (null: the launch screen) and the taps on it. */
export interface FrameSpec {
  screen: string | null
  taps: { x: number; y: number }[]
}

/** A recording without its URLs (they depend on the host and the clock), and its frames. */
export interface DerivedMobile {
  recording: Omit<MobileRecording, 'video_playback_data'>
  frames: FrameSpec[]
}

/** The ids a session's recordings answer to, in order (the first is the default). */
export function recordingIds(s: MobileSession): string[] {
  return s.recording_ids !== undefined && s.recording_ids.length > 0 ? s.recording_ids : [s.session_id]
}

const CRASH_CLASS = { android: 'java.lang.RuntimeException', ios: 'NSInternalInconsistencyException' } as const
const RAM_GB = [3, 4, 6, 8, 12]
const GB = 1024 ** 3

type Ev = Omit<MobileTimelineEvent, 'timestamp_offset_ms'>

export function deriveMobile(seed: number, versionKey: string, s: MobileSession, d: MobileDetails, recordingId: string): DerivedMobile | undefined {
  const ids = recordingIds(s)
  const k = ids.indexOf(recordingId)
  if (k < 0) return undefined
  const f = seededFaker(seed, 'mobile', versionKey, s.platform, s.session_id)
  const { screen_width: w, screen_height: h } = s.device_metadata
  const tap = () => ({ x: f.number.int({ min: 0, max: Math.max(0, w - 1) }), y: f.number.int({ min: 0, max: Math.max(0, h - 1) }) })
  const screens = d.screen_names !== undefined && d.screen_names.length > 0 ? d.screen_names : ['Main']
  const pick = () => f.number.int({ min: 0, max: screens.length - 1 })
  // What happens on each screen, besides its view: decided first, laid out in time below.
  const on: Ev[][] = screens.map(() => [])
  for (const e of d.custom_events ?? []) {
    const named = typeof e.properties?.screen === 'string' ? screens.indexOf(e.properties.screen) : -1
    const i = named >= 0 ? named : pick()
    const ev: Ev = { event_type: 'plug', event_name: e.exception_class_name === undefined ? 'event' : 'exception', name: e.name, screen: screens[i] }
    if (e.exception_class_name !== undefined) ev.exception_class_name = e.exception_class_name
    if (e.properties !== undefined) ev.event_properties = e.properties
    on[i]!.push(ev)
  }
  for (const c of d.api_calls ?? []) {
    const i = pick()
    const ev: Ev = { event_type: 'plug', event_name: 'api', name: c.api_name, screen: screens[i], event_properties: { round_trip_time_ms: c.round_trip_time_ms } }
    if (c.request_properties !== undefined) ev.request_properties = c.request_properties
    if (c.response_properties !== undefined) ev.response_properties = c.response_properties
    on[i]!.push(ev)
  }
  if (s.rage_tap) {
    const i = pick()
    const at = tap()
    on[i]!.push({ event_type: 'user', event_name: 'rage_tap', screen: screens[i], input_type: 'tool_type_finger', coordinates: [at, at, at, at, at] })
  }
  const hasException = (d.custom_events ?? []).some((e) => e.exception_class_name !== undefined)
  if (s.has_exception_occurred && !hasException && !s.is_crash) {
    const i = pick()
    on[i]!.push({ event_type: 'system', event_name: 'exception', name: 'handled exception', exception_class_name: CRASH_CLASS[s.platform], screen: screens[i] })
  }
  if (s.is_anr) {
    const i = pick()
    on[i]!.push({ event_type: 'system', event_name: 'anr', name: 'Application Not Responding', non_responsive: true, screen: screens[i] })
  }

  const story: Ev[] = []
  screens.forEach((screen, i) => {
    story.push({ event_type: 'system', event_name: 'started', name: screen, screen, object_name: screen })
    const taps = f.number.int({ min: 0, max: 2 })
    for (let t = 0; t < taps; t++) story.push({ event_type: 'user', event_name: 'single_tap', screen, input_type: 'tool_type_finger', coordinates: [tap()] })
    // Within a screen, in a shuffled but seeded order.
    story.push(...f.helpers.shuffle(on[i]!))
  })
  if (s.is_crash) {
    story.push({ event_type: 'system', event_name: 'exception', name: 'crash', exception_class_name: CRASH_CLASS[s.platform], screen: screens.at(-1) })
  }
  const span = s.session_duration_ms
  const offsets = spreadOffsets(f, story.length, span)
  // A crash ends the session.
  if (s.is_crash) offsets[offsets.length - 1] = span

  const totalRam = f.helpers.arrayElement(RAM_GB) * GB
  const availableRam = Math.floor(totalRam * f.number.float({ min: 0.15, max: 0.6 }))
  const launchMs = k === 0 ? f.number.int({ min: 400, max: 2_500 }) : f.number.int({ min: 80, max: 600 })

  const part = slice(k, ids.length, span)
  const last = k === ids.length - 1
  const timeline: MobileTimelineEvent[] = []
  let current: string | null = null
  for (let i = 0; i < story.length && offsets[i]! < part.from; i++) if (story[i]!.event_name === 'started') current = story[i]!.screen!
  if (k === 0) timeline.push({ event_type: 'system', event_name: 'app_launch', name: 'app_launch', timestamp_offset_ms: 0 })
  else timeline.push({ event_type: 'system', event_name: 'resumed', name: 'resumed', ...(current === null ? {} : { screen: current }), timestamp_offset_ms: 0 })
  const frames: FrameSpec[] = [{ screen: current, taps: [] }]
  const log: string[] = []
  let anr = false
  let crash = false
  story.forEach((ev, i) => {
    const at = offsets[i]!
    if (!inSlice(at, part, last)) return
    timeline.push({ ...ev, timestamp_offset_ms: at - part.from })
    if (ev.event_name === 'started') frames.push({ screen: ev.screen!, taps: [] })
    else if (ev.coordinates !== undefined) frames.at(-1)!.taps.push(...ev.coordinates)
    if (ev.event_name === 'anr') {
      anr = true
      log.push(`ANR in ${versionKey} (${ev.screen}): Input dispatching timed out`)
    }
    if (ev.name === 'crash') {
      crash = true
      log.push(`FATAL EXCEPTION: main`, `${ev.exception_class_name}: crash on ${ev.screen}`, `    at ${versionKey}.${ev.screen}.onResume`)
    }
  })

  const recording: DerivedMobile['recording'] = {
    recording: 'mobile_recording',
    app_launch: { launch_time_ms: launchMs, launch_type: k === 0 ? 'cold' : 'hot' },
    available_ram: availableRam,
    created_at: new Date(Date.parse(s.created_at) + part.from).toISOString(),
    device_metadata: s.device_metadata,
    recording_events_timeline: timeline,
    recording_id: recordingId,
    session_id: s.session_id,
    total_ram: totalRam,
  }
  if (anr || crash) recording.observability_sessions_log_data = { is_anr: anr, is_crash: crash, value: log.join('\n') }
  if (s.rev_org_id !== undefined) recording.rev_org_id = s.rev_org_id
  if (s.rev_user_id !== undefined) recording.rev_user_id = s.rev_user_id
  if (d.attributes !== undefined) recording.user_attributes = d.attributes
  return { recording, frames }
}

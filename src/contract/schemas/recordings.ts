/**
 * `observability.sessions.data.get`: the request and the recordings it answers with (DevRev's
 * `mobile-recording` and `web-recording`, flattened beside the `recording` discriminator).
 */
import { Type, type Static } from '@sinclair/typebox'
import { DISCRIMINATOR, DateTime, StringEnum } from './common.ts'
import { DeviceMetadata, WebDeviceMetadata, WebSessionFields } from './sessions.ts'

const closed = { additionalProperties: false } as const
// A free-form object, as the contract writes it (`type: object`, no declared properties).
const JsonMap = Type.Object({})

export const DataGetRequest = Type.Object(
  {
    session_id: Type.String({ description: 'The unique identifier of the session containing the recording.' }),
    version_key: Type.String({ description: 'The unique app ID to which the session belongs.' }),
    recording_id: Type.Optional(
      Type.String({ description: "A mobile session's recording (one of its `recording_ids`); absent: the first." }),
    ),
    tab_id: Type.Optional(Type.String({ description: "A web session's tab (one of its `tab_ids`); absent: the first." })),
  },
  { ...closed, title: 'observability-sessions-data-get-request' },
)
export type DataGetRequest = Static<typeof DataGetRequest>

export const MobileTimelineEvent = Type.Object(
  {
    coordinates: Type.Optional(Type.Array(Type.Object({ x: Type.Number(), y: Type.Number() }, closed))),
    custom_tag: Type.Optional(Type.String()),
    event_name: Type.Optional(
      StringEnum([
        'anr', 'api', 'app_launch', 'back_button_pressed', 'consent_accepted', 'created', 'destroyed', 'double_tap',
        'error', 'event', 'exception', 'home_button_pressed', 'long_press', 'msg', 'pause_recording_called', 'paused',
        'pinch', 'rage_tap', 'resume_recording_called', 'resumed', 'saved_instance_state', 'single_tap', 'started',
        'stopped', 'swipe', 'swipe_down', 'swipe_left', 'swipe_right', 'swipe_up', 'tag', 'zoom',
      ]),
    ),
    event_properties: Type.Optional(JsonMap),
    event_type: StringEnum(['plug', 'system', 'user']),
    exception_class_name: Type.Optional(Type.String()),
    exception_tag: Type.Optional(Type.String()),
    input_type: Type.Optional(
      StringEnum(['system_event_os', 'tool_type_eraser', 'tool_type_finger', 'tool_type_mouse', 'tool_type_stylus', 'tool_type_unknown']),
    ),
    name: Type.Optional(Type.String()),
    non_responsive: Type.Optional(Type.Boolean()),
    object_name: Type.Optional(Type.String()),
    request_properties: Type.Optional(JsonMap),
    response_properties: Type.Optional(JsonMap),
    screen: Type.Optional(Type.String()),
    timestamp_offset_ms: Type.Optional(Type.Integer()),
  },
  { ...closed, title: 'mobile-recording-recording-events-timeline' },
)
export type MobileTimelineEvent = Static<typeof MobileTimelineEvent>

export const VideoPlaybackData = Type.Object(
  {
    end_frame: Type.Optional(Type.String()),
    frame_image_map: Type.Record(Type.String(), Type.String()),
    frames: Type.Array(Type.String()),
    presigned_url: Type.Optional(
      Type.String({ description: "The frames' folder: frame F is its path + `frame_image_map[F]`, with the same query." }),
    ),
    start_frame: Type.Optional(Type.String()),
  },
  { ...closed, title: 'mobile-recording-video-playback-data' },
)
export type VideoPlaybackData = Static<typeof VideoPlaybackData>

export const MobileRecordingFields = {
  recording: Type.Literal('mobile_recording'),
  app_launch: Type.Object(
    { launch_time_ms: Type.Integer(), launch_type: StringEnum(['cold', 'hot']) },
    { ...closed, title: 'mobile-recording-app-launch' },
  ),
  available_ram: Type.Integer(),
  created_at: DateTime,
  device_metadata: DeviceMetadata,
  observability_sessions_log_data: Type.Optional(
    Type.Object(
      { is_anr: Type.Optional(Type.Boolean()), is_crash: Type.Optional(Type.Boolean()), value: Type.Optional(Type.String()) },
      { ...closed, title: 'observability-sessions-log-data' },
    ),
  ),
  recording_events_timeline: Type.Array(MobileTimelineEvent),
  recording_id: Type.String(),
  rev_org_id: Type.Optional(Type.String()),
  rev_user_id: Type.Optional(Type.String()),
  session_id: Type.String(),
  total_ram: Type.Integer(),
  user_attributes: Type.Optional(JsonMap),
  video_playback_data: Type.Optional(Type.Array(VideoPlaybackData)),
}
export const MobileRecording = Type.Object(MobileRecordingFields, { ...closed, title: 'mobile-recording' })
export type MobileRecording = Static<typeof MobileRecording>

export const TimelineEvent = Type.Object(
  {
    event: Type.Optional(Type.String()),
    event_details: Type.Optional(Type.Record(Type.String(), Type.String())),
    event_type: Type.Optional(StringEnum(['click', 'form_change', 'nav', 'perf_capture', 'recording_stopped'])),
    is_dead: Type.Optional(Type.Boolean()),
    is_rage: Type.Optional(Type.Boolean()),
    label: Type.Optional(Type.String()),
    page_url: Type.Optional(Type.String()),
    target: Type.Optional(Type.String()),
    timestamp: DateTime,
    value: Type.Optional(Type.String()),
  },
  { ...closed, title: 'observability-timeline-event' },
)
export type TimelineEvent = Static<typeof TimelineEvent>

export const ReplayData = Type.Object(
  { end_time: DateTime, presigned_url: Type.Optional(Type.String()), start_time: DateTime },
  { ...closed, title: 'replay-data' },
)
export type ReplayData = Static<typeof ReplayData>

export const WebRecordingFields = {
  recording: Type.Literal('web_recording'),
  console_metadata: WebSessionFields.console_metadata,
  created_at: DateTime,
  dead_click_count: Type.Integer({ minimum: 0 }),
  device_metadata: WebDeviceMetadata,
  first_page_title: Type.Optional(Type.String()),
  first_page_url: Type.Optional(Type.String()),
  network_metadata: WebSessionFields.network_metadata,
  page_load_time_ms: Type.Optional(Type.Integer()),
  rage_click_count: Type.Integer({ minimum: 0 }),
  replay_data: Type.Array(ReplayData),
  rev_org_id: Type.Optional(Type.String()),
  rev_user_id: Type.Optional(Type.String()),
  session_attributes: WebSessionFields.session_attributes,
  session_id: Type.String(),
  tab_id: Type.String(),
  timeline_data: Type.Object({ events: Type.Array(TimelineEvent) }, { ...closed, title: 'web-timeline-data' }),
}
export const WebRecording = Type.Object(WebRecordingFields, { ...closed, title: 'web-recording' })
export type WebRecording = Static<typeof WebRecording>

/** observability-sessions-data-get-response: discriminated on `recording`. */
export const DataGetResponse = Type.Union([MobileRecording, WebRecording], {
  [DISCRIMINATOR]: { property: 'recording' },
  title: 'observability-sessions-data-get-response',
})
export type DataGetResponse = Static<typeof DataGetResponse>

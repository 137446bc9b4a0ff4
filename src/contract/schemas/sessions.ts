import { Type, type Static } from '@sinclair/typebox'
import { DISCRIMINATOR, DateTime, StringEnum, VersionKey } from './common.ts'

const closed = { additionalProperties: false } as const

/** device-metadata (mobile): all nine fields required. */
export const DeviceMetadata = Type.Object(
  {
    app_version: Type.String(),
    manufacturer: Type.String(),
    model: Type.String(),
    network_type: Type.String(),
    os_version: Type.String(),
    plug_sdk_version: Type.String(),
    screen_height: Type.Integer(),
    screen_width: Type.Integer(),
    sdk_version: Type.String(),
  },
  { ...closed, title: 'device-metadata' },
)

/** web-device-metadata. */
export const WebDeviceMetadata = Type.Object(
  {
    type: StringEnum(['desktop', 'mobile']),
    browser: Type.Optional(Type.String()),
    browser_version: Type.Optional(Type.String()),
    model: Type.Optional(Type.String()),
    network_type: Type.Optional(Type.String()),
    os: Type.Optional(Type.String()),
  },
  { ...closed, title: 'web-device-metadata' },
)

export const MobileSessionFields = {
  type: Type.Literal('mobile'),
  platform: StringEnum(['android', 'ios']),
  session_id: Type.String({ minLength: 1 }),
  created_at: DateTime,
  device_metadata: DeviceMetadata,
  has_exception_occurred: Type.Boolean(),
  is_anr: Type.Boolean(),
  is_crash: Type.Boolean(),
  rage_tap: Type.Boolean(),
  recording_ids: Type.Optional(Type.Array(Type.String())),
  rev_org_id: Type.Optional(Type.String()),
  rev_user_id: Type.Optional(Type.String()),
  session_duration_ms: Type.Integer({ minimum: 0 }),
}

export const WebSessionFields = {
  type: Type.Literal('web'),
  platform: Type.Literal('web'),
  session_id: Type.String({ minLength: 1 }),
  created_at: DateTime,
  console_metadata: Type.Optional(
    // Each counter optional, as in the contract (web-console-metadata): hand-written fixtures may omit some.
    Type.Object({ error: Type.Optional(Type.Integer()), log: Type.Optional(Type.Integer()), warn: Type.Optional(Type.Integer()) }, closed),
  ),
  dead_click_count: Type.Integer({ minimum: 0 }),
  device_metadata: WebDeviceMetadata,
  first_page_title: Type.Optional(Type.String()),
  first_page_url: Type.Optional(Type.String()),
  network_metadata: Type.Optional(
    Type.Object({ status_counts: Type.Record(Type.String(), Type.Integer()) }, closed),
  ),
  page_load_time_ms: Type.Optional(Type.Integer()),
  rage_click_count: Type.Integer({ minimum: 0 }),
  rev_org_id: Type.Optional(Type.String()),
  rev_user_id: Type.Optional(Type.String()),
  session_attributes: Type.Optional(
    Type.Object({ attributes: Type.Record(Type.String(), Type.String()) }, closed),
  ),
  session_duration_ms: Type.Integer({ minimum: 0 }),
  tab_ids: Type.Optional(Type.Array(Type.String())),
}

export const MobileSession = Type.Object(MobileSessionFields, { ...closed, title: 'mobile-session' })
export const WebSession = Type.Object(WebSessionFields, { ...closed, title: 'web-session' })
export type MobileSession = Static<typeof MobileSession>
export type WebSession = Static<typeof WebSession>

/** observability-session: discriminated on `type`. */
export const ObservabilitySession = Type.Union([MobileSession, WebSession], {
  [DISCRIMINATOR]: { property: 'type' },
  title: 'observability-session',
})
export type ObservabilitySession = Static<typeof ObservabilitySession>

// ---- hidden details: what only filters see (the fixtures format) ----

const JsonMap = Type.Record(Type.String(), Type.Unknown())

/**
 * Recordings as an upstream's data.get answered them (what `record` writes), without replay URLs:
 * data.get serves these, by `recording_id` or `tab_id`, instead of deriving one. Loosely typed
 * here because the recording schemas build on this module.
 */
const StoredRecordings = Type.Optional(Type.Array(JsonMap))

export const MobileDetails = Type.Object(
  {
    is_anonymous: Type.Optional(Type.Boolean()),
    screen_names: Type.Optional(Type.Array(Type.String())),
    custom_events: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String(),
            exception_class_name: Type.Optional(Type.String()),
            properties: Type.Optional(JsonMap),
          },
          closed,
        ),
      ),
    ),
    api_calls: Type.Optional(
      Type.Array(
        Type.Object(
          {
            api_name: Type.String(),
            round_trip_time_ms: Type.Number({ minimum: 0 }),
            request_properties: Type.Optional(JsonMap),
            response_properties: Type.Optional(JsonMap),
          },
          closed,
        ),
      ),
    ),
    attributes: Type.Optional(JsonMap),
    recordings: StoredRecordings,
  },
  { ...closed, title: 'mobile-details' },
)
export type MobileDetails = Static<typeof MobileDetails>

export const WebDetails = Type.Object(
  {
    is_anonymous: Type.Optional(Type.Boolean()),
    pages: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.Optional(Type.String()), url: Type.String(), normalized_url: Type.Optional(Type.String()) },
          closed,
        ),
      ),
    ),
    console_logs: Type.Optional(
      Type.Array(
        Type.Object(
          { log_type: Type.String(), body: Type.Optional(Type.String()), full_url: Type.Optional(Type.String()) },
          closed,
        ),
      ),
    ),
    events: Type.Optional(
      Type.Array(
        Type.Object(
          {
            value: Type.Optional(Type.String()),
            is_dead: Type.Optional(Type.Boolean()),
            is_rage: Type.Optional(Type.Boolean()),
          },
          closed,
        ),
      ),
    ),
    network_logs: Type.Optional(
      Type.Array(
        Type.Object(
          { request_method: Type.String(), request_url: Type.String(), response_status: Type.Integer() },
          closed,
        ),
      ),
    ),
    custom_events: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), properties: Type.Optional(JsonMap) }, closed)),
    ),
    attributes: Type.Optional(JsonMap),
    recordings: StoredRecordings,
  },
  { ...closed, title: 'web-details' },
)
export type WebDetails = Static<typeof WebDetails>

/** A session as fixtures hold it: the API's session plus `version_key` and `details`. */
export const StoredMobileSession = Type.Object(
  { ...MobileSessionFields, version_key: VersionKey, details: Type.Optional(MobileDetails) },
  { ...closed, title: 'stored-mobile-session' },
)
export const StoredWebSession = Type.Object(
  { ...WebSessionFields, version_key: VersionKey, details: Type.Optional(WebDetails) },
  { ...closed, title: 'stored-web-session' },
)
export const StoredSession = Type.Union([StoredMobileSession, StoredWebSession], {
  [DISCRIMINATOR]: { property: 'type' },
})
export type StoredMobileSession = Static<typeof StoredMobileSession>
export type StoredWebSession = Static<typeof StoredWebSession>
export type StoredSession = Static<typeof StoredSession>

/** The fixtures file, `GET /__admin/corpus` export and `PUT /__admin/corpus` body. */
export const Corpus = Type.Object({ sessions: Type.Array(StoredSession) }, { ...closed, title: 'corpus' })
export type Corpus = Static<typeof Corpus>

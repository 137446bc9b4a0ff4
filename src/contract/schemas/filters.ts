import { Type, type Static } from '@sinclair/typebox'
import { DISCRIMINATOR, DateTime, StringEnum, StringList } from './common.ts'

const closed = { additionalProperties: false } as const
const attributePath = Type.String({ minLength: 1, description: 'Path in JSON; dots walk into objects.' })

/** session-custom-attribute-filter: a union flattened beside `attribute_path`, chosen by `filter_type`. */
export const SessionCustomAttributeFilter = Type.Union(
  [
    Type.Object(
      { attribute_path: attributePath, filter_type: Type.Literal('bool_filter'), equals: Type.Optional(Type.Boolean()) },
      closed,
    ),
    Type.Object(
      {
        attribute_path: attributePath,
        filter_type: Type.Literal('int64_filter'),
        equals: Type.Optional(Type.Array(Type.Integer())),
        range: Type.Optional(
          Type.Object({ min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()) }, closed),
        ),
      },
      closed,
    ),
    Type.Object(
      {
        attribute_path: attributePath,
        filter_type: Type.Literal('string_filter'),
        equals: Type.Optional(StringList),
        contains: Type.Optional(StringList),
      },
      closed,
    ),
    Type.Object({ attribute_path: attributePath, filter_type: Type.Optional(Type.Literal('none')) }, closed),
  ],
  { [DISCRIMINATOR]: { property: 'filter_type', missing: 'none' }, title: 'session-custom-attribute-filter' },
)
export type SessionCustomAttributeFilter = Static<typeof SessionCustomAttributeFilter>
const AttributeFilters = Type.Array(SessionCustomAttributeFilter)

/** date-filter: `range` (inclusive bounds) or `preset` (`last_n_days`/`next_n_days` on the virtual clock). */
export const DateFilter = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('range'), after: Type.Optional(DateTime), before: Type.Optional(DateTime) },
      closed,
    ),
    Type.Object(
      {
        type: Type.Literal('preset'),
        preset_type: StringEnum(['last_n_days', 'next_n_days']),
        days: Type.Integer({ minimum: 0, maximum: 4294967295 }),
      },
      closed,
    ),
  ],
  { [DISCRIMINATOR]: { property: 'type' }, title: 'date-filter' },
)
export type DateFilter = Static<typeof DateFilter>

export const SessionDuration = Type.Object(
  { min_ms: Type.Optional(Type.Integer({ minimum: 0 })), max_ms: Type.Optional(Type.Integer()) },
  closed,
)

/** Filter fields of `type: "mobile"` (MobileSessionsFilter), all optional, flattened into the request. */
export const MobileFilterFields = {
  app_version: Type.Optional(StringList),
  created_at: Type.Optional(DateFilter),
  custom_events: Type.Optional(
    Type.Object(
      {
        event_name: Type.Optional(StringList),
        exception_class_name: Type.Optional(StringList),
        properties_filters: Type.Optional(AttributeFilters),
      },
      closed,
    ),
  ),
  device_model: Type.Optional(StringList),
  has_exception_occurred: Type.Optional(Type.Boolean()),
  is_anonymous: Type.Optional(Type.Boolean()),
  is_anr: Type.Optional(Type.Boolean()),
  is_crash: Type.Optional(Type.Boolean()),
  manufacturer: Type.Optional(StringList),
  network_type: Type.Optional(StringList),
  os_version: Type.Optional(StringList),
  rage_tap: Type.Optional(Type.Boolean()),
  response_time_list: Type.Optional(
    Type.Object(
      {
        api_name: Type.Optional(StringList),
        request_properties: Type.Optional(AttributeFilters),
        response_properties: Type.Optional(AttributeFilters),
        round_trip_time: Type.Optional(
          Type.Object(
            {
              equals_ms: Type.Optional(Type.Array(Type.Number())),
              range: Type.Optional(
                Type.Object({ min_ms: Type.Optional(Type.Number()), max_ms: Type.Optional(Type.Number()) }, closed),
              ),
            },
            closed,
          ),
        ),
      },
      closed,
    ),
  ),
  rev_org: Type.Optional(StringList),
  rev_user: Type.Optional(StringList),
  screen_name: Type.Optional(StringList),
  session_attributes: Type.Optional(AttributeFilters),
  session_duration: Type.Optional(SessionDuration),
}

/** Filter fields of `type: "web"` (WebSessionsFilter). */
export const WebFilterFields = {
  browser: Type.Optional(StringList),
  browser_version: Type.Optional(StringList),
  console_logs: Type.Optional(
    Type.Object(
      { body: Type.Optional(StringList), full_url: Type.Optional(StringList), log_type: Type.Optional(StringList) },
      closed,
    ),
  ),
  created_at: Type.Optional(DateFilter),
  custom_events: Type.Optional(
    Type.Object(
      { event_details_filters: Type.Optional(AttributeFilters), event_name: Type.Optional(StringList) },
      closed,
    ),
  ),
  device_type: Type.Optional(StringList),
  events: Type.Optional(
    Type.Object(
      { is_dead: Type.Optional(Type.Boolean()), is_rage: Type.Optional(Type.Boolean()), value: Type.Optional(StringList) },
      closed,
    ),
  ),
  has_console_errors: Type.Optional(Type.Boolean()),
  has_dead_clicks: Type.Optional(Type.Boolean()),
  has_network_errors: Type.Optional(Type.Boolean()),
  has_rage_clicks: Type.Optional(Type.Boolean()),
  is_anonymous: Type.Optional(Type.Boolean()),
  network_logs: Type.Optional(
    Type.Object(
      {
        request_method: Type.Optional(StringList),
        request_url: Type.Optional(StringList),
        response_status: Type.Optional(Type.Array(Type.Integer())),
      },
      closed,
    ),
  ),
  network_type: Type.Optional(StringList),
  normalized_url: Type.Optional(StringList),
  os: Type.Optional(StringList),
  page_name: Type.Optional(StringList),
  page_url: Type.Optional(StringList),
  rev_org: Type.Optional(StringList),
  rev_user: Type.Optional(StringList),
  session_attributes: Type.Optional(AttributeFilters),
  session_duration: Type.Optional(SessionDuration),
}

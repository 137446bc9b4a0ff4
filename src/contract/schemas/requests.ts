import { Type, type Static } from '@sinclair/typebox'
import { DISCRIMINATOR, DevicePlatform, ListMode, StringEnum, VersionKey } from './common.ts'
import { MobileFilterFields, WebFilterFields } from './filters.ts'
import { ObservabilitySession } from './sessions.ts'

const closed = { additionalProperties: false } as const

/** Paging and scope fields common to both variants of the list request. */
export const ListCommonFields = {
  platform: DevicePlatform,
  version_key: VersionKey,
  cursor: Type.Optional(Type.String({ description: 'The cursor to resume iteration from.' })),
  limit: Type.Optional(Type.Integer({ description: 'The maximum number of sessions to return (default 50).' })),
  mode: Type.Optional(ListMode),
  sort_by: Type.Optional(
    Type.Array(Type.String(), { description: 'Items `field:asc` or `field:desc`, in priority order.' }),
  ),
}

export const MobileListRequest = Type.Object(
  { type: Type.Literal('mobile'), ...ListCommonFields, ...MobileFilterFields },
  { ...closed, title: 'observability-sessions-list-request-mobile-sessions-filter' },
)
export const WebListRequest = Type.Object(
  { type: Type.Literal('web'), ...ListCommonFields, ...WebFilterFields },
  { ...closed, title: 'observability-sessions-list-request-web-sessions-filter' },
)
/** observability-sessions-list-request: a flat union discriminated on `type`. */
export const ListRequest = Type.Union([MobileListRequest, WebListRequest], {
  [DISCRIMINATOR]: { property: 'type' },
  title: 'observability-sessions-list-request',
})
export type MobileListRequest = Static<typeof MobileListRequest>
export type WebListRequest = Static<typeof WebListRequest>
export type ListRequest = Static<typeof ListRequest>

/** GET /observability.sessions.list: no `type` (it follows from `platform`) and no filters. */
export const ListQuery = Type.Object(
  {
    platform: DevicePlatform,
    version_key: VersionKey,
    cursor: Type.Optional(Type.String()),
    limit: Type.Optional(Type.Integer()),
    mode: Type.Optional(ListMode),
    sort_by: Type.Optional(Type.Array(Type.String())),
  },
  { ...closed, title: 'observability-sessions-list-query' },
)

export const ListResponse = Type.Object(
  {
    next_cursor: Type.Optional(Type.String({ description: 'Absent when no later elements exist.' })),
    prev_cursor: Type.Optional(Type.String({ description: 'Absent when no prior elements exist.' })),
    sessions: Type.Array(ObservabilitySession),
  },
  { title: 'observability-sessions-list-response' },
)
export type ListResponse = Static<typeof ListResponse>

export const GetRequest = Type.Object(
  { platform: DevicePlatform, session_id: Type.String({ minLength: 1 }), version_key: VersionKey },
  { ...closed, title: 'observability-sessions-get-request' },
)
export type GetRequest = Static<typeof GetRequest>

export const GetResponse = Type.Object({ session: ObservabilitySession }, { title: 'observability-sessions-get-response' })
export type GetResponse = Static<typeof GetResponse>

export const SortDirection = StringEnum(['asc', 'desc'])

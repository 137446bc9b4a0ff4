/**
 * Type-level agreement between the mock's TypeBox-derived types (src/contract/schemas/requests.ts) and the
 * official SDK's generated types, checked by `tsc --noEmit` (test/ is in tsconfig's `include`):
 * - what the SDK sends, the mock accepts:     SDK request  → mock request
 * - what the mock accepts, the SDK can send:  mock request → SDK request (the mock requires nothing
 *   the SDK cannot express)
 * - what the mock returns, the SDK describes: mock response → SDK response
 * A failed assertion is a compile error here; the runtime part below makes tap count the file and
 * checks, with the mock's own runtime schemas, values typed by the SDK.
 *
 * Why not plain `SDK type extends mock type`:
 * 1. Enums. The SDK declares TS `enum`s (`DevicePlatform.Android = "android"`); an enum member is a
 *    subtype of its string literal, so SDK → mock holds, but a literal is never assignable to an enum,
 *    so mock → SDK fails on every tag although the JSON on the wire is the same. `Wire<T>` replaces
 *    each enum by the union of its string values (what JSON carries); the runtime test below checks
 *    that those values are exactly the TypeBox literal sets.
 * 2. Discriminated unions. The contract's tagged unions (`discriminator.mapping`) come out of the SDK
 *    generator as `(A | B) & { tag: Enum }`, which forgets which tag goes with which member: the
 *    SDK's `DateFilter` admits `{ type: "preset" }` with no `days`, which the contract (and so the
 *    mock, 400) rejects. `Contract<T>` puts the mapping back, using only the SDK's own member types,
 *    for the three unions inside a list request (list request `type`, `created_at`, the custom-
 *    attribute filters). The ts-expect-error below pins that the loose SDK type is the reason, not
 *    the mock's schema (which follows the contract and needed no change).
 */
import t from 'tap'
import type { Static, TSchema } from '@sinclair/typebox'
import { betaSDK, publicSDK } from '@devrev/typescript-sdk'
import {
  GetRequest,
  GetResponse,
  ListQuery,
  ListRequest,
  ListResponse,
  type MobileListRequest,
  type WebListRequest,
} from '../../src/contract/schemas/requests.ts'
import { DevicePlatform, ListMode, SessionType } from '../../src/contract/schemas/common.ts'
import { DateFilter, SessionCustomAttributeFilter } from '../../src/contract/schemas/filters.ts'
import { WebDeviceMetadata } from '../../src/contract/schemas/sessions.ts'
import { compileValidator } from '../../src/core/validate.ts'
import { DevRevError } from '../../src/contract/catalogue.ts'

// ---- type-level machinery ----------------------------------------------------------------------

type Assignable<A, B> = [A] extends [B] ? true : false
/** Compiles only when T is `true`. */
type Assert<T extends true> = T
/** `never` (or `any`) would make every Assignable<> vacuous: these guard the types under test. */
type Real<T> = [T] extends [never] ? false : 0 extends 1 & T ? false : true

/** The JSON form of a type: string enums become the union of their values. */
type Wire<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T

/** The contract's `discriminator.mapping`, rebuilt from the SDK's own member types. */
type ContractDateFilter =
  | (betaSDK.DateTimeFilter & { type: betaSDK.DateFilterType.Range })
  | (betaSDK.DateTimePresetLastNDays & {
      type: betaSDK.DateFilterType.Preset
      preset_type: betaSDK.DateTimePresetType.LastNDays
    })
  | (betaSDK.DateTimePresetNextNDays & {
      type: betaSDK.DateFilterType.Preset
      preset_type: betaSDK.DateTimePresetType.NextNDays
    })
type AttrBase = { attribute_path: string }
type ContractAttributeFilter =
  | (betaSDK.SessionCustomAttributeFilterBoolFilter & AttrBase & { filter_type: betaSDK.SessionCustomAttributeFilterFilterType.BoolFilter })
  | (betaSDK.SessionCustomAttributeFilterInt64Filter & AttrBase & { filter_type: betaSDK.SessionCustomAttributeFilterFilterType.Int64Filter })
  | (betaSDK.SessionCustomAttributeFilterStringFilter & AttrBase & { filter_type: betaSDK.SessionCustomAttributeFilterFilterType.StringFilter })
  | (AttrBase & { filter_type?: betaSDK.SessionCustomAttributeFilterFilterType.None })

/** Replaces the SDK's loose unions inside T by their contract-valid form (distributes over unions). */
type Contract<T> = T extends unknown
  ? [T] extends [betaSDK.DateFilter]
    ? ContractDateFilter
    : [T] extends [betaSDK.SessionCustomAttributeFilter]
      ? ContractAttributeFilter
      : T extends readonly (infer U)[]
        ? Contract<U>[]
        : T extends object
          ? { [K in keyof T]: Contract<T[K]> }
          : T
  : never

type SdkList = betaSDK.ObservabilitySessionsListRequest
type SdkMobileList = Contract<SdkList & betaSDK.MobileSessionsFilter & { type: betaSDK.ObservabilitySessionsListRequestType.Mobile }>
type SdkWebList = Contract<SdkList & betaSDK.WebSessionsFilter & { type: betaSDK.ObservabilitySessionsListRequestType.Web }>
type SdkListQuery = Parameters<betaSDK.Api<unknown>['observabilitySessionsList']>[0]
type PublicListQuery = Parameters<publicSDK.Api<unknown>['observabilitySessionsList']>[0]

// ---- the assertions (compile-time) ------------------------------------------------------------

export type Checks = [
  Assert<Real<SdkMobileList>>,
  Assert<Real<SdkWebList>>,
  Assert<Real<SdkListQuery>>,
  Assert<Real<ListRequest>>,
  Assert<Real<ListResponse>>,
  Assert<Real<Wire<betaSDK.ObservabilitySessionsListResponse>>>,
  // What the SDK sends, the mock accepts.
  Assert<Assignable<SdkMobileList, MobileListRequest>>,
  Assert<Assignable<SdkWebList, WebListRequest>>,
  Assert<Assignable<SdkMobileList | SdkWebList, ListRequest>>,
  Assert<Assignable<SdkListQuery, Static<typeof ListQuery>>>,
  Assert<Assignable<PublicListQuery, Static<typeof ListQuery>>>,
  Assert<Assignable<betaSDK.ObservabilitySessionsGetRequest, GetRequest>>,
  Assert<Assignable<publicSDK.ObservabilitySessionsGetRequest, GetRequest>>,
  // What the mock accepts, the SDK can send.
  Assert<Assignable<ListRequest, Wire<SdkList>>>,
  Assert<Assignable<ListRequest, Wire<publicSDK.ObservabilitySessionsListRequest>>>,
  Assert<Assignable<Static<typeof ListQuery>, Wire<SdkListQuery>>>,
  Assert<Assignable<GetRequest, Wire<betaSDK.ObservabilitySessionsGetRequest>>>,
  // What the mock returns, the SDK's type describes.
  Assert<Assignable<ListResponse, Wire<betaSDK.ObservabilitySessionsListResponse>>>,
  Assert<Assignable<ListResponse, Wire<publicSDK.ObservabilitySessionsListResponse>>>,
  Assert<Assignable<GetResponse, Wire<betaSDK.ObservabilitySessionsGetResponse>>>,
  Assert<Assignable<GetResponse, Wire<publicSDK.ObservabilitySessionsGetResponse>>>,
  // Both halves of the reasoning above are real: without Wire, enums block mock → SDK ...
  Assert<Assignable<Assignable<ListResponse, betaSDK.ObservabilitySessionsListResponse>, false>>,
  // ... and without Contract, the SDK's loose date filter is not a valid request.
  Assert<Assignable<Assignable<SdkList, ListRequest>, false>>,
  Assert<Assignable<Assignable<betaSDK.DateFilter, DateFilter>, false>>,
  Assert<Assignable<Assignable<ContractDateFilter, Static<typeof DateFilter>>, true>>,
]

// @ts-expect-error -- the SDK's generated DateFilter admits a preset without `days`; the contract does not.
const looseDate: Static<typeof DateFilter> = { type: betaSDK.DateFilterType.Preset } as betaSDK.DateFilter
void looseDate

// ---- runtime: values typed by the SDK pass the mock's own validation ---------------------------

/** What the mock's validator (the one its routes use) says: 'ok', or the DevRev error type. */
function verdict(schema: TSchema, value: unknown): string {
  try {
    compileValidator(schema)(value)
    return 'ok'
  } catch (e) {
    return e instanceof DevRevError ? `${e.type}:${String(e.fields.field_name)}` : String(e)
  }
}

const literals = (schema: TSchema): string[] =>
  ((schema.anyOf ?? []) as TSchema[]).map((s) => s.const as string).sort()

t.test('SDK enums carry exactly the values of the mock literal sets (what Wire<T> relies on)', async (t) => {
  t.strictSame(Object.values(betaSDK.DevicePlatform).sort(), literals(DevicePlatform))
  t.strictSame(Object.values(betaSDK.ObservabilitySessionsListRequestType).sort(), literals(SessionType))
  t.strictSame(Object.values(betaSDK.ObservabilitySessionType).sort(), literals(SessionType))
  t.strictSame(Object.values(betaSDK.ListMode).sort(), literals(ListMode))
  t.strictSame(Object.values(betaSDK.DeviceType).sort(), literals(WebDeviceMetadata.properties.type))
  t.strictSame(Object.values(publicSDK.DevicePlatform).sort(), literals(DevicePlatform))
})

t.test('contract-valid requests typed by the SDK are accepted by the mock schema', async (t) => {
  const mobile: SdkMobileList = {
    type: betaSDK.ObservabilitySessionsListRequestType.Mobile,
    platform: betaSDK.DevicePlatform.Android,
    version_key: 'com.example.shop',
    mode: betaSDK.ListMode.Before,
    created_at: { type: betaSDK.DateFilterType.Preset, preset_type: betaSDK.DateTimePresetType.LastNDays, days: 7 },
    session_attributes: [
      {
        attribute_path: 'plan',
        filter_type: betaSDK.SessionCustomAttributeFilterFilterType.StringFilter,
        equals: ['pro'],
      },
    ],
    custom_events: { event_name: ['purchase'] },
  }
  const web: SdkWebList = {
    type: betaSDK.ObservabilitySessionsListRequestType.Web,
    platform: betaSDK.DevicePlatform.Web,
    version_key: 'shop.example.com',
    created_at: { type: betaSDK.DateFilterType.Range, after: '2026-01-01T00:00:00Z' },
    network_logs: { response_status: [502] },
  }
  const accepted: ListRequest[] = [mobile, web] // compile-time: SDK → mock
  for (const body of accepted) t.equal(verdict(ListRequest, body), 'ok', `${body.type} request passes the mock's validation`)
  const get: betaSDK.ObservabilitySessionsGetRequest = { platform: betaSDK.DevicePlatform.Ios, session_id: 's-1', version_key: 'k' }
  t.equal(verdict(GetRequest, get), 'ok')
  // The loose SDK values that the type-level checks exclude are refused at run time too.
  t.equal(verdict(DateFilter, { type: betaSDK.DateFilterType.Preset }), 'missing_required_field:preset_type')
  t.equal(
    verdict(SessionCustomAttributeFilter, {
      attribute_path: 'plan',
      filter_type: betaSDK.SessionCustomAttributeFilterFilterType.BoolFilter,
      equals: ['pro'],
    }),
    'unexpected_json_type:equals',
  )
})

t.test('a response typed by the mock is a response typed by the SDK', async (t) => {
  const res: ListResponse = {
    sessions: [
      {
        type: 'web',
        platform: 'web',
        session_id: 'w-1',
        created_at: '2026-01-01T00:00:00.000Z',
        dead_click_count: 0,
        rage_click_count: 1,
        session_duration_ms: 1000,
        device_metadata: { type: 'desktop' },
      },
    ],
  }
  const seenBySdk: Wire<betaSDK.ObservabilitySessionsListResponse> = res // compile-time: mock → SDK
  t.equal(verdict(ListResponse, seenBySdk), 'ok')
  t.equal(seenBySdk.sessions[0]!.type, betaSDK.ObservabilitySessionType.Web)
})

/**
 * The TypeBox schemas against DevRev's contract (contract/devrev-openapi-beta.yaml): every field
 * of the list request (both variants, nested ones included), the get request and the sessions, with
 * the same names, the same JSON types and the same required fields. Discriminated unions are compared
 * as the contract writes them: flattened (the union's own fields beside every variant's).
 */
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CONTRACT_URL } from '../helpers/contract.ts'
import { parse } from 'yaml'
import { Kind, OptionalKind, type TSchema } from '@sinclair/typebox'
import { MobileFilterFields, WebFilterFields } from '../../src/contract/schemas/filters.ts'
import { ListCommonFields, GetRequest, ListResponse } from '../../src/contract/schemas/requests.ts'
import { MobileSession, WebSession } from '../../src/contract/schemas/sessions.ts'
import { DataGetRequest, DataGetResponse, MobileRecording, WebRecording } from '../../src/contract/schemas/recordings.ts'

const doc = parse(readFileSync(fileURLToPath(CONTRACT_URL), 'utf8'))
const schemas = doc.components.schemas as Record<string, any>

/** A comparable shape: a JSON type, or for objects their fields (name → shape, `?` when optional). */
type Shape = string | { [field: string]: Shape } | [Shape]

/** Adds `shape`'s fields to `out`; a field two variants type differently becomes "a|b". */
function mergeInto(out: Record<string, Shape>, shape: Record<string, Shape>) {
  for (const [k, v] of Object.entries(shape)) {
    const name = k.replace(/\?$/, '')
    const key = name in out ? name : `${name}?` in out ? `${name}?` : undefined
    if (key === undefined) {
      out[k] = v
      continue
    }
    const merged = JSON.stringify(out[key]) === JSON.stringify(v) ? out[key]! : `${JSON.stringify(out[key])}|${JSON.stringify(v)}`
    // Optional if any variant has it optional.
    delete out[key]
    out[key.endsWith('?') || k.endsWith('?') ? `${name}?` : name] = merged
  }
}

function fromContract(s: any, ownOnly = false): Shape {
  if (s.$ref) return fromContract(schemas[s.$ref.split('/').pop()])
  if (s.type === 'array') return [fromContract(s.items)]
  if (s.type === 'object' || s.properties || s.oneOf) {
    const out: Record<string, Shape> = {}
    const required = new Set<string>(s.required ?? [])
    for (const [k, v] of Object.entries(s.properties ?? {})) out[required.has(k) ? k : `${k}?`] = fromContract(v)
    // Variants are flattened beside the union's own fields (recursively: a variant may be a union).
    for (const variant of ownOnly ? [] : (s.oneOf ?? [])) mergeInto(out, fromContract(variant) as Record<string, Shape>)
    if (s.additionalProperties && typeof s.additionalProperties === 'object') out['*'] = fromContract(s.additionalProperties)
    return out
  }
  return s.type === 'integer' ? 'integer' : s.type
}

function fromTypeBox(s: TSchema): Shape {
  switch (s[Kind]) {
    case 'Array':
      return [fromTypeBox(s.items)]
    case 'Object': {
      const out: Record<string, Shape> = {}
      const required = new Set<string>(s.required ?? [])
      for (const [k, v] of Object.entries(s.properties as Record<string, TSchema>)) out[required.has(k) ? k : `${k}?`] = fromTypeBox(v)
      return out
    }
    case 'Record':
      return { '*': fromTypeBox(Object.values(s.patternProperties as Record<string, TSchema>)[0]!) }
    case 'Union': {
      const members = s.anyOf as TSchema[]
      if (members.every((m) => m[Kind] === 'Literal')) return 'string'
      // A discriminated union, flattened: the tag is required, other fields as each branch says.
      const out: Record<string, Shape> = {}
      for (const m of members) mergeInto(out, fromTypeBox(m) as Record<string, Shape>)
      return out
    }
    case 'Literal':
      return typeof s.const === 'string' ? 'string' : typeof s.const
    default:
      return String(s.type)
  }
}

const fields = (f: Record<string, TSchema>): TSchema => ({ [Kind]: 'Object', type: 'object', properties: f, required: Object.keys(f).filter((k) => f[k]![OptionalKind] !== 'Optional') }) as unknown as TSchema

/** Fields in name order, so that the comparison does not depend on declaration order. */
function normalize(shape: Shape): Shape {
  if (typeof shape === 'string') return shape
  if (Array.isArray(shape)) return [normalize(shape[0])]
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, normalize(v)]))
}

function compare(t: Test, name: string, contract: Shape, ours: Shape) {
  t.same(normalize(ours), normalize(contract), name)
}

t.test('list request: paging fields and every filter of both variants', async (t) => {
  const common = fromContract(schemas['observability-sessions-list-request'], true) as Record<string, Shape>
  const { 'type': _t, ...commonWithoutType } = common
  compare(t, 'paging and scope fields', commonWithoutType, fromTypeBox(fields(ListCommonFields)))
  compare(t, 'mobile filter fields', fromContract(schemas['observability-sessions-list-request-mobile-sessions-filter']), fromTypeBox(fields(MobileFilterFields)))
  compare(t, 'web filter fields', fromContract(schemas['observability-sessions-list-request-web-sessions-filter']), fromTypeBox(fields(WebFilterFields)))
})

t.test('get request, list response, sessions', async (t) => {
  compare(t, 'get request', fromContract(schemas['observability-sessions-get-request']), fromTypeBox(GetRequest))
  const session = (s: any) => {
    const flat = fromContract(s) as Record<string, Shape>
    return flat
  }
  const ours = (s: TSchema) => {
    const shape = fromTypeBox(s) as Record<string, Shape>
    // `type` is the discriminator: the contract keeps it on observability-session, not on the variant.
    const { type: _type, platform, ...rest } = shape
    return { ...rest, 'platform?': platform! }
  }
  const mobile = session(schemas['mobile-session'])
  const web = session(schemas['web-session'])
  compare(t, 'mobile-session', { ...mobile, 'platform?': 'string' }, ours(MobileSession))
  compare(t, 'web-session', { ...web, 'platform?': 'string' }, ours(WebSession))
  const list = fromContract(schemas['observability-sessions-list-response']) as Record<string, Shape>
  const oursList = fromTypeBox(ListResponse) as Record<string, Shape>
  t.same(Object.keys(oursList).sort(), Object.keys(list).sort(), 'list response fields')
})

t.test('data.get request and both recordings', async (t) => {
  compare(t, 'data.get request', fromContract(schemas['observability-sessions-data-get-request']), fromTypeBox(DataGetRequest))
  // `recording` is the discriminator: the contract keeps it on the response, not on the variants.
  const variant = (s: TSchema) => {
    const { recording: _r, ...rest } = fromTypeBox(s) as Record<string, Shape>
    return rest
  }
  compare(t, 'mobile-recording', fromContract(schemas['mobile-recording']), variant(MobileRecording))
  compare(t, 'web-recording', fromContract(schemas['web-recording']), variant(WebRecording))
  compare(t, 'data.get response', fromContract(schemas['observability-sessions-data-get-response']), fromTypeBox(DataGetResponse))
})

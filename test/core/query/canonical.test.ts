/**
 * canonicalJson is written out by hand for speed (README, Performance), and canonicalQuery is built on
 * it: both must give exactly the text of the plain definition (keys sorted at every depth, undefined
 * left out), or cursors issued before would no longer match their query.
 */
import t from 'tap'
import fc from 'fast-check'
import { canonicalJson } from '../../../src/core/query/cursor.js'
import { canonicalQuery } from '../../../src/core/query/engine.js'
import { NON_FILTER_KEYS } from '../../../src/core/query/filter.js'
import { DEFAULT_SORT, parseSort, sortSpecKey, type SortSpec } from '../../../src/core/query/sort.js'
import type { ListRequest } from '../../../src/schemas/requests.js'

/** The plain definition. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function referenceQuery(req: Record<string, unknown>, sort: SortSpec): string {
  const filters: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(req)) if (!NON_FILTER_KEYS.has(k)) filters[k] = v
  return reference({ t: req.type, p: req.platform, v: req.version_key, s: sortSpecKey(sort), f: filters })
}

t.test('canonicalJson: keys sorted at every depth, undefined left out', async (t) => {
  t.equal(canonicalJson({ b: [2, { d: 1, c: undefined }], a: 'x', u: undefined }), '{"a":"x","b":[2,{"d":1}]}')
  t.equal(canonicalJson({ é: 1, z: 2, A: 3 }), '{"A":3,"z":2,"é":1}')
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true }), (v) => canonicalJson(v) === reference(v)),
    { seed: 20260115, numRuns: 3000 },
  )
})

t.test('canonicalQuery: the canonical JSON of scope, sort and filters', async (t) => {
  const key = fc.constantFrom(...NON_FILTER_KEYS, 'app_version', 'created_at', 'rev_org', 'is_crash', 'b', 'é')
  fc.assert(
    fc.property(
      fc.record({ type: fc.constantFrom('mobile', 'web'), platform: fc.string(), version_key: fc.string() }),
      fc.dictionary(key, fc.option(fc.jsonValue(), { nil: undefined })),
      fc.constantFrom(undefined, ['created_at:asc'], ['session_duration_ms', 'created_at:desc']),
      (scope, extra, sortBy) => {
        const req = { ...extra, ...scope }
        const sort = parseSort(sortBy, 'mobile')
        return canonicalQuery(req as unknown as ListRequest, sort) === referenceQuery(req, sort)
      },
    ),
    { seed: 20260115, numRuns: 3000 },
  )
  const base = { type: 'mobile', platform: 'android', version_key: 'com.example.shop' } as const
  t.equal(
    canonicalQuery({ ...base, app_version: undefined, limit: 5 }, DEFAULT_SORT),
    '{"f":{},"p":"android","s":"created_at:desc","t":"mobile","v":"com.example.shop"}',
  )
})

t.test('sortSpecKey: the default sort is named as any other spec of the same items', async (t) => {
  t.equal(sortSpecKey(DEFAULT_SORT), sortSpecKey([...DEFAULT_SORT]))
  t.equal(sortSpecKey(parseSort(['created_at:desc'], 'mobile')), sortSpecKey(DEFAULT_SORT))
})

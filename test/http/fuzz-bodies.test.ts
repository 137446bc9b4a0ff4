/**
 * Fuzz-ish: random JSON bodies, random mutations of valid requests, random bytes and random query
 * strings never produce a 5xx, and every answer is either a page or DevRev's flat error shape with
 * exactly its type's fields (src/contract/catalogue.ts).
 */
import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildTestApp, AUTH } from '../helpers/app.ts'
import { LIST } from '../helpers/walk.ts'
import { ERROR_CATALOGUE, type ErrorType } from '../../src/contract/catalogue.ts'

/** Optional fields the contract gives a type beyond the catalogue's defaults. */
const CONTRACT_EXTRAS: Partial<Record<ErrorType, string[]>> = { value_not_permitted: ['allowed_values', 'pattern'] }

/** Throws unless the answer is a page or a well-formed DevRev error (never a 5xx). */
function checkShape(res: LightMyRequestResponse, what: string): void {
  if (res.statusCode >= 500) throw new Error(`${what} → ${res.statusCode} ${res.body}`)
  const body = res.json() as Record<string, unknown>
  if (res.statusCode === 200) {
    if (!Array.isArray(body.sessions) && typeof body.session !== 'object') throw new Error(`${what}: 200 without sessions: ${res.body}`)
    return
  }
  if (res.statusCode === 404 && res.body === '{"message":"route not found"}') return
  const type = body.type as ErrorType
  const entry = ERROR_CATALOGUE[type]
  if (!entry) throw new Error(`${what}: unknown error type in ${res.body}`)
  if (entry.status !== res.statusCode) throw new Error(`${what}: ${type} sent with ${res.statusCode}`)
  if (typeof body.message !== 'string') throw new Error(`${what}: no message`)
  const allowed = new Set(['type', 'message', 'detail', ...Object.keys(entry.fields), ...(CONTRACT_EXTRAS[type] ?? [])])
  for (const k of Object.keys(body)) if (!allowed.has(k)) throw new Error(`${what}: field ${k} does not belong to ${type}: ${res.body}`)
  for (const k of entry.required) if (!(k in body)) throw new Error(`${what}: ${type} without ${k}: ${res.body}`)
}

const TEMPLATES = [
  {
    type: 'mobile',
    platform: 'android',
    version_key: 'com.example.shop',
    limit: 5,
    mode: 'after',
    sort_by: ['created_at:desc', 'session_duration_ms'],
    app_version: ['3.2.0'],
    created_at: { type: 'range', after: '2025-12-01T00:00:00Z', before: '2026-02-01T00:00:00Z' },
    custom_events: { event_name: ['purchase'], exception_class_name: ['X'], properties_filters: [{ attribute_path: 'amount', filter_type: 'int64_filter', range: { min: 1 } }] },
    response_time_list: {
      api_name: ['/v1/cart'],
      request_properties: [{ attribute_path: 'method', filter_type: 'string_filter', equals: ['GET'] }],
      response_properties: [{ attribute_path: 'cached', filter_type: 'bool_filter', equals: true }],
      round_trip_time: { equals_ms: [1.5], range: { min_ms: 0, max_ms: 3000 } },
    },
    session_attributes: [{ attribute_path: 'plan' }, { attribute_path: 'org.tier', filter_type: 'none' }],
    session_duration: { min_ms: 0, max_ms: 9_000_000 },
    is_crash: false,
  },
  {
    type: 'web',
    platform: 'web',
    version_key: 'shop.example.com',
    limit: 3,
    mode: 'before',
    sort_by: ['rage_click_count:desc'],
    created_at: { type: 'preset', preset_type: 'last_n_days', days: 7 },
    console_logs: { body: ['Type'], full_url: ['x'], log_type: ['error'] },
    custom_events: { event_details_filters: [{ attribute_path: 'step', filter_type: 'int64_filter', equals: [2] }], event_name: ['signup'] },
    events: { is_dead: true, is_rage: false, value: ['Buy now'] },
    network_logs: { request_method: ['GET'], request_url: ['u'], response_status: [500] },
    page_name: ['Home'],
    has_console_errors: true,
  },
]

type Path = Array<string | number>
function pathsOf(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, i])))
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]))
  return out
}
/** A copy of `root` with the value at `path` replaced (`undefined` deletes it). */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) }
  const [head, ...rest] = path
  if (rest.length === 0 && value === undefined) {
    if (Array.isArray(copy)) copy.splice(head as number, 1)
    else delete copy[head!]
  } else copy[head!] = setAt(copy[head!], rest, value)
  return copy
}

const mutation = (template: unknown) =>
  fc.tuple(
    fc.constantFrom(...pathsOf(template).filter((p) => p.length > 0)),
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant(undefined),
      fc.constantFrom('', -1, 0, 1.5, 2 ** 53, -(2 ** 63), 'web', 'mobile', 'ios', [], {}, [null], 'created_at:asc', 'z'.repeat(300)),
    ),
    // Sometimes an extra key too (most likely unknown).
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })) },
    ),
  )

const mutated = fc.constantFrom(...TEMPLATES).chain((template) =>
  fc.array(mutation(template), { minLength: 1, maxLength: 3 }).map((ms) => {
    let body: unknown = template
    for (const [path, value, extra] of ms) {
      body = setAt(body, path, value)
      if (extra && body !== null && typeof body === 'object' && !Array.isArray(body)) body = { ...(body as object), [extra[0]]: extra[1] }
    }
    return body
  }),
)

async function post(app: FastifyInstance, payload: string, contentType = 'application/json') {
  return app.inject({ method: 'POST', url: LIST, headers: { ...AUTH, 'content-type': contentType }, payload })
}

let app: FastifyInstance
t.before(async () => {
  app = await buildTestApp({ sessions: 200 })
})
t.teardown(() => app.close())

const counts = (t: Test, seen: Map<number, number>) => t.comment(`statuses: ${JSON.stringify(Object.fromEntries(seen))}`)

t.test('random JSON values as the body', async (t) => {
  const seen = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
      const res = await post(app, JSON.stringify(v))
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1)
      checkShape(res, JSON.stringify(v))
    }),
    { seed: 101, numRuns: 400 },
  )
  counts(t, seen)
  t.notOk([...seen.keys()].some((s) => s >= 500), 'never a 5xx')
})

t.test('valid requests with 1-3 random mutations', async (t) => {
  const seen = new Map<number, number>()
  const types = new Set<string>()
  await fc.assert(
    fc.asyncProperty(mutated, async (body) => {
      const res = await post(app, JSON.stringify(body) ?? '')
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1)
      checkShape(res, JSON.stringify(body))
      if (res.statusCode !== 200) types.add(res.json().type)
    }),
    { seed: 202, numRuns: 1500 },
  )
  counts(t, seen)
  t.ok((seen.get(200) ?? 0) > 50, 'many mutations stay valid (and are served)')
  for (const type of ['invalid_field', 'unexpected_json_type', 'value_not_permitted', 'missing_required_field', 'invalid_enum_value']) {
    t.ok(types.has(type), `mutations reach ${type}`)
  }
})

t.test('random bytes and random content types', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))),
      fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json'),
      async (raw, ct) => checkShape(await post(app, raw, ct), `${ct} ${JSON.stringify(raw)}`),
    ),
    { seed: 303, numRuns: 400 },
  )
  // Deep nesting within the size limit.
  for (const raw of ['['.repeat(200_000) + ']'.repeat(200_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), `{"type":"mobile","platform":"ios","version_key":"x","app_version":${'['.repeat(100_000)}${']'.repeat(100_000)}}`]) {
    const res = await post(app, raw)
    checkShape(res, raw.slice(0, 20))
    t.equal(res.statusCode, 400, `deep nesting → 400 ${res.json().type}`)
  }
})

t.test('random query strings on every GET route', async (t) => {
  const key = fc.constantFrom('platform', 'version_key', 'cursor', 'limit', 'mode', 'sort_by', 'session_id', 'recording_id', 'tab_id', 'type', 'x', '__proto__', 'constructor')
  const value = fc.oneof(fc.constantFrom('android', 'web', 'ios', 'shop.example.com', '"web"', '5', '-1', '', 'before', 'created_at:desc,"x"', '%', '""'), fc.string({ maxLength: 20 }))
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(LIST, '/observability.sessions.get', '/observability.sessions.data.get'),
      fc.array(fc.tuple(key, value), { maxLength: 6 }),
      async (path, pairs) => {
        const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
        const res = await app.inject({ method: 'GET', url: `${path}?${qs}`, headers: AUTH })
        checkShape(res, `${path}?${qs}`)
      },
    ),
    { seed: 404, numRuns: 600 },
  )
  t.pass('no 5xx, always DevRev-shaped')
})

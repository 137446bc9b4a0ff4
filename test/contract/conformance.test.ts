/**
 * Contract conformance (test/helpers/contract.ts): proof that the checker, which every test's
 * responses pass through, (a) rejects wrong bodies and accepts good ones, and (b) has seen, in this
 * process, at least one response of every status the contract lists for each emulated operation,
 * every documented error type, and every session of the default test corpus.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import fp from 'fastify-plugin'
import { buildTestApp, AUTH, violations, conformancePlugin, NOW } from '../helpers/app.ts'
import { buildApp } from '../../src/app.ts'
import { checked, contractChecker, extractContract, loadContract, CONTRACT_URL, ContractChecker } from '../helpers/contract.ts'
import { ERROR_CATALOGUE, ERROR_TYPES } from '../../src/contract/catalogue.ts'

const checker = contractChecker()
const LIST = '/observability.sessions.list'
const GET = '/observability.sessions.get'
const DATA = '/observability.sessions.data.get'

const app = await buildTestApp()
t.teardown(() => app.close())

// Real answers of the mock, as material for the checker's own tests.
const corpus = (await app.inject({ method: 'GET', url: '/__admin/corpus' })).json() as {
  sessions: { type: string; platform: string; version_key: string; session_id: string }[]
}
const mobileKey = corpus.sessions.find((s) => s.type === 'mobile')!.version_key
const webKey = corpus.sessions.find((s) => s.type === 'web')!.version_key
const mobilePage = (
  await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: { type: 'mobile', platform: 'android', version_key: mobileKey, limit: 2 } })
).json() as { sessions: Record<string, unknown>[] }
const webPage = (
  await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: { type: 'web', platform: 'web', version_key: webKey, limit: 2 } })
).json() as { sessions: Record<string, unknown>[] }
const mobile = mobilePage.sessions[0]!
const web = webPage.sessions[0]!

const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))
const list = (status: number, body: unknown, headers?: Record<string, unknown>) =>
  checker.check({ method: 'POST', path: LIST, status, body, headers })

t.test('the contract is read from the copy kept in the repo, whose hash its provenance note records', async (t) => {
  t.match(CONTRACT_URL.pathname, /\/contract\/devrev-openapi-beta\.yaml$/)
  const note = readFileSync(new URL('README.md', CONTRACT_URL), 'utf8')
  t.match(note, `sha256: \`${checker.contract.sha256}\``, 'contract/README.md records the sha256 of the copy in use')
  const text = readFileSync(CONTRACT_URL, 'utf8')
  const fresh = extractContract(parse(text, { maxAliasCount: -1 }), checker.contract.sha256)
  t.strictSame(loadContract(), fresh, 'the cached subset is exactly what the YAML gives now')
  t.strictSame(Object.keys(fresh.paths).sort(), [
    '/observability.sessions.data.get',
    '/observability.sessions.get',
    '/observability.sessions.list',
  ])
  t.strictSame(Object.keys(fresh.paths[LIST]!.post!.responses), ['200', '400', '401', '403', '413', '429', '500', '503'])
  const json = JSON.stringify(fresh.components.schemas)
  t.notMatch(json, /"discriminator"/, 'every discriminator rewritten for a JSON-Schema validator')
  t.ok(fresh.components.schemas['mobile-session'] && fresh.components.schemas['error-too-many-requests'], 'schemas reached by $ref')
  t.throws(
    () =>
      extractContract(
        { paths: { '/observability.x': { $ref: '#/components/schemas/u' } }, components: { responses: {}, schemas: { u: { allOf: [{ $ref: '#/definitions/y' }] } } } },
        'x',
      ),
    /unsupported \$ref/,
  )
  t.throws(
    () =>
      extractContract(
        { paths: { '/observability.x': { $ref: '#/components/schemas/u' } }, components: { responses: {}, schemas: { u: { discriminator: { propertyName: 'k' }, oneOf: [] } } } },
        'x',
      ),
    /without a mapping/,
  )
})

t.test('the checker accepts good answers', async (t) => {
  t.equal(list(200, mobilePage), undefined, 'a real mobile page')
  t.equal(list(200, webPage), undefined, 'a real web page')
  t.equal(list(200, { sessions: [] }), undefined, 'an empty page (no cursors)')
  t.equal(list(200, { sessions: [mobile, web], next_cursor: 'a', prev_cursor: 'b' }), undefined)
  t.equal(list(400, { type: 'invalid_field', field_name: 'cursor', message: 'm' }), undefined)
  t.equal(list(400, { type: 'bad_request', message: 'Bad Request' }), undefined, 'the body DevRev was seen sending')
  t.equal(list(401, { type: 'unauthenticated' }), undefined)
  t.equal(list(429, { type: 'too_many_requests', retry_after: 2 }, { 'retry-after': '2' }), undefined)
  t.equal(list(500, { type: 'internal_error', reference_id: 'r-1' }), undefined)
  t.equal(checker.check({ method: 'GET', path: '/nope', status: 404, body: { message: 'route not found' } }), undefined, 'route-level 404: outside the contract')
  t.equal(
    checker.check({ method: 'POST', path: GET, status: 404, body: { type: 'not_found', message: 'm' } }),
    undefined,
    '404 not_found from .get, against the shared not-found response',
  )
  t.equal(checker.check({ method: 'HEAD', path: LIST, status: 200, body: { sessions: [] } }), undefined, 'HEAD is the GET operation')
})

t.test('the checker rejects wrong bodies', async (t) => {
  const bad: [string, number, unknown, Record<string, unknown>?][] = [
    ['a mobile session missing device_metadata', 200, { sessions: [without(mobile, 'device_metadata')] }],
    ['a mobile session with a string screen_width', 200, { sessions: [{ ...mobile, device_metadata: { ...(mobile.device_metadata as object), screen_width: '1080' } }] }],
    ['a mobile session with a non-date created_at', 200, { sessions: [{ ...mobile, created_at: 'yesterday' }] }],
    ['a web session whose device_metadata has no type', 200, { sessions: [{ ...web, device_metadata: {} }] }],
    ['a web session with a mobile device_metadata shape', 200, { sessions: [{ ...web, device_metadata: mobile.device_metadata }] }],
    ['a web session without rage_click_count', 200, { sessions: [without(web, 'rage_click_count')] }],
    ['a session of an unknown type', 200, { sessions: [{ ...mobile, type: 'desktop' }] }],
    ['a session without session_id', 200, { sessions: [without(mobile, 'session_id')] }],
    ['a page without sessions', 200, { next_cursor: 'x' }],
    ['a null next_cursor', 200, { sessions: [], next_cursor: null }],
    ['an error without type', 400, { message: 'Bad Request' }],
    ["Fastify's default error body", 400, { statusCode: 400, error: 'Bad Request', message: 'x' }],
    ['a 400 type under 401', 401, { type: 'bad_request' }],
    ['invalid_field without field_name', 400, { type: 'invalid_field' }],
    ['invalid_enum_value without allowed_values', 400, { type: 'invalid_enum_value', field_name: 'platform', value: 'x' }],
    ['unexpected_json_type with an undocumented actual', 400, { type: 'unexpected_json_type', field_name: 'limit', expected: 'number', actual: 'integer' }],
    ['unauthenticated with a field of its own (flattened, additionalProperties:false)', 401, { type: 'unauthenticated', field_name: 'x' }],
    ['a 429 with a string retry_after', 429, { type: 'too_many_requests', retry_after: '2' }],
    ['a 429 without Retry-After', 429, { type: 'too_many_requests', retry_after: 2 }, {}],
    ['a 429 whose Retry-After is not a number', 429, { type: 'too_many_requests', retry_after: 2 }, { 'retry-after': 'soon' }],
    ['a 429 whose Retry-After differs from retry_after', 429, { type: 'too_many_requests', retry_after: 2 }, { 'retry-after': '3' }],
    ['a 413 with a string max_bytes', 413, { type: 'request_entity_too_large', max_bytes: '10' }],
    ['a status the contract does not list (409)', 409, { type: 'conflict' }],
  ]
  for (const [what, status, body, headers] of bad) t.type(list(status, body, headers), 'string', what)
  t.match(list(200, { sessions: [without(mobile, 'device_metadata')] }), /must have required property 'device_metadata'/)
  t.match(list(429, { type: 'too_many_requests', retry_after: '2' }), /retry_after must be integer/)
  t.match(
    checker.check({ method: 'GET', path: '/nope', status: 404, body: { message: 'nope' } }),
    /required property 'type'/,
    'a 404 that is neither route-level nor DevRev-shaped',
  )
  t.match(checker.check({ method: 'PUT', path: LIST, status: 200, body: {} }), /not in the contract/, 'an operation the contract lacks')
  const noBody = new ContractChecker({
    ...checker.contract,
    components: { ...checker.contract.components, responses: { ...checker.contract.components.responses, 'not-found': { description: 'x' } } },
  })
  t.match(noBody.check({ method: 'POST', path: GET, status: 404, body: {} }), /no JSON body/)
  t.match(noBody.validate({ type: 'integer' }, 'x'), /^schema: \(body\) must be integer/, 'an inline schema is compiled too')
})

t.test('the suite hook turns a wrong answer into a violation and a failure', async (t) => {
  // A plugin that corrupts data.get's answer before the checker sees it (registered ahead of it).
  const corrupt = fp(async (a) => {
    a.addHook('onSend', async (req, reply, payload) =>
      req.url.startsWith(DATA) && reply.statusCode === 200 ? JSON.stringify({ recording: 'mobile_recording', session_id: 's' }) : payload,
    )
  })
  const broken = await buildApp({ seed: 7, sessions: 50, now: NOW, plugins: [corrupt, conformancePlugin] })
  t.teardown(() => broken.close())
  const before = violations.length
  const s = (await broken.inject({ method: 'GET', url: '/__admin/corpus' })).json().sessions[0] as { session_id: string; version_key: string }
  const res = await broken.inject({ method: 'POST', url: DATA, headers: AUTH, payload: { session_id: s.session_id, version_key: s.version_key } })
  t.equal(violations.length, before + 1, 'recorded')
  t.match(violations.at(-1), /POST \/observability\.sessions\.data\.get → 200: .*required property/)
  t.equal(res.statusCode, 500, 'the response turned into an internal error')
  t.match(JSON.parse(res.body), { type: 'internal_error' }, 'which the checker then found conforming')
  violations.splice(before) // the violation was the point of this test
})

// ---- every listed status of every emulated operation, through the hook ----------------------

interface Op {
  method: 'GET' | 'POST'
  path: string
  valid: Record<string, unknown>
}
const sessionId = corpus.sessions.find((s) => s.version_key === mobileKey && s.platform === 'android')!.session_id
const webSessionId = corpus.sessions.find((s) => s.version_key === webKey)!.session_id
const OPS: Op[] = [
  { method: 'POST', path: LIST, valid: { type: 'mobile', platform: 'android', version_key: mobileKey, limit: 3 } },
  { method: 'GET', path: LIST, valid: { platform: 'web', version_key: webKey, limit: 3 } },
  { method: 'POST', path: GET, valid: { platform: 'android', version_key: mobileKey, session_id: sessionId } },
  { method: 'GET', path: GET, valid: { platform: 'android', version_key: mobileKey, session_id: sessionId } },
  { method: 'POST', path: DATA, valid: { version_key: mobileKey, session_id: sessionId } },
  { method: 'GET', path: DATA, valid: { version_key: webKey, session_id: webSessionId } },
]

const small = await buildTestApp({ maxBodyBytes: 256 })
t.teardown(() => small.close())

async function call(op: Op, opts: { body?: Record<string, unknown>; headers?: Record<string, string>; target?: typeof app } = {}) {
  const body = opts.body ?? op.valid
  const headers = opts.headers ?? AUTH
  const target = opts.target ?? app
  return op.method === 'POST'
    ? target.inject({ method: 'POST', url: op.path, headers, payload: body })
    : target.inject({ method: 'GET', url: op.path, headers, query: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) })
}

/** How to make each status happen: naturally where the mock can, else by fault injection. */
const prefer = (value: string) => ({ headers: { ...AUTH, prefer: value } })
const PRODUCE: Record<string, (op: Op) => ReturnType<typeof call>> = {
  200: (op) => call(op),
  400: (op) => call(op, { body: { ...op.valid, platform: 'windows' } }),
  401: (op) => call(op, { headers: {} }),
  403: (op) => call(op, prefer('error=forbidden')),
  413: (op) =>
    op.method === 'POST'
      ? call(op, { target: small, body: { ...op.valid, padding: 'x'.repeat(400) } })
      : call(op, prefer('code=413')),
  429: (op) => call(op, prefer('error=too_many_requests, retry_after=2')),
  500: (op) => call(op, prefer('code=500')),
  503: (op) => call(op, prefer('code=503')),
}

t.test('every status the contract lists for each emulated operation was produced and checked', async (t) => {
  const before = violations.length
  for (const op of OPS) {
    const listed = Object.keys(checker.contract.paths[op.path]![op.method.toLowerCase()]!.responses)
    for (const status of listed) {
      const produce = PRODUCE[status]
      if (!produce) {
        t.fail(`no way to produce ${status} for ${op.method} ${op.path}`)
        continue
      }
      const res = await produce(op)
      t.equal(res.statusCode, Number(status), `${op.method} ${op.path} → ${status}`)
      t.ok((checked.get(`${op.method} ${op.path} ${status}`) ?? 0) > 0, 'seen by the checker')
    }
  }
  const notFound = await call(OPS[2]!, { body: { ...OPS[2]!.valid, session_id: 'no-such-session' } })
  t.equal(notFound.statusCode, 404, 'unknown session: 404 not_found')
  for (const op of OPS.slice(4)) {
    t.equal((await call(op, { body: { ...op.valid, session_id: 'no-such-session' } })).statusCode, 404, `${op.method} data.get, unknown session`)
  }
  t.strictSame(violations.slice(before), [], 'no contract violation on the way')
})

t.test('every documented error type, injected, is the contract body for its status', async (t) => {
  const before = violations.length
  for (const type of ERROR_TYPES) {
    const res = await call(OPS[0]!, prefer(`error=${type}`))
    const status = ERROR_CATALOGUE[type].status
    t.equal(res.statusCode, status, `${type} → ${status}`)
    t.equal(res.json().type, type)
  }
  t.strictSame(violations.slice(before), [], 'no contract violation')
})

t.test('the same through the other fault surfaces and the real rate limiter', async (t) => {
  const before = violations.length
  const faulty = await buildTestApp({
    faults: [{ error: 'service_unavailable', match: { endpoint: 'sessions.get' } }],
    rateLimit: { limit: 1, windowMs: 300_000 },
  })
  t.teardown(() => faulty.close())
  t.equal((await call(OPS[2]!, { target: faulty })).statusCode, 503, 'start-up rule')
  const added = await faulty.inject({ method: 'POST', url: '/__admin/faults', payload: { status: 500, match: { endpoint: 'sessions.list', method: 'GET' } } })
  t.equal(added.statusCode, 201)
  const ise = await call(OPS[1]!, { target: faulty })
  t.equal(ise.statusCode, 500, 'run-time rule')
  t.type(ise.json().reference_id, 'string')
  t.equal((await call(OPS[0]!, { target: faulty })).statusCode, 200, 'first request of the window')
  const limited = await call(OPS[0]!, { target: faulty })
  t.equal(limited.statusCode, 429, 'the limiter')
  t.equal(limited.headers['retry-after'], String(limited.json().retry_after))
  t.strictSame(violations.slice(before), [], 'no contract violation')
})

t.test('every session of the test corpus, listed page by page, conforms', async (t) => {
  const before = violations.length
  const scopes = new Map<string, { type: string; platform: string; version_key: string }>()
  for (const s of corpus.sessions) scopes.set(`${s.version_key}/${s.platform}`, { type: s.type, platform: s.platform, version_key: s.version_key })
  let seen = 0
  for (const scope of scopes.values()) {
    let cursor: string | undefined
    for (let pages = 0; pages < 50; pages++) {
      const res = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: { ...scope, limit: 100, ...(cursor ? { cursor } : {}) } })
      t.equal(res.statusCode, 200)
      const page = res.json() as { sessions: unknown[]; next_cursor?: string }
      seen += page.sessions.length
      cursor = page.next_cursor
      if (cursor === undefined) break
    }
  }
  t.equal(seen, corpus.sessions.length, `all ${corpus.sessions.length} sessions went through the checker`)
  t.strictSame(violations.slice(before), [])
})

t.test("every recording of every session of the test corpus (each recording and tab) conforms", async (t) => {
  const before = violations.length
  const full = (await app.inject({ method: 'GET', url: '/__admin/corpus' })).json() as {
    sessions: { type: string; version_key: string; session_id: string; recording_ids?: string[]; tab_ids?: string[] }[]
  }
  let recordings = 0
  for (const s of full.sessions) {
    const ids = s.type === 'mobile' ? s.recording_ids! : s.tab_ids!
    for (const id of ids) {
      const key = s.type === 'mobile' ? 'recording_id' : 'tab_id'
      const res = await app.inject({ method: 'POST', url: DATA, headers: AUTH, payload: { session_id: s.session_id, version_key: s.version_key, [key]: id } })
      t.equal(res.statusCode, 200)
      recordings++
    }
  }
  t.ok(recordings > full.sessions.length, `${recordings} recordings of ${full.sessions.length} sessions went through the checker`)
  t.strictSame(violations.slice(before), [])
})

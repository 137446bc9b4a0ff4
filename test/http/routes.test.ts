/**
 * The routes around the list: 404 for any other path (DevRev's own body, no `type`),
 * `observability.sessions.get` (POST and GET), the GET twin of the list (query parameters as the
 * official SDK writes them), 413 over --max-body-bytes, over a real socket too.
 */
import t from 'tap'
import { request } from 'node:http'
import { buildTestApp, startTestServer, AUTH } from '../helpers/app.ts'
import { exportCorpus, idsOf, listPage, walkForward, LIST, type Page } from '../helpers/walk.ts'
import { referenceList } from '../helpers/reference.ts'

t.test('404 route not found: exactly {"message":"route not found"}, no type', async (t) => {
  const app = await buildTestApp({ sessions: 10 })
  t.teardown(() => app.close())
  const cases: Array<[string, string]> = [
    ['GET', '/'],
    ['GET', '/nope'],
    ['POST', '/observability.sessions.delete'],
    ['POST', '/observability.sessions.data.get.x'],
    ['POST', '/works.list'],
    ['GET', '/observability.sessions'],
    ['PUT', LIST],
    ['DELETE', '/observability.sessions.get'],
    ['PATCH', LIST],
    ['OPTIONS', LIST],
    ['POST', '/internal/observability.sessions.list'],
    ['GET', '/__admin/nope'],
    ['POST', '/__admin/health'],
  ]
  for (const [method, url] of cases) {
    for (const headers of [AUTH, {}]) {
      const res = await app.inject({ method: method as 'GET', url, headers, payload: method === 'GET' || method === 'OPTIONS' ? undefined : {} })
      t.equal(res.statusCode, 404, `${method} ${url}`)
      t.equal(res.body, '{"message":"route not found"}', `${method} ${url}: DevRev's body, byte for byte`)
      t.match(res.headers['content-type'], /^application\/json/)
    }
  }
  // A URL that cannot even be decoded is a 400 in DevRev's shape, not Fastify's.
  const bad = await app.inject({ method: 'GET', url: '/%zz', headers: AUTH })
  t.equal(bad.statusCode, 400)
  t.same(Object.keys(bad.json()).sort(), ['message', 'type'])
  t.equal(bad.json().type, 'bad_request')
})

t.test('observability.sessions.get, POST and GET', async (t) => {
  const app = await buildTestApp({ sessions: 80 })
  t.teardown(() => app.close())
  const corpus = await exportCorpus(app)
  for (const s of [corpus.find((x) => x.platform === 'ios')!, corpus.find((x) => x.platform === 'web')!, corpus.find((x) => x.platform === 'android')!]) {
    const { version_key, details: _d, ...session } = s
    const key = { platform: s.platform, session_id: s.session_id, version_key }
    const post = await app.inject({ method: 'POST', url: '/observability.sessions.get', headers: AUTH, payload: key })
    t.equal(post.statusCode, 200)
    t.same(post.json(), { session }, `POST get ${s.platform}: the session exactly as listed, no details`)
    const get = await app.inject({ method: 'GET', url: `/observability.sessions.get?${new URLSearchParams(key)}`, headers: AUTH })
    t.equal(get.body, post.body, 'GET twin: the same bytes')
    const quoted = await app.inject({
      method: 'GET',
      url: `/observability.sessions.get?platform="${s.platform}"&session_id="${s.session_id}"&version_key="${version_key}"`,
      headers: AUTH,
    })
    t.equal(quoted.body, post.body, 'quoted query values, as DevRev shows them')
  }
  const s = corpus.find((x) => x.platform === 'android')!
  const notFound: Array<Record<string, string>> = [
    { platform: 'android', session_id: 'no-such-session', version_key: s.version_key },
    { platform: 'ios', session_id: s.session_id, version_key: s.version_key },
    { platform: 'android', session_id: s.session_id, version_key: 'other.app' },
  ]
  for (const key of notFound) {
    for (const res of [
      await app.inject({ method: 'POST', url: '/observability.sessions.get', headers: AUTH, payload: key }),
      await app.inject({ method: 'GET', url: `/observability.sessions.get?${new URLSearchParams(key)}`, headers: AUTH }),
    ]) {
      t.equal(res.statusCode, 404, JSON.stringify(key))
      const body = res.json()
      t.equal(body.type, 'not_found')
      t.type(body.message, 'string')
      t.same(Object.keys(body).sort(), ['message', 'type'])
    }
  }
  const invalid: Array<[unknown, Record<string, unknown>]> = [
    [{ platform: 'android', version_key: 'x' }, { type: 'missing_required_field', field_name: 'session_id' }],
    [{ platform: 'android', version_key: 'x', session_id: '' }, { type: 'value_not_permitted', field_name: 'session_id' }],
    [{ platform: 'linux', version_key: 'x', session_id: 'a' }, { type: 'invalid_enum_value', field_name: 'platform', value: 'linux' }],
    [{ platform: 'web', version_key: 'x', session_id: 'a', type: 'web' }, { type: 'invalid_field', field_name: 'type' }],
    [{ platform: 'web', version_key: 'x', session_id: 7 }, { type: 'unexpected_json_type', field_name: 'session_id', expected: 'string', actual: 'number' }],
  ]
  for (const [payload, expected] of invalid) {
    const res = await app.inject({ method: 'POST', url: '/observability.sessions.get', headers: AUTH, payload: payload as object })
    t.equal(res.statusCode, 400)
    t.match(res.json(), expected)
  }
  const unknownParam = await app.inject({ method: 'GET', url: '/observability.sessions.get?platform=web&version_key=x&session_id=a&limit=3', headers: AUTH })
  t.match(unknownParam.json(), { type: 'invalid_field', field_name: 'limit' })
})

t.test('GET /observability.sessions.list: the query parameters as clients write them', async (t) => {
  const app = await buildTestApp({ sessions: 300 })
  t.teardown(() => app.close())
  const corpus = await exportCorpus(app)
  const get = async (query: string): Promise<Page> => {
    const res = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
    t.equal(res.statusCode, 200, query)
    return res.json()
  }
  // type follows from platform; the answer equals the POST one.
  for (const [platform, version_key, type] of [
    ['android', 'com.example.shop', 'mobile'],
    ['ios', 'com.example.fitness', 'mobile'],
    ['web', 'docs.example.com', 'web'],
  ] as const) {
    const post = await listPage(app, { type, platform, version_key, limit: 7 })
    t.same(await get(`platform=${platform}&version_key=${version_key}&limit=7`), post, `${platform}: same page as POST with type ${type}`)
  }
  // sort_by as the official SDK sends arrays: comma-joined, each item double-quoted.
  const scope = { type: 'web', platform: 'web', version_key: 'shop.example.com' }
  const sort_by = ['dead_click_count:desc', 'session_duration_ms:asc']
  const expected = referenceList(corpus, { ...scope, sort_by }, app.mock.clock.now()).map((s) => s.session_id)
  const sdkStyle = `sort_by=${encodeURIComponent(sort_by.map((s) => `"${s}"`).join(','))}`
  const page = await get(`platform=web&version_key=shop.example.com&limit=10&${sdkStyle}`)
  t.same(idsOf([page]), expected.slice(0, 10), 'quoted, comma-joined sort_by')
  t.same(await get(`platform="web"&version_key="shop.example.com"&limit=10&sort_by=dead_click_count:desc,session_duration_ms:asc`), page, 'unquoted and comma-joined')
  t.same(await get(`platform=web&version_key=shop.example.com&limit=10&sort_by=dead_click_count:desc&sort_by=session_duration_ms:asc`), page, 'repeated parameter')
  t.same(await get(`platform=web&version_key=shop.example.com&limit="10"&${sdkStyle}`), page, 'a quoted scalar')

  // A whole walk on GET, cursor by cursor, crossing over to POST midway: the same query either way.
  const ids: string[] = []
  let cursor: string | undefined
  let n = 0
  do {
    const p: Page =
      n % 2 === 0
        ? await get(`platform=web&version_key=shop.example.com&limit=9&${sdkStyle}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        : await listPage(app, { ...scope, limit: 9, sort_by, ...(cursor ? { cursor } : {}) })
    ids.push(...idsOf([p]))
    cursor = p.next_cursor
    n++
  } while (cursor)
  t.same(ids, expected, 'GET and POST pages interleave into one walk')
  // mode=before without a cursor: from the end.
  t.same(idsOf([await get(`platform=web&version_key=shop.example.com&limit=4&mode=before&${sdkStyle}`)]), expected.slice(-4))
  // The default sort and limit.
  const def = await get('platform=android&version_key=com.example.shop')
  t.same(idsOf([def]), idsOf(await walkForward(app, { type: 'mobile', platform: 'android', version_key: 'com.example.shop' })).slice(0, 50))

  const errors: Array<[string, Record<string, unknown>]> = [
    ['version_key=x', { type: 'missing_required_field', field_name: 'platform' }],
    ['platform=web', { type: 'missing_required_field', field_name: 'version_key' }],
    ['platform=desktop&version_key=x', { type: 'invalid_enum_value', field_name: 'platform', value: 'desktop' }],
    ['platform=web&version_key=x&limit=ten', { type: 'unexpected_json_type', field_name: 'limit', expected: 'number', actual: 'string' }],
    ['platform=web&version_key=x&limit=0', { type: 'value_not_permitted', field_name: 'limit' }],
    ['platform=web&version_key=x&mode=around', { type: 'invalid_enum_value', field_name: 'mode', value: 'around' }],
    ['platform=android&version_key=x&sort_by=dead_click_count', { type: 'value_not_permitted', field_name: 'sort_by[0]' }],
    ['platform=web&version_key=x&type=web', { type: 'invalid_field', field_name: 'type' }],
    ['platform=web&version_key=x&browser=Chrome', { type: 'invalid_field', field_name: 'browser' }],
    ['platform=web&version_key=x&__proto__=1', { type: 'invalid_field', field_name: '__proto__' }],
    ['platform=web&version_key=x&toString=1', { type: 'invalid_field', field_name: 'toString' }],
    ['platform=web&version_key=', { type: 'value_not_permitted', field_name: 'version_key' }],
  ]
  for (const [query, body] of errors) {
    const res = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
    t.equal(res.statusCode, 400, query)
    t.match(res.json(), body, query)
  }
})

t.test('413 request_entity_too_large with max_bytes', async (t) => {
  const app = await buildTestApp({ sessions: 10, maxBodyBytes: 300 })
  t.teardown(() => app.close())
  const body = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', app_version: ['x'.repeat(400)] }
  const res = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: body })
  t.equal(res.statusCode, 413)
  t.same(res.json(), { type: 'request_entity_too_large', message: res.json().message, max_bytes: 300 })
  const fits = await app.inject({ method: 'POST', url: LIST, headers: AUTH, payload: { ...body, app_version: ['x'.repeat(100)] } })
  t.equal(fits.statusCode, 200, 'a body under the limit passes')
  const get = await app.inject({ method: 'POST', url: '/observability.sessions.get', headers: AUTH, payload: { platform: 'web', version_key: 'y'.repeat(400), session_id: 'a' } })
  t.equal(get.statusCode, 413, 'sessions.get too')

  // Over a real socket, with a chunked body (no Content-Length: the limit is found while reading).
  const server = await startTestServer({ sessions: 10, maxBodyBytes: 1024 })
  t.teardown(() => server.close())
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(`${server.url}${LIST}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode!, text }))
    })
    req.on('error', reject)
    req.write('{"type":"mobile","platform":"android","version_key":"')
    for (let i = 0; i < 20; i++) req.write('z'.repeat(100))
    req.end('"}')
  })
  t.equal(status, 413)
  t.same(JSON.parse(text), { type: 'request_entity_too_large', message: JSON.parse(text).message, max_bytes: 1024 })
  // And with fetch (Content-Length known up front).
  const big = await fetch(`${server.url}${LIST}`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, app_version: ['x'.repeat(2000)] }),
  })
  t.equal(big.status, 413)
  t.equal(((await big.json()) as { max_bytes: number }).max_bytes, 1024)
})

t.test('successful answers: JSON, cursors omitted rather than null', async (t) => {
  const server = await startTestServer({ sessions: 60 })
  t.teardown(() => server.close())
  const res = await fetch(`${server.url}${LIST}`, {
    method: 'POST',
    headers: { authorization: 'raw-token', 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 2 }),
  })
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/json/)
  const text = await res.text()
  t.notMatch(text, /null/, 'no null anywhere in a page')
  const page = JSON.parse(text) as Page
  t.same(Object.keys(page), ['next_cursor', 'sessions'], 'first page: next_cursor and sessions only')
})

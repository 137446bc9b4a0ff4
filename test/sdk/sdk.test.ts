/**
 * The official `@devrev/typescript-sdk`, unmodified and unwrapped, against the mock on a real socket:
 * both `client.setupBeta` and `client.setup`, endpoint = the mock's URL. Every response also passes the
 * contract check of test/helpers/app.ts.
 */
import t from 'tap'
import fp from 'fastify-plugin'
import { client, betaSDK } from '@devrev/typescript-sdk'
import { startTestServer } from '../helpers/app.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

const TOKEN = 'sdk-test-token'

/** What reached the server: the raw URL and the headers the SDK set (read, never changed). */
interface Seen {
  method: string
  url: string
  authorization?: string
  scope?: string
  platform?: string
}
const seen: Seen[] = []
const recorder = fp(async (app) => {
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/observability.')) return
    seen.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      scope: req.headers['x-devrev-scope'] as string | undefined,
      platform: req.headers['x-devrev-client-platform'] as string | undefined,
    })
  })
})

const mock = await startTestServer({ tokens: [TOKEN], plugins: [recorder] })
t.teardown(() => mock.close())

const corpus = (await (await fetch(`${mock.url}/__admin/corpus`)).json()) as { sessions: StoredSession[] }
const mobileKey = corpus.sessions.find((s) => s.platform === 'android')!.version_key
const webKey = corpus.sessions.find((s) => s.platform === 'web')!.version_key

type Session = betaSDK.ObservabilitySession & Record<string, unknown>
type Page = betaSDK.ObservabilitySessionsListResponse

const clients = {
  setupBeta: client.setupBeta({ endpoint: mock.url, token: TOKEN }),
  setup: client.setup({ endpoint: mock.url, token: TOKEN }),
}

/** Follows `next_cursor` until it is absent; returns the pages. Bounded: at most 200 pages. */
async function walk(first: (cursor?: string) => Promise<{ data: Page }>): Promise<Page[]> {
  const pages: Page[] = []
  let cursor: string | undefined
  do {
    const { data } = await first(cursor)
    pages.push(data)
    cursor = data.next_cursor
  } while (cursor !== undefined && pages.length < 200)
  return pages
}

const ids = (pages: Page[]) => pages.flatMap((p) => p.sessions.map((s) => s.session_id))
const expectedIds = (pred: (s: StoredSession) => boolean) =>
  corpus.sessions
    .filter(pred)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.session_id < b.session_id ? -1 : 1))
    .map((s) => s.session_id)

for (const [name, sdk] of Object.entries(clients)) {
  t.test(`${name}: observabilitySessionsListPost, mobile filter, every page by cursor`, async (t) => {
    const body: betaSDK.ObservabilitySessionsListRequest = {
      type: betaSDK.ObservabilitySessionsListRequestType.Mobile,
      platform: betaSDK.DevicePlatform.Android,
      version_key: mobileKey,
      is_crash: false,
      limit: 7,
    }
    const pages = await walk((cursor) => sdk.observabilitySessionsListPost({ ...body, cursor }))
    const want = expectedIds((s) => s.version_key === mobileKey && s.platform === 'android' && s.type === 'mobile' && !s.is_crash)
    t.ok(want.length > 14, `the filter leaves several pages (${want.length} sessions)`)
    t.strictSame(ids(pages), want, 'every matching session once, newest first (default created_at:desc)')
    t.ok(pages.every((p) => p.sessions.length <= 7), 'no page above the limit')
    t.equal(pages[0]!.prev_cursor, undefined, 'no prev_cursor on the first page')
    t.equal(pages.at(-1)!.next_cursor, undefined, 'no next_cursor on the last page')
    t.ok(pages.slice(1).every((p) => typeof p.prev_cursor === 'string'), 'later pages carry prev_cursor')
    const s = pages[0]!.sessions[0] as Session
    t.equal(s.type, 'mobile')
    t.type((s as betaSDK.MobileSession).device_metadata.screen_width, 'number')
  })

  t.test(`${name}: observabilitySessionsListPost, web filter, every page by cursor`, async (t) => {
    const body: betaSDK.ObservabilitySessionsListRequest = {
      type: betaSDK.ObservabilitySessionsListRequestType.Web,
      platform: betaSDK.DevicePlatform.Web,
      version_key: webKey,
      has_rage_clicks: true,
      limit: 5,
    }
    const pages = await walk((cursor) => sdk.observabilitySessionsListPost({ ...body, cursor }))
    const want = expectedIds((s) => s.version_key === webKey && s.type === 'web' && s.rage_click_count > 0)
    t.ok(want.length > 5, `the filter leaves several pages (${want.length} sessions)`)
    t.strictSame(ids(pages), want, 'every web session with rage clicks once')
    t.ok(
      pages.every((p) => p.sessions.every((s) => s.type === 'web' && (s as betaSDK.WebSession).rage_click_count > 0)),
      'the filter holds on every session returned',
    )
  })

  t.test(`${name}: observabilitySessionsList (GET twin) with the SDK's own sort_by encoding`, async (t) => {
    const from = seen.length
    const sortBy = ['session_duration_ms:desc', 'created_at:asc']
    const pages = await walk((cursor) =>
      sdk.observabilitySessionsList({
        platform: betaSDK.DevicePlatform.Ios,
        version_key: mobileKey,
        sort_by: sortBy,
        limit: 9,
        ...(cursor === undefined ? {} : { cursor }),
      }),
    )
    const gets = seen.slice(from).filter((r) => r.method === 'GET')
    t.equal(gets.length, pages.length, 'one GET per page')
    const query = new URL(gets[0]!.url, mock.url).searchParams
    t.equal(query.get('sort_by'), '"session_duration_ms:desc","created_at:asc"', 'sort_by arrived quoted and comma-joined')
    const want = corpus.sessions
      .filter((s) => s.version_key === mobileKey && s.platform === 'ios')
      .sort(
        (a, b) =>
          b.session_duration_ms - a.session_duration_ms ||
          Date.parse(a.created_at) - Date.parse(b.created_at) ||
          (a.session_id < b.session_id ? -1 : 1),
      )
      .map((s) => s.session_id)
    t.ok(want.length > 9, 'more than one page')
    t.strictSame(ids(pages), want, 'sorted by duration desc, then created_at asc, every session once')
  })

  t.test(`${name}: observabilitySessionsGetPost returns the listed session`, async (t) => {
    const { data: page } = await sdk.observabilitySessionsListPost({
      type: betaSDK.ObservabilitySessionsListRequestType.Web,
      platform: betaSDK.DevicePlatform.Web,
      version_key: webKey,
      limit: 1,
    })
    const listed = page.sessions[0]!
    const { data, status } = await sdk.observabilitySessionsGetPost({
      platform: betaSDK.DevicePlatform.Web,
      session_id: listed.session_id,
      version_key: webKey,
    })
    t.equal(status, 200)
    t.strictSame(data.session, listed, 'the same session, field for field')
  })

  t.test(`${name}: an injected 429 arrives as the SDK's error with status and Retry-After`, async (t) => {
    const err: unknown = await sdk
      .observabilitySessionsListPost(
        { type: betaSDK.ObservabilitySessionsListRequestType.Mobile, platform: betaSDK.DevicePlatform.Ios, version_key: mobileKey },
        { headers: { Prefer: 'error=too_many_requests, retry_after=2' } },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    const e = err as { isAxiosError?: boolean; name?: string; response?: { status: number; headers: Record<string, string>; data: unknown } }
    t.equal(e?.isAxiosError, true, 'an axios error, as the SDK throws')
    t.equal(e?.name, 'AxiosError')
    t.equal(e?.response?.status, 429)
    t.equal(e?.response?.headers['retry-after'], '2', 'Retry-After as sent')
    t.match(e?.response?.data, { type: 'too_many_requests', retry_after: 2 }, 'the documented 429 body')
  })
}

t.test('the SDKs sent their own headers, untouched', async (t) => {
  t.ok(seen.length > 0)
  t.ok(seen.every((r) => r.authorization === TOKEN), 'the raw token, no Bearer prefix')
  t.ok(seen.every((r) => r.platform === 'Typescript-SDK'))
  t.ok(seen.some((r) => r.scope === 'beta'), 'setupBeta sends X-Devrev-Scope: beta')
  t.ok(seen.some((r) => r.scope === undefined), 'setup does not')
})

t.test('a wrong token is a 401 the SDK reports as such', async (t) => {
  const sdk = client.setupBeta({ endpoint: mock.url, token: 'not-the-token' })
  const err = (await sdk
    .observabilitySessionsGetPost({ platform: betaSDK.DevicePlatform.Web, session_id: 'x', version_key: webKey })
    .catch((e: unknown) => e)) as { response?: { status: number; data: unknown } }
  t.equal(err.response?.status, 401)
  t.match(err.response?.data, { type: 'unauthenticated' })
})

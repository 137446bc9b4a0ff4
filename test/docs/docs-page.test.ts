/**
 * The API reference page at /__admin/docs, loaded in a real headless Chromium (test/helpers/browser.ts):
 * the page renders the list operation from the mock's own document, with every asset served by the
 * mock itself (offline, no CDN), and "Try it out" works as prefilled.
 */
import t from 'tap'
import type { Page } from 'playwright-core'
import { startTestServer } from '../helpers/app.ts'
import { browserOrSkip } from '../helpers/browser.ts'

const LIST_OP = '#operations-observability-observability-sessions-list-post'

// A browser starts slowly on a busy machine: more than tap's default time for the whole file.
t.setTimeout(180_000)
const found = await browserOrSkip(t)
if (found) {
  const browser = found

  /** Opens the page, recording every URL the browser asked for. */
  async function open(url: string, headers?: Record<string, string>): Promise<{ page: Page; status?: number; urls: string[] }> {
    const context = await browser.newContext(headers ? { extraHTTPHeaders: headers } : {})
    t.teardown(() => context.close())
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    const urls: string[] = []
    page.on('request', (r) => urls.push(r.url()))
    const res = await page.goto(url)
    return { page, status: res?.status(), urls }
  }

  t.test('the docs page shows the list operation and its request body', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    const { page, status, urls } = await open(`${mock.url}/__admin/docs`)
    t.equal(status, 200)
    const op = page.locator(LIST_OP)
    await op.waitFor()
    t.match(await op.locator('.opblock-summary').innerText(), /POST\s+\/observability\.sessions\.list/)
    t.match(await op.innerText(), 'List Observability Sessions (POST)')
    await op.locator('.opblock-summary').click()
    const body = op.locator('.opblock-section-request-body')
    await body.waitFor()
    t.match(await body.innerText(), /"type": "mobile"[\s\S]*"platform": "android"[\s\S]*"version_key"/, 'the request body example, from the schema')
    const paths = await page.locator('.opblock-summary-path').allInnerTexts()
    t.ok(paths.includes('/observability.sessions.get'), 'the get operation too')
    t.ok(paths.includes('/__admin/faults'), 'and the admin API')
    t.ok(urls.length > 3, `the page loaded its assets (${urls.length} requests)`)
    t.strictSame(
      urls.filter((u) => !u.startsWith(`${mock.url}/`) && !u.startsWith('data:')),
      [],
      'every request stayed on the mock: offline, no CDN',
    )
  })

  t.test('"Try it out" on the list operation, as prefilled, answers 200 with sessions', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    const { page } = await open(`${mock.url}/__admin/docs`)
    // Any non-empty token is accepted unless the mock runs with --token: authorize with one.
    await page.locator('.auth-wrapper .authorize').click()
    const scheme = page.locator('.dialog-ux .auth-container', { hasText: 'devrevToken' })
    await scheme.locator('input').fill('docs-page-token')
    await scheme.locator('button.authorize').click()
    await page.locator('.dialog-ux button.btn-done').first().click()
    const op = page.locator(LIST_OP)
    await op.locator('.opblock-summary').click()
    await op.locator('.try-out__btn').click()
    await op.locator('.execute').click()
    const status = op.locator('.live-responses-table tr.response .response-col_status')
    await status.waitFor()
    t.match(await status.innerText(), /^\s*200\b/, 'the prefilled request is accepted')
    const body = JSON.parse(await op.locator('.live-responses-table tr.response .response-col_description pre').first().innerText()) as {
      sessions: { type: string }[]
    }
    t.ok(body.sessions.length > 0, `and finds sessions (${body.sessions.length})`)
    t.ok(body.sessions.length <= 50, 'one page of the example limit')
  })

  t.test('with --admin-token the page needs the token; a browser sending it gets the page', async (t) => {
    const mock = await startTestServer({ adminToken: 'adm' })
    t.teardown(() => mock.close())
    const denied = await open(`${mock.url}/__admin/docs`)
    t.equal(denied.status, 401, 'no token: 401')
    const allowed = await open(`${mock.url}/__admin/docs`, { authorization: 'Bearer adm' })
    t.equal(allowed.status, 200)
    const op = allowed.page.locator(LIST_OP)
    await op.waitFor()
    t.match(await op.innerText(), 'List Observability Sessions (POST)', 'rendered: the token went with every request')
  })
}

/**
 * The dashboard at /__admin/ui in a real headless Chromium (test/helpers/browser.ts): it loads from
 * the mock alone, shows the journal live, draws a 429 cycle over the virtual clock, and steers fault
 * rules, the clock, the limiter and the corpus view through the admin API. With
 * DASHBOARD_SCREENSHOTS=1 it also writes the screenshots the docs show (docs/dashboard-*.png).
 */
import t, { type Test } from 'tap'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { startTestServer, NOW } from '../helpers/app.ts'
import { browserOrSkip } from '../helpers/browser.ts'
import type { MockServer } from '../../src/server.ts'
import { allRecords } from '../helpers/store.ts'

const DOCS = resolve(import.meta.dirname, '../../docs')
const SHOOT = process.env.DASHBOARD_SCREENSHOTS === '1'
const REFUSED = /^Failed to load resource: the server responded with a status of 4\d\d/
const LIST_QS = '/observability.sessions.list?platform=web&version_key=shop.example.com&limit=1'

t.setTimeout(240_000)
const found = await browserOrSkip(t)
if (found) {
  const browser = found

  /** Opens the page, noting console errors and refusing (and noting) any request that would leave 127.0.0.1. */
  async function open(t: Test, mock: MockServer) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    t.teardown(() => context.close())
    const errors: string[] = []
    const refusals: string[] = []
    const outside: string[] = []
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url())
      if (url.hostname !== '127.0.0.1') {
        outside.push(url.href)
        return route.abort()
      }
      return route.continue()
    })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('console', (m) => {
      // Chromium logs every 4xx the page's fetches get; a refusal the page shows is no error of the page.
      if (m.type() === 'error' && !REFUSED.test(m.text())) errors.push(m.text())
      if (REFUSED.test(m.text())) refusals.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(e.message))
    const res = await page.goto(`${mock.url}/__admin/ui`)
    return { page, errors, refusals, outside, status: res?.status() }
  }

  const list = (mock: MockServer, token: string) =>
    fetch(mock.url + LIST_QS, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
      await r.arrayBuffer()
      return r.status
    })

  const rowsAre = (page: Page, n: number) => page.waitForFunction(`document.querySelectorAll('#journal-table tbody tr').length === ${n}`)

  const tab = (page: Page, name: string) => page.locator(`nav button[data-tab="${name}"]`).click()

  t.test('loads fast from the mock alone, and a request appears live within a second', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    // A fresh process reads the files on first use; the time that matters is the page's own.
    for (const p of ['ui', 'ui/app.js', 'ui/timeline.js', 'ui/style.css']) await (await fetch(`${mock.url}/__admin/${p}`)).arrayBuffer()
    const { page, errors, refusals, outside, status } = await open(t, mock)
    t.equal(status, 200)
    await page.locator('#live.live').waitFor()
    // Navigation start to the load event, as the browser timed it (the test's own overhead aside).
    const loadMs = Number(await page.evaluate(`performance.getEntriesByType('navigation')[0].loadEventEnd`))
    t.ok(loadMs > 0 && loadMs < 1000, `the page loaded in ${Math.round(loadMs)} ms`)
    t.equal(await list(mock, 'live-client'), 200)
    const sent = performance.now()
    const row = page.locator('#journal-table tbody tr').first()
    await row.waitFor({ timeout: 1000 })
    const seenMs = performance.now() - sent
    t.match(await row.innerText(), /GET\s+\/observability\.sessions\.list\s+200/)
    t.ok(seenMs < 1000, `shown ${Math.round(seenMs)} ms after the request`)
    t.equal(await page.locator('#timeline circle.tl-req').count(), 1, 'and drawn on the timeline')
    t.same(errors, [], 'no console errors')
    t.same(refusals, [], 'not even a refused call')
    t.same(outside, [], 'no request left 127.0.0.1')
  })

  t.test('a 429 cycle shows its Retry-After window; a retry that waits is not marked, an early one is', async (t) => {
    const mock = await startTestServer({ rateLimit: '2/5m' })
    t.teardown(() => mock.close())
    const { page, errors } = await open(t, mock)
    await page.locator('#live.live').waitFor()
    const statuses = [await list(mock, 'patient'), await list(mock, 'patient'), await list(mock, 'patient')]
    t.same(statuses, [200, 200, 429])
    mock.advanceClock(300_000)
    t.equal(await list(mock, 'patient'), 200, 'retried once the window had ended')
    await page.locator('#journal-table tbody tr').nth(3).waitFor()
    t.equal(await page.locator('#timeline rect.tl-window').count(), 1, 'one Retry-After window drawn')
    t.match(await page.locator('#timeline').innerHTML(), /Retry-After 300 s/)
    t.equal(await page.locator('#timeline .tl-early').count(), 0, 'no early retry')
    t.equal(await page.locator('#journal-table tr.early').count(), 0)
    const limited = page.locator('#journal-table tbody tr', { hasText: '429' })
    t.match(await limited.innerText(), /too_many_requests[\s\S]*300 s/)
    t.equal(await limited.locator('td.s429').count(), 1, 'the 429 coloured as such')

    // Another client that does not wait.
    for (let i = 0; i < 3; i++) await list(mock, 'impatient')
    mock.advanceClock(20_000)
    t.equal(await list(mock, 'impatient'), 429)
    await page.locator('#journal-table tbody tr').nth(7).waitFor()
    await page.locator('#timeline circle.tl-early').waitFor()
    t.equal(await page.locator('#timeline circle.tl-early').count(), 1, 'the early retry is ringed')
    t.equal(await page.locator('#journal-table tr.early').count(), 1, 'and marked in the table')
    t.match(await page.locator('#journal-table tr.early').innerText(), /429[\s\S]*early/)

    // Filters: by status, and by token (typed in clear, compared by its hash).
    await page.locator('#filters select[name=status]').selectOption('429')
    await rowsAre(page, 3)
    await page.locator('#filters select[name=status]').selectOption({ index: 0 })
    await page.locator('#filters input[name=token]').fill('impatient')
    await rowsAre(page, 4)
    await page.locator('#filters input[name=token]').fill('')
    await rowsAre(page, 8)
    await page.locator('#clock-now', { hasText: '12:05:20' }).waitFor()
    if (SHOOT) await page.screenshot({ path: join(DOCS, 'dashboard-journal.png'), clip: { x: 0, y: 0, width: 1280, height: 600 } })
    t.same(errors, [])
  })

  t.test('fault rules: a bad one shows the field\'s message, a good one answers the next request', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    const { page, errors } = await open(t, mock)
    await tab(page, 'faults')
    const form = page.locator('#fault-form')
    await form.locator('select[name=kind]').selectOption('status')
    await form.locator('input[name=value]').fill('299')
    await form.locator('button').click()
    const api = await fetch(`${mock.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":299}' })
    const refused = (await api.json()) as { message: string; field_name: string }
    t.equal(refused.field_name, 'status')
    const fieldError = form.locator('.field-error[data-field~="status"]')
    await page.waitForFunction(`document.querySelector('#fault-form .field-error[data-field~="status"]').textContent !== ''`)
    t.equal(await fieldError.innerText(), refused.message, 'the API\'s own message, next to the field')

    await form.locator('select[name=kind]').selectOption('error')
    await form.locator('input[name=value]').fill('service_unavailable')
    await form.locator('select[name="match.endpoint"]').selectOption('sessions.list')
    await form.locator('input[name=times]').fill('1')
    await form.locator('button').click()
    await page.locator('#faults-table tr[data-id="rule-1"]').waitFor()
    t.equal(await fieldError.innerText(), '', 'the message is gone')
    t.equal(await list(mock, 'client'), 503, 'the next request fails with the rule')
    t.equal(mock.requests()[0]!.rule_id, 'rule-1')
    await tab(page, 'journal')
    t.match(await page.locator('#journal-table tbody tr').first().innerText(), /503\s+service_unavailable\s+rule-1/)
    await tab(page, 'faults')
    if (SHOOT) {
      await form.locator('select[name=kind]').selectOption('status')
      await form.locator('input[name=value]').fill('299')
      await form.locator('button').click()
      await page.waitForFunction(`document.querySelector('#fault-form .field-error[data-field~="status"]').textContent !== ''`)
      await page.screenshot({ path: join(DOCS, 'dashboard-faults.png'), clip: { x: 0, y: 0, width: 1280, height: 600 } })
    }
    await page.locator('#faults-table button[data-remove="rule-1"]').click()
    await page.locator('#faults-table tr[data-id="rule-1"]').waitFor({ state: 'detached' })
    t.same(mock.app.mock.faults.list(), [], 'removed')
    t.same(errors, [])
  })

  t.test('the clock: advance, set, release and freeze from the page move GET /__admin/clock', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    const { page, errors } = await open(t, mock)
    const clock = async () => (await (await fetch(`${mock.url}/__admin/clock`)).json()) as { now_ms: number; frozen: boolean }
    await page.locator('#clock-now', { hasText: '2026-01-15T12:00:00.000Z' }).waitFor()
    await page.locator('#clock-advance input[name=amount]').fill('90')
    await page.locator('#clock-advance button').click()
    await page.locator('#clock-now', { hasText: '2026-01-15T12:01:30.000Z' }).waitFor()
    t.equal((await clock()).now_ms, NOW + 90_000, 'advanced by 90 s')
    await page.locator('#clock-set input[name=now]').fill('not a date')
    await page.locator('#clock-set button').click()
    await page.locator('#clock-set .field-error', { hasText: /now/ }).waitFor()
    await page.locator('#clock-set input[name=now]').fill('2026-02-01T00:00:00Z')
    await page.locator('#clock-set button').click()
    await page.locator('#clock-now', { hasText: '2026-02-01T00:00:00.000Z' }).waitFor()
    t.equal((await clock()).now_ms, Date.parse('2026-02-01T00:00:00Z'), 'set')
    await page.locator('#clock-freeze', { hasText: 'Release' }).click()
    await page.locator('#clock-state', { hasText: 'running' }).waitFor()
    t.equal((await clock()).frozen, false, 'released')
    await page.locator('#clock-freeze', { hasText: 'Freeze' }).click()
    await page.locator('#clock-state', { hasText: 'frozen' }).waitFor()
    t.equal((await clock()).frozen, true, 'frozen again')
    t.same(errors, [])
  })

  t.test('the limiter: on with a limit and window, remaining per token, off', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    const { page, errors } = await open(t, mock)
    await tab(page, 'limiter')
    await page.locator('#limiter-table', { hasText: 'off' }).waitFor()
    const form = page.locator('#limiter-form')
    await form.locator('input[name=enabled]').check()
    await form.locator('input[name=limit]').fill('3')
    await form.locator('input[name=window_s]').fill('60')
    await form.locator('button').click()
    await page.locator('#limiter-table', { hasText: 'No token' }).waitFor()
    t.same(await (await fetch(`${mock.url}/__admin/rate-limit`)).json(), { enabled: true, limit: 3, window_ms: 60_000 })
    await list(mock, 'counted')
    await page.locator('#limiter-table', { hasText: '2 of 3' }).waitFor()
    await form.locator('input[name=limit]').fill('0')
    await form.locator('button').click()
    await page.locator('#limiter-form .field-error', { hasText: /limit/ }).waitFor()
    await form.locator('input[name=enabled]').uncheck()
    await form.locator('button').click()
    await page.locator('#limiter-table', { hasText: 'off' }).waitFor()
    t.same(await (await fetch(`${mock.url}/__admin/rate-limit`)).json(), { enabled: false })
    t.same(errors, [])
  })

  t.test('the corpus: counts per app, a session with its recording and its web replay played by rrweb', async (t) => {
    const mock = await startTestServer()
    t.teardown(() => mock.close())
    const { page, errors, outside } = await open(t, mock)
    await tab(page, 'corpus')
    await page.locator('#corpus-table tbody tr', { hasText: 'shop.example.com' }).waitFor()
    t.match(await page.locator('#corpus-table').innerText(), /all apps\s+400/)
    const form = page.locator('#session-form')
    await form.locator('input[name=id]').fill('no-such-session')
    await form.locator('button').click()
    await form.locator('.field-error', { hasText: 'no session no-such-session' }).waitFor()

    const mobile = allRecords(mock.app.mock.store).find((r) => r.session.platform === 'android')!
    await form.locator('input[name=id]').fill(mobile.session.session_id)
    await form.locator('button').click()
    await page.locator('#replay img').first().waitFor()
    await page.waitForFunction(`[...document.querySelectorAll('#replay img')].every((i) => i.complete && i.naturalWidth > 0)`)
    t.match(await page.locator('#session-json').innerText(), mobile.session.session_id)

    const web = allRecords(mock.app.mock.store).find((r) => r.session.platform === 'web' && r.versionKey === 'shop.example.com')!
    await form.locator('input[name=id]').fill(web.session.session_id)
    await form.locator('button').click()
    await page.locator('#replay .replayer-wrapper iframe').waitFor()
    t.match(await page.locator('#replay-title').innerText(), /rrweb/)
    t.ok((await page.locator('#recording-events li').count()) > 0, 'the recording\'s timeline is listed')
    const title = await page.frameLocator('#replay iframe').locator('title').textContent()
    t.ok(title && title.length > 0, `the replayed page is there (${title})`)
    await page.waitForTimeout(1500) // let the replay run a little
    if (SHOOT) await page.screenshot({ path: join(DOCS, 'dashboard-session.png') })
    t.same(errors, [])
    t.same(outside, [])
  })

  t.test('with --admin-token the page needs the token', async (t) => {
    const mock = await startTestServer({ adminToken: 'admin-secret' })
    t.teardown(() => mock.close())
    await list(mock, 'someone')
    const { page, status } = await open(t, mock)
    t.equal(status, 200, 'the page itself holds nothing of the mock')
    await page.locator('#login').waitFor()
    t.ok(await page.locator('#main').isHidden(), 'nothing shown without the token')
    t.equal(await page.locator('#journal-table tbody tr').count(), 0)
    await page.locator('#login-token').fill('wrong')
    await page.locator('#login button').click()
    await page.locator('#login-error', { hasText: 'refused' }).waitFor()
    t.ok(await page.locator('#main').isHidden())
    await page.locator('#login-token').fill('admin-secret')
    await page.locator('#login button').click()
    await page.locator('#main').waitFor()
    await page.locator('#journal-table tbody tr').first().waitFor()
    t.match(await page.locator('#journal-table tbody tr').first().innerText(), /200/, 'the journal, with the token')
    t.equal(await page.evaluate(() => sessionStorage.length), 1, 'kept for this tab only')
  })
}

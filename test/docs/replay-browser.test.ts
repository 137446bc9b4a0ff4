/**
 * A web replay played by rrweb's own `Replayer` in a real headless Chromium (test/helpers/browser.ts):
 * the browser fetches a segment from its pre-signed URL on the mock and
 * replays it; the replayed page is there, titled as the session's first page. rrweb's browser
 * bundle comes from node_modules (no CDN).

 */
import t from 'tap'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { startTestServer } from '../helpers/app.ts'
import { browserOrSkip } from '../helpers/browser.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

/** rrweb's browser (UMD) bundle, beside the entry point the package exports. */
const RRWEB = join(dirname(createRequire(import.meta.url).resolve('rrweb')), 'rrweb.umd.min.cjs')

// A browser starts slowly on a busy machine: more than tap's default time for the whole file.
t.setTimeout(180_000)
const found = await browserOrSkip(t)
if (found) {
  const browser = found

  t.test("rrweb's Replayer plays a web replay of the mock", async (t) => {
    const mock = await startTestServer({ sessions: 60 })
    t.teardown(() => mock.close())
    const corpus = (await (await fetch(`${mock.url}/__admin/corpus`)).json()) as { sessions: StoredSession[] }
    const s = corpus.sessions.find((x) => x.type === 'web' && (x.details?.events?.length ?? 0) > 0)!
    const recording = (await (
      await fetch(`${mock.url}/observability.sessions.data.get`, {
        method: 'POST',
        headers: { authorization: 'test-token', 'content-type': 'application/json' },
        body: JSON.stringify({ session_id: s.session_id, version_key: s.version_key }),
      })
    ).json()) as { first_page_title: string; replay_data: { presigned_url: string }[] }

    const context = await browser.newContext()
    t.teardown(() => context.close())
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    const urls: string[] = []
    page.on('request', (r) => urls.push(r.url()))
    // A page of the mock's own origin, so the replay URL is fetched like any same-origin object.
    await page.goto(`${mock.url}/__admin/health`)
    await page.setContent('<!DOCTYPE html><html><head><title>player</title></head><body><div id="player"></div></body></html>')
    await page.addScriptTag({ path: RRWEB })
    const seen = await page.evaluate(async (url) => {
      // Runs in the page (the test compiles without the DOM's types).
      const g = globalThis as any
      const events = (await (await fetch(url)).json()) as { timestamp: number }[]
      const replayer = new g.rrweb.Replayer(events, { root: g.document.getElementById('player'), triggerFocus: false, mouseTail: false })
      replayer.pause(events.at(-1)!.timestamp - events[0]!.timestamp)
      const doc = replayer.iframe.contentDocument
      return { title: doc.title, heading: doc.querySelector('h1')?.textContent, text: doc.body?.innerText ?? '' }
    }, recording.replay_data[0]!.presigned_url)
    t.equal(seen.title, recording.first_page_title, 'the replayed page has the first page’s title')
    t.equal(seen.heading, recording.first_page_title, 'its heading too')
    t.ok(seen.text.trim().length > 0, 'and is not blank')
    t.ok(urls.every((u) => u.startsWith(mock.url)), 'nothing fetched from anywhere but the mock')
    t.ok(urls.some((u) => u.startsWith(`${mock.url}/__replays/`)), 'the replay came from its pre-signed URL')
  })
}

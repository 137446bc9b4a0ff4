/**
 * GET /__admin/ui and its assets, served by the mock itself: the page, its modules, rrweb's bundle;
 * nothing else. With --admin-token, the page and its assets load (they hold no state of the mock)
 * while every call they make is guarded.
 */
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'

t.test('the page and its assets', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const page = await app.inject({ url: '/__admin/ui' })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.match(page.body, '<script type="module" src="/__admin/ui/app.js">')
  t.notMatch(page.body, /https?:\/\//, 'no absolute URL: nothing from elsewhere')
  for (const [name, type] of [
    ['app.js', 'text/javascript; charset=utf-8'],
    ['timeline.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['vendor/rrweb.js', 'text/javascript; charset=utf-8'],
    ['vendor/rrweb.css', 'text/css; charset=utf-8'],
  ] as const) {
    const res = await app.inject({ url: `/__admin/ui/${name}` })
    t.equal(res.statusCode, 200, name)
    t.equal(res.headers['content-type'], type, name)
    t.ok(res.body.length > 100, `${name} has content`)
  }
  t.match((await app.inject({ url: '/__admin/ui/vendor/rrweb.js' })).body, 'Replayer')
  for (const url of ['/__admin/ui/../../package.json', '/__admin/ui/%2E%2E%2Fpackage.json']) t.equal((await app.inject({ url })).statusCode, 404, url)
  for (const name of ['index.html', 'toString', 'nope.js']) {
    const res = await app.inject({ url: `/__admin/ui/${name}` })
    t.equal(res.statusCode, 404, name)
    t.same(res.json(), { type: 'not_found', message: `no dashboard file ${name}` })
  }
})

t.test('with --admin-token: the page loads, what it calls needs the token', async (t) => {
  const app = await buildTestApp({ adminToken: 'adm' })
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/__admin/ui' })).statusCode, 200)
  t.equal((await app.inject({ url: '/__admin/ui/app.js' })).statusCode, 200)
  for (const url of ['/__admin/clock', '/__admin/events', '/__admin/corpus/counts', '/__admin/rate-limit/tokens', '/__admin/requests']) {
    t.equal((await app.inject({ url })).statusCode, 401, url)
  }
  t.equal((await app.inject({ url: '/__admin/clock', headers: { authorization: 'Bearer adm' } })).statusCode, 200)
})

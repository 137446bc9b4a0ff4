/**
 * The reference page's request examples come from the corpus being served: sent as they are, each
 * one answers 200 with sessions (or with the session), whatever the seed, and after a corpus change.
 */
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { AUTH, buildTestApp } from '../helpers/app.ts'
import { addLiveExamples } from '../../src/http/openapi-examples.ts'

interface Param { name: string; in: string; example?: unknown }
interface Op {
  requestBody?: { content: Record<string, { examples?: Record<string, { value: Record<string, unknown> }> }> }
  parameters?: Param[]
}
type Doc = { paths: Record<string, Record<string, Op>> }

const docOf = async (app: FastifyInstance, url = '/__admin/openapi.json') => (await app.inject({ method: 'GET', url })).json() as Doc

/** Sends every example of the document and checks each answer has what the operation promises. */
async function sendEveryExample(t: Test, app: FastifyInstance, doc: Doc, types: string[]) {
  const list = doc.paths['/observability.sessions.list']!
  const get = doc.paths['/observability.sessions.get']!
  const listExamples = list.post!.requestBody!.content['application/json']!.examples!
  t.strictSame(Object.keys(listExamples), types, 'one example per session type in the corpus')
  for (const [type, { value }] of Object.entries(listExamples)) {
    t.equal(value.limit, 50, 'a realistic page size, not 0')
    const res = await app.inject({ method: 'POST', url: '/observability.sessions.list', headers: AUTH, payload: value })
    t.equal(res.statusCode, 200, `the ${type} list example is accepted`)
    const sessions = res.json().sessions as { type: string; platform: string }[]
    t.ok(sessions.length > 0, `and finds sessions (${sessions.length})`)
    t.ok(sessions.every((s) => s.type === type && s.platform === value.platform))
  }
  for (const [type, { value }] of Object.entries(get.post!.requestBody!.content['application/json']!.examples!)) {
    const res = await app.inject({ method: 'POST', url: '/observability.sessions.get', headers: AUTH, payload: value })
    t.equal(res.statusCode, 200, `the ${type} get example finds its session`)
    t.equal(res.json().session.session_id, value.session_id)
  }
  for (const [path, op] of [['/observability.sessions.list', list.get!], ['/observability.sessions.get', get.get!]] as const) {
    const query = Object.fromEntries(op.parameters!.filter((p) => p.example !== undefined).map((p) => [p.name, String(p.example)]))
    const res = await app.inject({ method: 'GET', url: path, headers: AUTH, query })
    t.equal(res.statusCode, 200, `GET ${path} with its parameter examples`)
    const body = res.json()
    t.ok(body.session ?? body.sessions.length > 0, 'answers with data')
  }
}

t.test('every example answers 200 with data, for two different seeds', async (t) => {
  for (const seed of [7, 12345]) {
    const app = await buildTestApp({ seed })
    t.teardown(() => app.close())
    const doc = await docOf(app)
    await sendEveryExample(t, app, doc, ['mobile', 'web'])
    t.strictSame(await docOf(app, '/__admin/docs/json'), doc, 'the docs page serves the same examples')
  }
})

t.test('the examples follow a replaced corpus, and the generated document is not changed', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await app.ready()
  const before = structuredClone(app.swagger())
  const exported = (await app.inject({ method: 'GET', url: '/__admin/corpus' })).json() as { sessions: Record<string, unknown>[] }
  // Only web sessions, one without a browser: the example then filters on nothing it cannot know.
  const web = exported.sessions.filter((s) => s.type === 'web').slice(0, 3)
  delete (web[0]!.device_metadata as Record<string, unknown>).browser
  const put = await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: { sessions: web } })
  t.equal(put.statusCode, 200)
  const doc = await docOf(app)
  const value = doc.paths['/observability.sessions.list']!.post!.requestBody!.content['application/json']!.examples!.web!.value
  t.equal(value.version_key, web[0]!.version_key)
  t.strictSame(value.sort_by, ['created_at:desc'])
  await sendEveryExample(t, app, doc, ['web'])
  t.strictSame(app.swagger(), before, 'examples are added to a copy')
})

t.test('an empty corpus has no example to give; a document without the paths is left alone', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  t.equal((await app.inject({ method: 'PUT', url: '/__admin/corpus', payload: { sessions: [] } })).statusCode, 200)
  const doc = await docOf(app)
  t.notOk(doc.paths['/observability.sessions.list']!.post!.requestBody!.content['application/json']!.examples)
  const full = await buildTestApp()
  t.teardown(() => full.close())
  const samples = [full.mock.store.sample('mobile')!, full.mock.store.sample('web')!]
  t.ok(samples.every((r) => r !== undefined))
  t.strictSame(addLiveExamples({}, samples), {}, 'no paths, no change')
  t.strictSame(addLiveExamples({ paths: {} }, samples), { paths: {} })
})

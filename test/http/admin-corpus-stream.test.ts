/**
 * GET /__admin/corpus streams: JSON Lines with `Accept: application/x-ndjson`, the JSON format
 * otherwise; a JSON Lines export loads again (`--fixtures FILE.jsonl`) and exports byte-identically.
 */
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp, startTestServer } from '../helpers/app.ts'
import { parseCorpus } from '../../src/core/corpus/fixtures.ts'

const exportOf = async (app: Awaited<ReturnType<typeof buildTestApp>>, accept?: string) => {
  const res = await app.inject({ method: 'GET', url: '/__admin/corpus', headers: accept ? { accept } : {} })
  t.equal(res.statusCode, 200)
  return res
}

t.test('export as JSON Lines, load it, export again: the same bytes', async (t) => {
  const app = await buildTestApp({ sessions: 300 })
  t.teardown(() => app.close())
  const first = await exportOf(app, 'application/x-ndjson')
  t.match(first.headers['content-type'], /^application\/x-ndjson/)
  const lines = first.body.split('\n')
  t.equal(lines.pop(), '', 'every line ends with a newline')
  t.equal(lines.length, 300)
  const sessions = lines.map((l) => JSON.parse(l))
  t.same(parseCorpus({ sessions }), sessions, 'each line is one stored session')

  const dir = t.testdir()
  const file = join(dir, 'corpus.jsonl')
  writeFileSync(file, first.body)
  const server = await startTestServer({ fixtures: file })
  t.teardown(() => server.close())
  const again = await exportOf(server.app, 'application/x-ndjson')
  t.equal(again.body, first.body, 'byte-identical')

  // The JSON format holds the same sessions in the same bytes, and loads again as JSON.
  const json = await exportOf(server.app, 'application/json')
  t.match(json.headers['content-type'], /^application\/json/)
  t.equal(json.body, `{"sessions":[${lines.join(',')}]}`)
  writeFileSync(join(dir, 'corpus.json'), json.body)
  const fromJson = await startTestServer({ fixtures: join(dir, 'corpus.json') })
  t.teardown(() => fromJson.close())
  t.equal((await exportOf(fromJson.app, 'application/x-ndjson')).body, first.body)
})

t.test('an empty corpus: no lines, and an empty sessions list', async (t) => {
  const app = await buildTestApp({ sessions: 0 })
  t.teardown(() => app.close())
  t.equal((await exportOf(app, 'application/x-ndjson')).body, '')
  t.equal((await exportOf(app)).body, '{"sessions":[]}')
})

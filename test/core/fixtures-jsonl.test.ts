/**
 * JSON Lines fixtures: one stored session a line, read in pieces; the first bad line stops the load
 * with its number and field, nothing half-loaded.
 */
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileLines, FixtureError, isJsonLines, loadFixturesStore, loadJsonLinesFile } from '../../src/core/corpus/fixtures.ts'
import { fixtureJson } from '../../src/core/corpus/source.ts'

const sessions = JSON.parse(readFileSync('fixtures/example.json', 'utf8')).sessions as object[]
const lines = sessions.map((s) => JSON.stringify(s))

t.test('a .jsonl file loads as the .json file does; blank lines, CRLF and a last line without newline are fine', async (t) => {
  const dir = t.testdir({ 'a.jsonl': `${lines.join('\r\n')}\r\n\n`, 'b.ndjson': lines.join('\n') })
  const json = loadFixturesStore('fixtures/example.json')
  for (const f of ['a.jsonl', 'b.ndjson']) {
    const store = loadFixturesStore(join(dir, f))
    t.equal(store.size, sessions.length, f)
    t.same([...store.lines()], [...json.lines()], `${f}: the same sessions`)
  }
  t.same([...json.lines()].map((l) => JSON.parse(l)), sessions.map((s) => JSON.parse(fixtureJson(s as never))))
  t.ok(isJsonLines('x.JSONL') && isJsonLines('x.ndjson') && !isJsonLines('x.json'))
})

t.test('lines are read in pieces, a character split between pieces included', async (t) => {
  const dir = t.testdir({ 'u.jsonl': 'ab\néé€\n\nlast' })
  t.same([...fileLines(join(dir, 'u.jsonl'), 3)], ['ab', 'éé€', '', 'last'])
})

t.test('the first bad line stops the load, named with its field', async (t) => {
  const bad = (mutate: (s: any) => void) => {
    const s = structuredClone(sessions[1]) as any
    mutate(s)
    return JSON.stringify(s)
  }
  const cases: [string, RegExp][] = [
    [[lines[0], '{"type": ', lines[2]].join('\n'), /: line 2: is not valid JSON: /],
    [[lines[0], lines[2], bad((s) => delete s.session_id)].join('\n'), /: line 3: session_id: is required$/],
    [[lines[0], '', bad((s) => (s.created_at = 'soon'))].join('\n'), /: line 3: created_at: /],
    [[lines[0], lines[0]].join('\n'), /: line 2: session_id: duplicate session_id /],
    [[lines[0], '[]'].join('\n'), /: line 2: must be of type object/],
  ]
  for (const [text, message] of cases) {
    const dir = t.testdir({ 'f.jsonl': text })
    t.throws(() => loadJsonLinesFile(join(dir, 'f.jsonl')), { name: 'FixtureError', message }, String(message))
  }
  t.throws(() => loadFixturesStore('no/such/file.jsonl'), new FixtureError('', 'cannot read fixtures file no/such/file.jsonl: ENOENT'))
})

t.test('a big file reports each megabyte read, then the indexing', async (t) => {
  // Every session of the example over and over with fresh ids: a little over 2 MB.
  const out: string[] = []
  for (let i = 0; out.join('\n').length < 2.2 * (1 << 20); i++) {
    const s = JSON.parse(lines[i % lines.length]!) as { session_id: string }
    out.push(JSON.stringify({ ...s, session_id: `${s.session_id}-${i}` }))
  }
  const dir = t.testdir({ 'big.jsonl': out.join('\n') })
  const seen: string[] = []
  const store = loadFixturesStore(join(dir, 'big.jsonl'), (step, done, total, unit) => seen.push(`${step} ${done}/${total} ${unit ?? ''}`))
  t.equal(store.size, out.length)
  const file = join(dir, 'big.jsonl')
  t.same(seen.filter((l) => l.startsWith('reading')), [`reading ${file}: 1/3 MB`, `reading ${file}: 2/3 MB`, `reading ${file}: 3/3 MB`])
  t.equal(seen.at(-1), `indexing ${out.length}/${out.length} `)
})

t.test('a file with no sessions is an empty corpus', async (t) => {
  const dir = t.testdir({ 'e.jsonl': '\n' })
  const store = loadFixturesStore(join(dir, 'e.jsonl'))
  t.equal(store.size, 0)
  t.same(store.versionKeys(), [])
  writeFileSync(join(dir, 'one.jsonl'), lines[0]!)
  t.equal(loadFixturesStore(join(dir, 'one.jsonl')).size, 1)
})

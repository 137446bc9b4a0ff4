/**
 * Every code block of README.md runs as written (rules in ./blocks.ts). The README's blocks address
 * the mock as http://127.0.0.1:8080, as a user's would; this test starts the built command
 * (`dist/bin/cli.js`, the default corpus) with `--port 0` and replaces every `8080` of a block with
 * the port it got. A block that starts the mock itself gets a free port of its own instead, and its
 * processes are stopped after it. Before each block the mock is reset (`POST /__admin/reset`).
 * Programs import the package by name from a scratch project whose node_modules links to this
 * repository, as an installed package would: they run `dist/`, which `npm ci` builds (the `prepare`
 * script) and `npm run build` rebuilds after a change to src/. Without it the test skips, saying so.
 * Skipped blocks are listed with their line and reason.
 */
import t, { type Test } from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { anchors, extractBlocks, jsonKind, onPort, plan, type Block } from './blocks.ts'

/** Error types that mean "this request is wrong" (rather than an injected fault or the limiter's 429). */
const REFUSALS = /^(bad_request|parse_error|invalid_\w+|missing_\w+|unexpected_\w+|value_not_permitted|unauthenticated|forbidden|not_found|request_entity_too_large)$/
// Starting a mock and running a dozen blocks, each in its own process, takes a while on a busy machine.
t.setTimeout(360_000)

const ROOT = resolve(import.meta.dirname, '../..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const CLI = join(ROOT, 'dist/bin/cli.js')

t.test('the rules for blocks', async (t) => {
  const md = [
    '# Title', '', '```sh', 'curl -s http://127.0.0.1:8080/x', '```',
    '1. item', '', '   ```JSON', '   [{"status": 503}]', '   ```', '', '~~~', 'text', '~~~',
  ].join('\n')
  const blocks = extractBlocks(md)
  t.same(blocks, [
    { lang: 'sh', line: 3, code: 'curl -s http://127.0.0.1:8080/x\n' },
    { lang: 'json', line: 8, code: '[{"status": 503}]\n' },
    { lang: '', line: 12, code: 'text\n' },
  ])
  const kind = (lang: string, code: string) => plan({ lang, line: 1, code })
  t.same(kind('js', "import x from 'devrev-observability-mock'"), { kind: 'program', typescript: false })
  t.same(kind('mjs', ''), { kind: 'program', typescript: false })
  t.same(kind('javascript', ''), { kind: 'program', typescript: false })
  t.same(kind('typescript', ''), { kind: 'program', typescript: true })
  t.match(kind('ts', "import { GenericContainer } from 'testcontainers'"), { kind: 'skip', skip: /Docker/ })
  t.match(kind('sh', '# build\ndocker build .'), { kind: 'skip', skip: /Docker/ })
  t.match(kind('bash', 'npm ci && npm start'), { kind: 'skip', skip: /npm/ })
  t.match(kind('shell', 'git clone x'), { kind: 'skip', skip: /git/ })
  t.same(kind('sh', ''), { kind: 'shell', startsMock: false })
  t.same(kind('sh', 'curl -s http://127.0.0.1:8080/__admin/health'), { kind: 'shell', startsMock: false })
  t.same(kind('sh', '# devrev-observability-mock --port 8080\ncurl x'), { kind: 'shell', startsMock: false })
  for (const start of ['npx devrev-observability-mock --port 8080 &', 'node node_modules/.bin/devrev-observability-mock --seed 7 &', 'X=1 devrev-observability-mock --port 1']) {
    t.same(kind('sh', start), { kind: 'shell', startsMock: true }, start)
  }
  t.same(kind('json', '{}'), { kind: 'json' })
  t.match(kind('yml', 'a: 1'), { kind: 'yaml' })
  t.match(kind('', 'text'), { kind: 'skip', skip: /no rule/ })
  t.equal(onPort('http://127.0.0.1:8080/a --port 8080 18080 80801', 4321), 'http://127.0.0.1:4321/a --port 4321 18080 80801')
  t.equal(jsonKind([{ error: 'forbidden' }, { delay_ms: 5 }]), 'faults')
  t.equal(jsonKind({ fault: 'empty_response' }), 'faults')
  t.equal(jsonKind([]), 'other')
  t.equal(jsonKind([{ error: 'forbidden' }, 3]), 'other')
  t.equal(jsonKind({ sessions: [] }), 'corpus')
  t.equal(jsonKind(null), 'other')
  t.same([...anchors('# A Title: x\n```sh\n# not a heading\n```\n## 429 without `sleeping`\n<a id="z"></a>')], ['a-title-x', '429-without-sleeping', 'z'])
})

t.test('the README and the docs speak in the product\'s terms', async (t) => {
  const files = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  t.ok(files.length >= 3, 'there are docs')
  // Words about how the project is built, not about the product (spelled so this file does not match).
  const banned = new RegExp(['issue [0-9]', 'SPEC \u00a7', '\\.\\./shared', 'the\\sbrief', 'these\\smachines', 'this\\sVM'].join('|'))
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) {
      t.fail(`${f} exists`)
      continue
    }
    const lines = readFileSync(join(ROOT, f), 'utf8').split('\n')
    const found = lines.flatMap((l, i) => (banned.test(l) ? [`${f}:${i + 1}: ${l}`] : []))
    t.same(found, [], `${f} names nothing of the build`)
  }
})

t.test('the links of the README and the docs lead somewhere', async (t) => {
  const pages = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  for (const page of pages) {
    const text = readFileSync(join(ROOT, page), 'utf8')
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l))
    for (const link of links) {
      const [file, anchor] = link.split('#') as [string, string | undefined]
      const target = file === '' ? join(ROOT, page) : join(ROOT, dirname(page), file)
      if (!existsSync(target)) {
        t.fail(`${page}: ${link}: ${file} exists`)
        continue
      }
      if (anchor !== undefined) t.ok(anchors(readFileSync(target, 'utf8')).has(anchor), `${page}: ${link} is a heading there`)
      else t.pass(`${page}: ${link} exists`)
    }
  }
  t.ok(pages.length >= 3)
})

/** The environment of a user's shell: none of the mock's options, nothing of the test runner's. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  // The mock's options are PORT, HOST and MOCK_*; the README's examples read DEVREV_MOCK_URL.
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(PORT|HOST|MOCK_\w+|DEVREV_MOCK_URL|_?TAP\w*|NODE_OPTIONS|NODE_V8_COVERAGE)$/.test(k)) env[k] = v
  }
  // tap follows every child process; these run the built dist/ as a user's would, so they must not
  // add to the suite's coverage of src/ (which comes from the tests that run src/ itself).
  return { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0', ...extra }
}

interface Ran {
  code: number | null
  out: string
  err: string
  /** Something the command started was still running when it ended. */
  leftover: boolean
}

/** Runs a command in its own process group, bounded in time; whatever it left running is stopped after. */
function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c))
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal)
      } catch {
        // The group is already gone.
      }
    }
    const guard = setTimeout(() => killGroup('SIGKILL'), opts.timeoutMs ?? 60_000)
    // When the command ends, whatever it left running is found and stopped (it would hold the pipes open).
    let leftover = false
    child.on('exit', () => {
      clearTimeout(guard)
      try {
        process.kill(-child.pid!, 0)
        leftover = true
      } catch {
        // Nothing of the group is left.
      }
      killGroup('SIGTERM')
      setTimeout(() => killGroup('SIGKILL'), 5_000).unref()
    })
    child.on('close', (code) => done({ code, out, err, leftover }))
  })
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
}

/** A scratch project, as an app that installed the package would have it. */
function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'readme-blocks-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-blocks', private: true }))
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true })
  symlinkSync(ROOT, join(dir, 'node_modules/devrev-observability-mock'), 'dir')
  // Like the link npm makes: a node script, so `node node_modules/.bin/...` and `npx` both run it.
  const bin = join(dir, 'node_modules/.bin/devrev-observability-mock')
  writeFileSync(bin, `#!/usr/bin/env node\nimport(${JSON.stringify(pathToFileURL(CLI).href)})\n`)
  chmodSync(bin, 0o755)
  return dir
}

t.test('every code block of the README runs as written', { skip: !existsSync(CLI) && 'dist/ is not built: run `npm run build` (npm ci builds it)' }, async (t) => {
  const dir = scratchProject()
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  // The mock the blocks talk to: the built command, default corpus, any free port.
  const mock = spawn(process.execPath, [CLI, '--port', '0', '--log-level', 'warn'], { env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => mock.kill('SIGTERM'))
  const base = await new Promise<string>((done, fail) => {
    let out = ''
    mock.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c
      const m = /^listening on (http:\/\/\S+)$/m.exec(out)
      if (m) done(m[1]!)
    })
    mock.on('exit', (code) => fail(new Error(`the mock exited ${code} before listening`)))
  })
  const port = Number(new URL(base).port)
  const admin = (path: string, init?: RequestInit) => fetch(`${base}/__admin/${path}`, init)

  const hasCurl = spawnSync('curl', ['--version']).status === 0
  const blocks = extractBlocks(README)
  const skipped: string[] = []
  const ran: Record<string, number> = {}
  t.ok(blocks.length > 0, 'the README has code blocks')
  for (const block of blocks) {
    const p = plan(block)
    const where = `README.md:${block.line} (${block.lang || 'no language'})`
    if ('skip' in p) skipped.push(`${where}: ${p.skip}`)
    if (p.kind === 'skip') continue
    if (p.kind === 'shell' && !hasCurl) {
      skipped.push(`${where}: curl is not installed (install curl to run the README's shell blocks)`)
      continue
    }
    ran[p.kind] = (ran[p.kind] ?? 0) + 1
    t.equal((await admin('reset', { method: 'POST' })).status, 204, `${where}: the mock is reset`)
    await t.test(where, { timeout: 90_000 }, (t) => check(t, block, p))
  }
  t.comment(`skipped, with the reason:\n${skipped.join('\n')}`)
  // The README's promises: node:test programs, shell recipes, and a fault rule file all run here.
  t.ok(ran.program! >= 3 && (ran.shell! >= 3 || !hasCurl) && ran.json! >= 1, `blocks run by kind: ${JSON.stringify(ran)}`)

  async function check(t: Test, block: Block, p: Exclude<ReturnType<typeof plan>, { kind: 'skip' }>): Promise<void> {
    if (p.kind === 'yaml') {
      t.doesNotThrow(() => parseYaml(block.code), 'parses as YAML')
      return
    }
    if (p.kind === 'json') {
      const value: unknown = JSON.parse(block.code)
      const kind = jsonKind(value)
      if (kind === 'faults') {
        const res = await admin('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: block.code })
        t.equal(res.status, 201, `the mock accepts these fault rules: ${await res.text()}`)
      } else if (kind === 'corpus') {
        const res = await admin('corpus', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: block.code })
        t.equal(res.status, 200, `the mock accepts this corpus: ${await res.text()}`)
      } else {
        t.pass('parses as JSON')
      }
      return
    }
    if (p.kind === 'program') {
      const file = join(dir, `readme-line-${block.line}.test.${p.typescript ? 'ts' : 'mjs'}`)
      writeFileSync(file, onPort(block.code, port))
      // TypeScript programs run through the same loader as this suite's own tests.
      const loader = p.typescript ? process.execArgv.filter((a) => a.includes('@tapjs/typescript')) : []
      const r = await run(process.execPath, [...loader, '--test', '--test-reporter=tap', file], { cwd: dir, env: userEnv() })
      t.equal(r.code, 0, `node --test passes:\n${r.out}${r.err}`)
      const pass = /^# pass (\d+)$/m.exec(r.out)
      t.ok(Number(pass?.[1]) >= 1, 'and ran at least one test')
      t.match(r.out, /^# fail 0$/m)
      return
    }
    // A shell block: bash, stopping at the first failing command.
    const own = p.startsMock ? await freePort() : port
    await admin('requests', { method: 'DELETE' })
    const env = userEnv({ PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}` })
    const r = await run('bash', ['-e', '-o', 'pipefail', '-c', onPort(block.code, own)], { cwd: dir, env, timeoutMs: 60_000 })
    t.equal(r.code, 0, `bash exits 0:\n${r.out}${r.err}`)
    t.notMatch(r.out, /route not found/, 'every path exists')
    if (p.startsMock) t.notOk(r.leftover, 'the mock the block started is stopped by the block itself')
    if (!p.startsMock) {
      // A request the README got wrong is refused by validation: only injected errors and the limiter's 429 may show.
      const { requests } = (await (await admin('requests')).json()) as { requests: { status: number | null; rule_id: string | null; error_type: string | null; path: string }[] }
      const refused = requests.filter((q) => q.status !== null && q.status >= 400 && q.rule_id === null && q.error_type !== 'too_many_requests')
      t.same(refused, [], 'no request of the block was refused')
      // Admin calls are not journaled: an error body in the output must be one a fault rule injected.
      const shown = [...r.out.matchAll(/"type":"(\w+)"/g)].map((m) => m[1]!).filter((type) => REFUSALS.test(type))
      const injected = requests.filter((q) => q.rule_id !== null && q.error_type !== null).map((q) => q.error_type!)
      t.same(shown.filter((type) => !injected.includes(type)), [], 'no admin call of the block was refused')
    }
  }
})

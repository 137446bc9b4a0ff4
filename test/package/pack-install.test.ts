/**
 * The package as a user's project gets it: `npm pack` (whose `prepare` builds dist/) on a copy of the
 * sources, the tarball installed into an empty project without the network (every dependency comes from
 * npm's cache, which `npm ci` filled), then `import { startMockServer }` and the bin, by path and by npx.
 */
import t from 'tap'
import { spawn, execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

t.setTimeout(240_000)
const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'

interface LockEntry {
  version?: string
  resolved?: string
  dev?: boolean
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  [k: string]: unknown
}
type Lock = { packages: Record<string, LockEntry> }

/** The lock entries the package's own dependencies reach, found as Node resolves them (nearest node_modules first). */
function productionTree(lock: Lock): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {}
  const queue: string[] = ['']
  while (queue.length > 0) {
    const from = queue.shift()!
    const entry = lock.packages[from]!
    const names = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })
    for (const name of names) {
      let dir = from
      let found: string | undefined
      for (;;) {
        const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`
        if (lock.packages[candidate]) {
          found = candidate
          break
        }
        if (!dir) break
        const i = dir.lastIndexOf('/node_modules/')
        dir = i < 0 ? '' : dir.slice(0, i)
      }
      if (found && !(found in out)) {
        out[found] = lock.packages[found]!
        queue.push(found)
      }
    }
  }
  return out
}

/** Resolves with the first line matching `re` on stdout; the process is killed after `ms`. */
function firstLine(cmd: string, args: string[], cwd: string, re: RegExp, ms = 30_000) {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stderr.on('data', (c: Buffer) => (err += c))
  const timer = setTimeout(() => child.kill('SIGKILL'), ms)
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c
      const m = re.exec(out)
      if (m) resolve(m[0])
    })
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${err}${out}`)))
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => (clearTimeout(timer), resolve())))
  return { child, line, exited }
}

const work = mkdtempSync(join(tmpdir(), 'devrev-mock-pack-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

// A copy of what a clone holds (the sources, not dist/), with the repo's installed dependencies.
const source = join(work, 'source')
for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'fixtures', 'ui']) {
  if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(source, f), { recursive: true })
}
symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir')

t.test('npm pack builds the package through prepare', async (t) => {
  const { stdout } = await run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: source, maxBuffer: 1 << 24 })
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[]
  const files = packed!.files.map((f) => f.path)
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/bin/cli.js', 'package.json', 'README.md', 'ui/index.html', 'ui/app.js']) t.ok(files.includes(f), `the tarball has ${f}`)
  t.notOk(files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'and neither sources nor tests')
  t.ok(existsSync(join(work, packed!.filename)))

  const app = join(work, 'app')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string }
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock
  const tarball = `file:../${packed!.filename}`
  const root = lock.packages['']!
  // The project's lock pins the package's dependencies to the versions this repo tests with, so npm
  // takes them from its cache and needs no registry.
  const entries: Record<string, LockEntry> = {
    '': { name: 'app', version: '1.0.0', dependencies: { [pkg.name]: tarball } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: tarball,
      dependencies: root.dependencies,
      bin: root.bin,
      engines: root.engines,
    },
  }
  // Where a lockfile leaves out the download address, npm must ask the registry for it; given the
  // registry's usual address, it finds the tarball in its cache by the integrity hash instead.
  const registry = (await run(NPM, ['config', 'get', 'registry'])).stdout.trim().replace(/\/?$/, '/')
  for (const [path, entry] of Object.entries(productionTree(lock))) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    const resolved = entry.resolved ?? `${registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`
    entries[path] = { ...entry, resolved }
  }
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module', dependencies: { [pkg.name]: tarball } }))
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: entries }))
  await run(NPM, ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: app, maxBuffer: 1 << 24 })
  t.ok(existsSync(join(app, 'node_modules', pkg.name, 'dist', 'index.js')), 'installed, offline, from the cache')

  t.test('import { startMockServer } works in the project', async (t) => {
    const script = [
      `import { startMockServer } from '${pkg.name}'`,
      'const mock = await startMockServer({ port: 0, seed: 3, sessions: 20 })',
      "const health = await (await fetch(`${mock.url}/__admin/health`)).json()",
      "const ui = await Promise.all(['ui', 'ui/app.js', 'ui/vendor/rrweb.js'].map(async (p) => (await fetch(`${mock.url}/__admin/${p}`)).status))",
      'console.log(JSON.stringify({ url: mock.url, health, ui }))',
      'await mock.close()',
    ].join('\n')
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app })
    const { url, health, ui } = JSON.parse(stdout) as { url: string; health: { status: string; seed: number; sessions: number }; ui: number[] }
    t.same(ui, [200, 200, 200], 'the dashboard and its assets, from the installed package')
    t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    t.match(health, { status: 'ok', seed: 3, sessions: 20 })
  })

  t.test('the bin starts to its listening line', async (t) => {
    const bin = join(app, 'node_modules', '.bin', pkg.name)
    const started = firstLine(bin, ['--port', '0', '--sessions', '10'], app, /listening on http:\/\/\S+/)
    const line = await started.line
    const res = await fetch(`${line.slice('listening on '.length)}/__admin/health`)
    t.equal(res.status, 200, line)
    started.child.kill('SIGTERM')
    await started.exited
  })

  t.test('npx runs it, and stopping npx stops the mock', async (t) => {
    const started = firstLine(NPX, ['--no-install', pkg.name, '--port', '0', '--sessions', '10'], app, /listening on http:\/\/\S+/)
    const url = (await started.line).slice('listening on '.length)
    t.equal((await fetch(`${url}/__admin/health`)).status, 200, 'answers through npx')
    started.child.kill('SIGTERM')
    await started.exited
    // The mock ran under npx's shell; it notices npx is gone and stops, freeing its port.
    const deadline = Date.now() + 5_000
    let stopped = false
    while (!stopped && Date.now() < deadline) {
      stopped = await fetch(`${url}/__admin/health`).then(
        () => false,
        () => true,
      )
      if (!stopped) await new Promise((r) => setTimeout(r, 200))
    }
    t.ok(stopped, 'no mock is left running')
  })
})

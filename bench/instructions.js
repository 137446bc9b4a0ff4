/**
 * Instructions per request, counted by valgrind's callgrind: the same number on a busy machine as on
 * an idle one, where CPU time per request (bench/run.js) moves by a quarter from round to round on a
 * shared machine. Counts user-space instructions only: the kernel's side of a write is not in them.
 *
 *   node bench/instructions.js [--sessions N (20000)] [--warmup N (4000)] [--requests N (2000)] [--only info,warn,bare]
 *
 * For the mock at the default log level, the mock at warn and the bare route of bench/run.js (b),
 * each in turn: start it under callgrind (bench/server.js), send the warm-up requests (the JIT has
 * settled by then), zero the counters, send the measured requests, dump the counters and divide.
 * Needs valgrind (Debian: `apt-get install valgrind`). 127.0.0.1 only; every load is bounded in
 * requests, the whole run by a watchdog.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { fmt, HEADERS, NOW, REALISTIC, SEED } from './common.js'

const here = dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '4000' },
    requests: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'info,warn,bare' },
  },
})
const SESSIONS = Number(args.sessions)
const WARMUP = Number(args.warmup)
const REQUESTS = Number(args.requests)
const ONLY = new Set(args.only.split(','))

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' })
} catch {
  console.error('bench/instructions.js needs valgrind (Debian: apt-get install valgrind)')
  process.exit(2)
}
const dir = mkdtempSync(join(tmpdir(), 'bench-instructions-'))
const children = new Set()
const watchdog = setTimeout(() => {
  console.error('bench/instructions.js: gave up after 20 min')
  for (const c of children) c.kill('SIGKILL')
  process.exit(1)
}, 20 * 60_000)
watchdog.unref()

/** bench/server.js (under callgrind unless `plain`); resolves once it listens. */
function start(name, mode, env, body, plain = false) {
  const node = [process.execPath, join(here, 'server.js'), mode]
  const callgrind = ['--tool=callgrind', `--callgrind-out-file=${join(dir, `${name}.%p`)}`]
  const child = spawn(plain ? node[0] : 'valgrind', plain ? node.slice(1) : [...callgrind, ...node], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  })
  children.add(child)
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited early (code ${code})`)))
    child.on('message', (msg) => msg.ready && resolve({ child, url: `http://127.0.0.1:${msg.port}/observability.sessions.list` }))
    if (body !== undefined) child.send({ cmd: 'body', body })
  })
}

async function load(url, amount) {
  const r = await autocannon({ url, method: 'POST', headers: HEADERS, body: JSON.stringify(REALISTIC), connections: 10, amount, timeout: 60 })
  if (r['2xx'] !== amount) throw new Error(`${url}: ${r['2xx']} of ${amount} answered 2xx`)
}

const control = (...a) => execFileSync('callgrind_control', a, { stdio: 'ignore' })

/** Total instructions in the dump callgrind wrote for `pid` after the zeroing. */
function dumped(name, pid) {
  const files = readdirSync(dir).filter((f) => f.startsWith(`${name}.${pid}.`))
  const text = readFileSync(join(dir, files.sort().at(-1)), 'utf8')
  return Number(/^(?:summary|totals): (\d+)/m.exec(text)[1])
}

async function measure(name, mode, env, body) {
  const { child, url } = await start(name, mode, env, body)
  await load(url, WARMUP)
  control('-z', String(child.pid))
  await load(url, REQUESTS)
  control('-d', String(child.pid))
  const total = dumped(name, child.pid)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.send({ cmd: 'exit' })
  await exited
  children.delete(child)
  return total / REQUESTS
}

const base = { BENCH_SEED: String(SEED), BENCH_SESSIONS: String(SESSIONS), BENCH_NOW: NOW }
console.log(
  `instructions per request (callgrind): ${fmt(SESSIONS)} sessions, ${fmt(WARMUP)} warm-up then ${fmt(REQUESTS)} measured requests, ` +
    `10 connections, Node ${process.version}`,
)
const counts = {}
if (ONLY.has('info')) {
  counts.info = await measure('info', 'mock', { ...base, BENCH_LOG_LEVEL: '' })
  console.log(`  mock (default level)     ${fmt(counts.info).padStart(9)}`)
}
if (ONLY.has('warn')) {
  counts.warn = await measure('warn', 'mock', { ...base, BENCH_LOG_LEVEL: 'warn' })
  console.log(`  mock (--log-level warn)  ${fmt(counts.warn).padStart(9)}`)
}
if (ONLY.has('bare')) {
  // The bare route answers the very bytes the mock answers (asked of a mock outside callgrind).
  const { child: plain, url: plainUrl } = await start('plain', 'mock', { ...base, BENCH_LOG_LEVEL: 'silent' }, undefined, true)
  const body = await (await fetch(plainUrl, { method: 'POST', headers: HEADERS, body: JSON.stringify(REALISTIC) })).text()
  plain.kill()
  counts.bare = await measure('bare', 'bare', base, body)
  console.log(`  bare route               ${fmt(counts.bare).padStart(9)}`)
}
const { info, warn, bare } = counts
if (info && warn) console.log(`  mock (default level) / mock (warn): ${fmt(info / warn, 3)}× the instructions (${fmt(((info - warn) / warn) * 100, 1)}% more)`)
if (bare && info) console.log(`  bare route / mock (default level):  ${fmt(bare / info, 2)}×`)
if (bare && warn) console.log(`  bare route / mock (warn):           ${fmt(bare / warn, 2)}×`)
rmSync(dir, { recursive: true, force: true })

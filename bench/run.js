/**
 * The benchmark (`npm run bench` builds first; then `node bench/run.js [options]`).
 *
 *  a. Deep page vs first page: walks one partition of a 100k-session corpus 50 at a time up to its
 *     200th page, then loads the first page and the 200th page (same request plus the cursor) for
 *     the same fixed time each, alternating for several rounds, and prints throughput, latency and
 *     their ratio. On a mock that keeps no pages, so that each request is worked out afresh.
 *  b. POST /observability.sessions.list (a realistic request: two filters, limit 50) on the mock at
 *     the default log level, on the mock at --log-level warn, on the mock keeping no pages (each
 *     request worked out afresh, as each page of a walk is), and on a bare Fastify route answering
 *     a pre-serialized body of the very same bytes (the stack's ceiling), taking turns for several
 *     rounds; prints throughput and capacity (CPU per request) ratios from this run.
 *  c. Memory of the mock: RSS and heap after loading the corpus, and after the runs.
 *  d. Scale (--scale-sessions, default 1,000,000; 0 skips it): start-up time and RSS, p50/p99 of a
 *     page of a filter that matches about 1% of a partition, and a full walk of the largest
 *     partition at limit 100; on a mock keeping no pages, so that the filter's page is worked out on
 *     every request.
 *
 * Servers run as child processes (bench/server.js), each with its own event loop, on 127.0.0.1
 * only; autocannon runs here, in the parent. On a 2-core machine that gives one core to the load
 * generator and one to the server under load; the two servers are never loaded at the same time.
 * Where `taskset` exists (Linux) each side is pinned to its own core, the servers to the last and
 * this process to the first: without it the scheduler moves them between cores and the CPU time per
 * request of one server moved by a quarter from round to round; pinned, by a few per cent.
 * Every load is bounded by time (--duration seconds) and the whole run by a watchdog.
 *
 * The mock logs as users run it (the product's logger options, JSON, to /dev/null): at the product's
 * default level, or --log-level L for the mock of (a), (c) and (d).
 *
 * Options: --sessions N (100000)  --duration S (3)  --connections C (10)  --rounds R (5)
 *          --log-level L (the product's default)  --scale-sessions N (1000000; 0 = skip (d))
 *          --rate N (0 = as fast as it goes; else a fixed offered rate, requests/s, for every load)
 *          --profile (then one more load of each server in (b), CPU-profiled; summaries printed, files in .bench/)
 *          --no-pin (leave the placing of processes on cores to the scheduler)
 *          --json (also print the results as one JSON line)
 */
import { execFileSync, fork } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { fmt, HEADERS, LIMIT, NOW, REALISTIC, SEED } from './common.js'
import { summarizeProfile } from './profile.js'

const here = dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    rate: { type: 'string', default: '0' },
    'log-level': { type: 'string' },
    'scale-sessions': { type: 'string', default: '1000000' },
    profile: { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const SESSIONS = Number(args.sessions)
const DURATION = Number(args.duration)
const CONNECTIONS = Number(args.connections)
const ROUNDS = Number(args.rounds)
const RATE = Number(args.rate)
const WARMUP_S = 1
const DEEP_PAGE = 200
const LOG_LEVEL = args['log-level']
const SCALE_SESSIONS = Number(args['scale-sessions'])
const WATCHDOG_MS = SCALE_SESSIONS > 0 ? 540_000 : 240_000

/** Pins a process (every thread it has; later ones inherit) to one core; false where taskset is not there. */
function pin(pid, core) {
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(core), String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const CORES = availableParallelism()
const PINNED = !args['no-pin'] && CORES >= 2 && pin(process.pid, 0)

const children = new Set()
const watchdog = setTimeout(() => {
  console.error(`bench: gave up after ${WATCHDOG_MS / 1000} s`)
  for (const c of children) c.kill('SIGKILL')
  process.exit(1)
}, WATCHDOG_MS)
watchdog.unref()

/** Starts bench/server.js in a child process and waits until it listens. */
async function startServer(mode, { body, logLevel = LOG_LEVEL, sessions = SESSIONS, pageCache } = {}) {
  const child = fork(join(here, 'server.js'), [mode], {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      BENCH_SEED: String(SEED),
      BENCH_SESSIONS: String(sessions),
      BENCH_NOW: NOW,
      BENCH_LOG_LEVEL: logLevel ?? '',
      BENCH_PAGE_CACHE: pageCache === undefined ? '' : String(pageCache),
    },
    // The mock's log lines go to /dev/null: written and formatted as for a user, but not shown.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  children.add(child)
  if (PINNED) pin(child.pid, CORES - 1)
  const replies = []
  let ready
  const readyP = new Promise((resolve, reject) => {
    ready = resolve
    child.once('exit', (code) => reject(new Error(`${mode} server exited early (code ${code})`)))
  })
  child.on('message', (msg) => (msg.ready ? ready(msg) : replies.shift()?.(msg)))
  if (body !== undefined) child.send({ cmd: 'body', body })
  const info = await readyP
  /** Sends a command and waits for its one reply. */
  const ask = (cmd, extra = {}) =>
    new Promise((resolve) => {
      replies.push(resolve)
      child.send({ cmd, ...extra })
    })
  return {
    ...info,
    url: `http://127.0.0.1:${info.port}/observability.sessions.list`,
    ask,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send({ cmd: 'exit' })
      await exited
      children.delete(child)
    },
  }
}

async function post(url, request) {
  const res = await fetch(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(request) })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`POST ${url} → ${res.status}: ${text}`)
  return text
}

/** Loads `server` with one fixed request for `seconds`; counts the server's CPU time meanwhile. */
async function load(server, request, seconds, connections = CONNECTIONS) {
  const body = JSON.stringify(request)
  const before = (await server.ask('cpu')).cpu
  const result = await autocannon({
    url: server.url,
    method: 'POST',
    headers: HEADERS,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    ...(RATE > 0 ? { overallRate: RATE } : {}),
  })
  const cpu = (await server.ask('cpu')).cpu - before
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`load on ${server.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`)
  }
  const requests = result['2xx']
  return {
    rps: requests / (result.duration || seconds),
    requests,
    p50: result.latency.p50,
    p99: result.latency.p99,
    meanLatency: result.latency.average,
    bytesPerResponse: Math.round(result.throughput.total / Math.max(1, requests)),
    serverCpuUsPerReq: cpu / Math.max(1, requests),
    serverCpuShare: cpu / 1e6 / (result.duration || seconds),
  }
}

async function measure(server, request, connections) {
  await load(server, request, WARMUP_S, connections)
  return load(server, request, DURATION, connections)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const row = (label, r) =>
  `  ${label.padEnd(26)} ${fmt(r.rps).padStart(7)} req/s   p50 ${fmt(r.p50).padStart(3)} ms   p99 ${fmt(r.p99).padStart(3)} ms   ` +
  `server CPU ${fmt(r.serverCpuUsPerReq).padStart(4)} µs/req (${fmt(r.serverCpuShare * 100)}% of a core)   ${fmt(r.bytesPerResponse)} B`

const results = { machine: { cpus: CORES, node: process.version, pinned: PINNED } }
results.config = { sessions: SESSIONS, duration: DURATION, connections: CONNECTIONS, rounds: ROUNDS, limit: LIMIT }
console.log(
  `bench: ${fmt(SESSIONS)} sessions, ${CONNECTIONS} connections, ${DURATION} s per load (after ${WARMUP_S} s warm-up), ` +
    `${results.machine.cpus} cores${PINNED ? ` (servers pinned to core ${CORES - 1}, the load generator to core 0)` : ''}, Node ${process.version}`,
)

const mock = await startServer('mock')
console.log(`mock (log level ${LOG_LEVEL ?? 'default'}): corpus generated and listening in ${fmt(mock.startupMs)} ms`)
// The same mock keeping no pages: each request worked out afresh, as every page of a walk is.
const fresh = await startServer('mock', { pageCache: 0 })

// c. Memory after loading the corpus (before any request: no sort index, no memoized JSON yet).
results.memoryAfterLoad = mock.memory
console.log(`\n(c) memory after loading ${fmt(SESSIONS)} sessions: RSS ${mock.memory.rss} MiB, heap used ${mock.memory.heapUsed} MiB`)

// a. Walk one partition to its 200th page, then first page vs that page: on the mock keeping no
// pages, so that both are worked out on every request (a repeated page is otherwise served as kept).
const scope = { type: 'web', platform: 'web', version_key: 'shop.example.com', limit: LIMIT }
let cursor
let deepPageText
const walkStart = performance.now()
for (let page = 1; page <= DEEP_PAGE; page++) {
  const text = await post(fresh.url, cursor === undefined ? scope : { ...scope, cursor })
  const parsed = JSON.parse(text)
  if (parsed.sessions.length !== LIMIT) {
    throw new Error(`the partition ${scope.version_key}/${scope.platform} has no full page ${page} at limit ${LIMIT}`)
  }
  if (page === DEEP_PAGE) {
    deepPageText = text
    break
  }
  cursor = parsed.next_cursor
  if (cursor === undefined) throw new Error(`the walk ended at page ${page}`)
}
const walkMs = performance.now() - walkStart
const deepRequest = { ...scope, cursor }
// The request autocannon repeats must answer exactly the page the walk reached.
if ((await post(fresh.url, deepRequest)) !== deepPageText) throw new Error('the 200th page is not stable')
console.log(
  `\n(a) first page vs page ${DEEP_PAGE} (sessions ${fmt((DEEP_PAGE - 1) * LIMIT + 1)}–${fmt(DEEP_PAGE * LIMIT)}) of ` +
    `${scope.version_key}/${scope.platform}, limit ${LIMIT}; the walk of ${DEEP_PAGE} pages took ${fmt(walkMs)} ms`,
)
const firsts = []
const deeps = []
for (let i = 1; i <= ROUNDS; i++) {
  const f = await measure(fresh, scope)
  console.log(row(`round ${i}: first page`, f))
  const d = await measure(fresh, deepRequest)
  console.log(row(`round ${i}: page ${DEEP_PAGE}`, d))
  firsts.push(f)
  deeps.push(d)
}
const total = (rs, key) => rs.reduce((s, r) => s + r[key], 0)
results.deepPage = {
  rounds: firsts.map((first, i) => ({ first, deep: deeps[i] })),
  rpsRatio: total(deeps, 'requests') / total(firsts, 'requests'),
  cpuRatio: total(deeps, 'serverCpuUsPerReq') / total(firsts, 'serverCpuUsPerReq'),
  p50: { first: median(firsts.map((r) => r.p50)), deep: median(deeps.map((r) => r.p50)) },
  p99: { first: median(firsts.map((r) => r.p99)), deep: median(deeps.map((r) => r.p99)) },
}
console.log(
  `  page ${DEEP_PAGE} / first page: throughput ${fmt(results.deepPage.rpsRatio, 2)}×, ` +
    `server CPU per request ${fmt(results.deepPage.cpuRatio, 2)}×, ` +
    `median p50 ${results.deepPage.p50.deep} vs ${results.deepPage.p50.first} ms, median p99 ${results.deepPage.p99.deep} vs ${results.deepPage.p99.first} ms`,
)

// b. A realistic list request vs a bare route answering the same bytes.
const pageText = await post(mock.url, REALISTIC)
if (JSON.parse(pageText).sessions.length !== LIMIT) throw new Error('the realistic request has no full page')
const bare = await startServer('bare', { body: pageText })
// The mock at --log-level warn (the mock above runs at the default level unless --log-level says otherwise).
const warn = await startServer('mock', { logLevel: 'warn' })
// The bare route and the mock at warn must answer the very same bytes.
if ((await post(bare.url, REALISTIC)) !== pageText) throw new Error('the bare route answers other bytes')
if ((await post(warn.url, REALISTIC)) !== pageText) throw new Error('the mock at warn answers other bytes')
if ((await post(fresh.url, REALISTIC)) !== pageText) throw new Error('the mock keeping no pages answers other bytes')
const sides = [
  ['mock', `mock (${LOG_LEVEL ?? 'default level'})`, mock],
  ['fresh', 'mock, no page kept', fresh],
  ['warn', 'mock (--log-level warn)', warn],
  ['bare', 'bare route', bare],
]
console.log(
  `\n(b) POST /observability.sessions.list (mobile, 2 filters, limit ${LIMIT}, ${fmt(Buffer.byteLength(pageText))} B): ` +
    `the mock at ${LOG_LEVEL ?? 'the default log level'}, keeping no pages, at warn, and a bare Fastify route answering the same bytes; ${ROUNDS} rounds, taking turns`,
)
const rounds = []
for (let i = 1; i <= ROUNDS; i++) {
  const round = {}
  for (const [key, label, server] of sides) {
    round[key] = await measure(server, REALISTIC)
    console.log(row(`round ${i}: ${label}`, round[key]))
  }
  rounds.push(round)
}
const sum = (side, key) => rounds.reduce((s, r) => s + r[side][key], 0)
/**
 * Throughput ratio a/b (requests in the same time) and capacity ratio (b's CPU per request over a's,
 * medians over the rounds: one round disturbed by the rest of the machine does not decide it). Also
 * the median of the rounds' own ratios: the servers of one round run within seconds of each other,
 * so a machine that is slower for a while weighs on both sides of each of those ratios alike.
 */
const ratios = (a, b) => ({
  throughput: sum(a, 'requests') / sum(b, 'requests'),
  capacity: median(rounds.map((r) => r[b].serverCpuUsPerReq)) / median(rounds.map((r) => r[a].serverCpuUsPerReq)),
  capacityPerRound: median(rounds.map((r) => r[b].serverCpuUsPerReq / r[a].serverCpuUsPerReq)),
})
const bareShare = sum('bare', 'serverCpuShare') / rounds.length
results.ceiling = {
  rounds,
  mockVsBare: ratios('mock', 'bare'),
  warnVsBare: ratios('warn', 'bare'),
  mockVsWarn: ratios('mock', 'warn'),
  freshVsBare: ratios('fresh', 'bare'),
  bareServerCpuShare: bareShare,
}
const show = (label, r) =>
  `  ${label.padEnd(34)} throughput ${fmt(r.throughput, 2)}×, capacity (inverse server CPU per request) ${fmt(r.capacity, 2)}× ` +
  `(round by round: median ${fmt(r.capacityPerRound, 2)}×)`
console.log(show(`mock (${LOG_LEVEL ?? 'default level'}) / bare route:`, results.ceiling.mockVsBare))
console.log(show('mock (warn) / bare route:', results.ceiling.warnVsBare))
console.log(show(`mock (${LOG_LEVEL ?? 'default level'}) / mock (warn):`, results.ceiling.mockVsWarn))
console.log(show('mock, no page kept / bare route:', results.ceiling.freshVsBare))
if (bareShare < 0.9) {
  console.log(
    `  note: the bare route used ${fmt(bareShare * 100)}% of a core, so the load generator (not the server) capped it; ` +
      'the capacity ratio is the stricter number',
  )
}

const profiles = []
if (args.profile) {
  // One more load of each server, profiled (the rounds above stay unprofiled).
  for (const [name, server] of [['mock', mock], ['bare route', bare]]) {
    await server.ask('profile', { on: true })
    const r = await load(server, REALISTIC, DURATION)
    profiles.push({ name, file: (await server.ask('profile', { on: false })).file, r })
  }
}

results.memoryAfterRuns = await mock.ask('memory').then((m) => m.memory)
console.log(
  `\n(c) memory after the runs (sorted indexes built, sessions' JSON memoized): ` +
    `RSS ${results.memoryAfterRuns.rss} MiB, heap used ${results.memoryAfterRuns.heapUsed} MiB`,
)

await Promise.all([mock.stop(), fresh.stop(), bare.stop(), warn.stop()])
for (const p of profiles) {
  console.log(`\nprofile of the ${p.name} under the load of (b): ${p.file}`)
  console.log(row(p.name, p.r))
  console.log(summarizeProfile(p.file, 30))
}

// d. Scale: a large generated corpus, alone on the machine's second core.
if (SCALE_SESSIONS > 0) {
  // No page kept: the filter's page below is asked for again and again, and it is the filtering
  // that is timed (a mock keeping pages would answer all but the first from the page kept).
  const big = await startServer('mock', { sessions: SCALE_SESSIONS, pageCache: 0 })
  const loaded = big.memory
  console.log(
    `\n(d) ${fmt(SCALE_SESSIONS)} sessions: listening after ${fmt(big.startupMs / 1000, 1)} s (corpus and indexes in the server process), ` +
      `RSS ${fmt(loaded.rss)} MiB (peak ${fmt(loaded.peakRss)} MiB), heap used ${fmt(loaded.heapUsed)} MiB`,
  )
  // About 1% of the partition (10% × 25% × a third ≈ 0.8%): rage taps on 3G with Android 14.
  const rare = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', rage_tap: true, network_type: ['3g'], os_version: ['14'], limit: LIMIT }
  let matched = 0
  let c
  do {
    const page = JSON.parse(await post(big.url, { ...rare, limit: 100, ...(c ? { cursor: c } : {}) }))
    matched += page.sessions.length
    c = page.next_cursor
  } while (c)
  const health = await (await fetch(big.url.replace('/observability.sessions.list', '/__admin/health'))).json()
  const filter = await measure(big, rare, 1)
  console.log(
    `  a filter matching ${fmt(matched)} sessions of com.example.shop/android (rage_tap, network_type, os_version), ` +
      `page of ${LIMIT}, 1 connection: p50 ${filter.p50} ms, p99 ${filter.p99} ms, ${fmt(filter.rps)} req/s`,
  )
  // The largest partition, walked whole at limit 100 by next_cursor.
  const walkScope = { type: 'web', platform: 'web', version_key: 'shop.example.com', limit: 100 }
  let walked = 0
  let pages = 0
  let cur
  const w0 = performance.now()
  do {
    const page = JSON.parse(await post(big.url, cur ? { ...walkScope, cursor: cur } : walkScope))
    walked += page.sessions.length
    pages++
    cur = page.next_cursor
  } while (cur)
  const walkS = (performance.now() - w0) / 1000
  const after = (await big.ask('memory')).memory
  console.log(
    `  walk of ${walkScope.version_key}/web at limit 100: ${fmt(walked)} sessions in ${fmt(pages)} pages, ${fmt(walkS, 1)} s ` +
      `(${fmt((walkS * 1000) / pages, 1)} ms a page); RSS after ${fmt(after.rss)} MiB (peak ${fmt(after.peakRss)} MiB)`,
  )
  results.scale = { sessions: SCALE_SESSIONS, health: health.sessions, startupMs: big.startupMs, memoryAfterLoad: loaded, filter: { matched, ...filter }, walk: { sessions: walked, pages, seconds: walkS }, memoryAfterRuns: after }
  await big.stop()
}

if (args.json) console.log(JSON.stringify(results))
clearTimeout(watchdog)

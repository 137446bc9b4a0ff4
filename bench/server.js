/**
 * The server side of the benchmark, run by bench/run.js as a child process (with an IPC channel) so
 * the server has its own event loop and core while autocannon loads it from the parent.
 *
 *   node bench/server.js mock   the built product (../dist) over a generated corpus, logging as users
 *                               run it: the product's own logger options at BENCH_LOG_LEVEL (default:
 *                               the product's default level), JSON to stdout (the parent points it at /dev/null)
 *   node bench/server.js bare   one bare Fastify route that answers a pre-serialized body
 *
 * Both listen on 127.0.0.1 only, on a free port. Messages from the parent:
 *   { cmd: 'body', body }  (bare only, before it listens) the bytes to answer with
 *   { cmd: 'cpu' }         → { cpu, user, system } this process's CPU time so far (µs), to tell who was busy
 *   { cmd: 'memory' }      → { memory } RSS and heap now (MiB)
 *   { cmd: 'profile', on } start / stop a CPU profile; stop → { file }
 *   { cmd: 'exit' }        close and exit (a --cpu-prof profile is written on this exit)
 * The child sends { ready, port, startupMs, memory } once it listens.
 */
import Fastify from 'fastify'

const mode = process.argv[2]
const env = process.env

/** RSS and heap in MiB, after a full GC when --expose-gc is on (a stable number, not garbage). */
function memory() {
  globalThis.gc?.()
  const m = process.memoryUsage()
  const mib = (n) => Math.round((n / 1048576) * 10) / 10
  return {
    rss: mib(m.rss),
    peakRss: mib(process.resourceUsage().maxRSS * 1024),
    heapUsed: mib(m.heapUsed),
    heapTotal: mib(m.heapTotal),
    external: mib(m.external),
  }
}

function nextMessage(cmd) {
  return new Promise((resolve) => {
    const on = (msg) => {
      if (msg?.cmd !== cmd) return
      process.off('message', on)
      resolve(msg)
    }
    process.on('message', on)
  })
}

/** The mock's logger, as the server makes it; its lines are batched once it listens. */
let log

async function mockApp() {
  const { buildApp } = await import('../dist/index.js')
  const { createLogger } = await import('../dist/server.js')
  const { DEFAULTS } = await import('../dist/core/defaults.js')
  log = createLogger(env.BENCH_LOG_LEVEL || DEFAULTS.logLevel, false)
  return buildApp({
    seed: Number(env.BENCH_SEED),
    sessions: Number(env.BENCH_SESSIONS),
    now: Date.parse(env.BENCH_NOW),
    // 0: no page kept, every request worked out afresh (as each page of a walk is).
    ...(env.BENCH_PAGE_CACHE ? { pageCache: Number(env.BENCH_PAGE_CACHE) } : {}),
    // Not a terminal: JSON lines, as the product writes them when its output is piped or collected.
    loggerInstance: log?.logger,
  })
}

async function bareApp() {
  // The stack's ceiling: Fastify with default settings (logger off, as in the mock), one POST route
  // that parses the same JSON request body and answers the very same bytes, pre-serialized once as
  // a Buffer (the cheapest payload Fastify sends: no serialization, no string encoding).
  const body = Buffer.from((await nextMessage('body')).body)
  const app = Fastify({ logger: false })
  app.post('/observability.sessions.list', (_req, reply) => {
    reply.type('application/json; charset=utf-8').send(body)
  })
  return app
}

/** CPU profile of a stretch of the run (not of start-up): written to .bench/profiles/. */
let session
async function profile(on) {
  const { Session } = await import('node:inspector/promises')
  if (on) {
    session = new Session()
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 100 })
    await session.post('Profiler.start')
    return { on: true }
  }
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()
  const { mkdirSync, writeFileSync } = await import('node:fs')
  const dir = new URL('../.bench/profiles/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  const file = new URL(`${mode}-${process.pid}.cpuprofile`, dir)
  writeFileSync(file, JSON.stringify(profile))
  return { file: file.pathname }
}

const t0 = performance.now()
const app = mode === 'mock' ? await mockApp() : mode === 'bare' ? await bareApp() : undefined
if (!app) {
  console.error('usage: node bench/server.js mock|bare')
  process.exit(2)
}
await app.listen({ host: '127.0.0.1', port: 0 })
log?.lines?.batch()
const startupMs = Math.round(performance.now() - t0)
const port = app.server.address().port

process.on('message', async (msg) => {
  if (msg?.cmd === 'cpu') {
    const u = process.cpuUsage()
    process.send({ cpu: u.user + u.system, user: u.user, system: u.system })
  } else if (msg?.cmd === 'profile') {
    process.send(await profile(msg.on))
  } else if (msg?.cmd === 'memory') {
    process.send({ memory: memory() })
  } else if (msg?.cmd === 'exit') {
    await app.close()
    process.exit(0)
  }
})
// The parent went away without saying goodbye: do not linger.
process.on('disconnect', () => process.exit(0))
process.send({ ready: true, port, startupMs, memory: memory() })

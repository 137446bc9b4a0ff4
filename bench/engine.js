/**
 * The engine alone, in a hot loop (`npm run build` first; then `node bench/engine.js [options]`):
 * the request of bench/run.js (b), parsed from its JSON each time as a route gets it, answered by
 * the core's `list()` and then assembled into the page's bytes as the route does. No HTTP, no
 * hooks, no logger: what is left is the part of a request that is the mock's own work.
 *
 * Prints the time per request of: parsing alone, parsing + list(), parsing + list() + the page,
 * the best of --rounds rounds (a round disturbed by the rest of the machine does not decide it),
 * and the differences. Inside a loaded server the same code costs two to six times as much
 * (docs/performance.md): read these numbers to compare versions of the engine, not as its cost there.
 *
 * Options: --sessions N (100000)  --iterations N (100000 per round)  --rounds R (5)
 */
import { parseArgs } from 'node:util'
import { fmt, NOW, REALISTIC, SEED } from './common.js'

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '100000' },
    iterations: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
  },
})
const SESSIONS = Number(args.sessions)
const ITERATIONS = Number(args.iterations)
const ROUNDS = Number(args.rounds)

const { MockCore } = await import('../dist/core/mock.js')
const { listBody } = await import('../dist/http/routes/sessions.js')
const { BufferPool } = await import('../dist/http/buffer-pool.js')

// No page kept: the loop repeats one request, and it is the work of answering it that is timed.
const mock = new MockCore({ version: 'bench', seed: SEED, sessions: SESSIONS, now: Date.parse(NOW), pageCache: 0 })
const pool = new BufferPool()
const text = JSON.stringify(REALISTIC)

const steps = {
  parse: () => JSON.parse(text).limit,
  list: () => mock.list(JSON.parse(text)).sessions.length,
  page: () => {
    const { body, pooled } = listBody(mock.list(JSON.parse(text)), pool)
    if (pooled) pool.give(pooled)
    return body.length
  },
}

/** µs per call of `step`, over ITERATIONS calls (its results summed, so that none is optimized away). */
function time(step) {
  let sink = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < ITERATIONS; i++) sink += step()
  const us = Number(process.hrtime.bigint() - start) / 1000 / ITERATIONS
  if (sink === 0) throw new Error('no work was done')
  return us
}

for (const step of Object.values(steps)) time(step) // warm-up: the JIT settles
const best = Object.fromEntries(Object.keys(steps).map((k) => [k, Infinity]))
for (let r = 0; r < ROUNDS; r++) for (const [k, step] of Object.entries(steps)) best[k] = Math.min(best[k], time(step))

const page = mock.list(JSON.parse(text))
console.log(
  `engine: ${fmt(SESSIONS)} sessions, the request of bench/run.js (b) (${page.sessions.length} sessions a page), ` +
    `best of ${ROUNDS} rounds of ${fmt(ITERATIONS)}, Node ${process.version}`,
)
console.log(`  JSON.parse of the request      ${fmt(best.parse, 2).padStart(6)} µs`)
console.log(`  + list()                       ${fmt(best.list, 2).padStart(6)} µs   (list() alone ${fmt(best.list - best.parse, 2)} µs)`)
console.log(`  + the page's bytes (listBody)  ${fmt(best.page, 2).padStart(6)} µs   (the page alone ${fmt(best.page - best.list, 2)} µs)`)

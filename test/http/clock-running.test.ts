/**
 * A running clock for clients that really wait: started with `--now`, the clock runs at real speed, so
 * a client that sleeps `Retry-After` seconds after a 429 gets through and is not flagged early; with
 * `--freeze-clock` the same client is flagged and refused until the clock is moved. Also the
 * in-process clock methods.
 */
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { runCli } from '../helpers/cli.ts'
import { startTestServer, NOW } from '../helpers/app.ts'

// Each CLI child compiles the TypeScript sources first: on a busy machine that alone takes a while.
const SLOW_START = { timeoutMs: 90_000 }
t.setTimeout(300_000)

const LIST = '/observability.sessions.list'
const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }
const START = '2026-01-15T12:00:00Z'

async function list(url: string, token: string) {
  const res = await fetch(url + LIST, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(LIST_BODY),
    signal: AbortSignal.timeout(10_000),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, retryAfter: res.headers.get('retry-after') }
}

async function journal(url: string) {
  const res = await fetch(`${url}/__admin/requests`, { signal: AbortSignal.timeout(10_000) })
  return ((await res.json()) as { requests: { status: number; early_retry: boolean }[] }).requests
}

/** Lists until the limiter answers 429 (at most 4 tries: one window holds one request). */
async function until429(url: string, token: string) {
  for (let i = 0; i < 4; i++) {
    const r = await list(url, token)
    if (r.status === 429) return r
  }
  throw new Error('no 429 in 4 requests under --rate-limit 1/1s')
}

t.test('--now, clock running: a client that really sleeps Retry-After gets 200 and is not flagged', async (t) => {
  const cli = runCli(['--port', '0', '--sessions', '20', '--now', START, '--rate-limit', '1/1s', '--log-level', 'warn'], SLOW_START)
  t.teardown(() => cli.stop())
  const url = await cli.listening
  const told = await until429(url, 'sleeper')
  t.equal(told.body.retry_after, 1, 'retry_after: 1')
  t.equal(told.retryAfter, '1', 'Retry-After: 1')
  await sleep(1000)
  const again = await list(url, 'sleeper')
  t.equal(again.status, 200, 'after a real second, the next window lets it in')
  const last = (await journal(url)).at(-1)!
  t.same([last.status, last.early_retry], [200, false], 'not flagged early_retry')
  const clock = (await (await fetch(`${url}/__admin/clock`)).json()) as { now_ms: number; frozen: boolean }
  t.equal(clock.frozen, false)
  t.ok(clock.now_ms >= Date.parse(START) + 1000, 'the clock ran from --now')
})

t.test('--freeze-clock: the same client is flagged and refused until the clock is moved', async (t) => {
  const cli = runCli(['--port', '0', '--sessions', '20', '--now', START, '--freeze-clock', '--rate-limit', '1/1s', '--log-level', 'warn'], SLOW_START)
  t.teardown(() => cli.stop())
  const url = await cli.listening
  const first = await list(url, 'sleeper')
  t.equal(first.status, 200)
  const told = await list(url, 'sleeper')
  t.equal(told.status, 429, 'a frozen clock: the second request is always in the same window')
  t.equal(told.body.retry_after, 1)
  await sleep(1000)
  const again = await list(url, 'sleeper')
  t.equal(again.status, 429, 'refused: the frozen clock did not move in that second')
  t.same((await journal(url)).map((r) => [r.status, r.early_retry]), [[200, false], [429, false], [429, true]], 'flagged early_retry')
  const moved = await fetch(`${url}/__admin/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_ms: 1000 }),
  })
  t.match(await moved.json(), { now: '2026-01-15T12:00:01.000Z', frozen: true })
  t.equal((await list(url, 'sleeper')).status, 200, 'once the clock is moved, it gets in')
  t.equal((await journal(url)).at(-1)!.early_retry, false)
})

t.test('in-process: setClock, freezeClock, releaseClock, advanceClock; freezeClock as an option', async (t) => {
  const mock = await startTestServer({ sessions: 5, freezeClock: false })
  t.teardown(() => mock.close())
  t.equal(mock.app.mock.clock.frozen, false, 'freezeClock: false runs the clock')
  const stood = mock.freezeClock()
  await sleep(20)
  t.equal(mock.app.mock.clock.now(), stood, 'frozen')
  t.equal(mock.setClock('2030-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z'))
  t.equal(mock.advanceClock(500), Date.parse('2030-01-01T00:00:00.500Z'))
  t.equal(mock.releaseClock(), Date.parse('2030-01-01T00:00:00.500Z'))
  await sleep(20)
  t.ok(mock.app.mock.clock.now() >= Date.parse('2030-01-01T00:00:00.515Z'), 'running from there')
  t.throws(() => mock.setClock('soon'), { name: 'OptionError', message: /^now must be an ISO date-time/ })
  mock.reset()
  t.ok(Math.abs(mock.app.mock.clock.now() - NOW) < 5000, 'reset: back at the start instant, running')

  const frozen = await startTestServer({ sessions: 5, env: { MOCK_FREEZE_CLOCK: '1' }, freezeClock: undefined })
  t.teardown(() => frozen.close())
  t.equal(frozen.app.mock.clock.frozen, true, 'MOCK_FREEZE_CLOCK=1')
  t.equal(frozen.app.mock.clock.now(), NOW)
})

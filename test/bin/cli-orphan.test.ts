/**
 * A mock that npm started (npm start, npx) runs under a shell that does not pass signals on. Once
 * that shell is gone, the mock stops by itself; run directly, it does not watch its parent.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { CLI } from '../helpers/cli.ts'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Starts the CLI in the background of a shell, as npm does; resolves with the mock's pid once it listens. */
async function underShell(env: Record<string, string>) {
  const args = [...process.execArgv, CLI, '--port', '0', '--sessions', '5'].map((a) => `'${a}'`).join(' ')
  const sh = spawn('/bin/sh', ['-c', `'${process.execPath}' ${args} & echo "pid $!"; wait`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const pid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 90_000)
    sh.stdout.on('data', (c: Buffer) => {
      out += c
      const m = /^pid (\d+)$/m.exec(out)
      if (m && /^listening on /m.test(out)) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
  })
  return { sh, pid }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

t.test('started by npm: when the shell npm ran it under is killed, the mock stops', async (t) => {
  const { sh, pid } = await underShell({ npm_lifecycle_event: 'start' })
  // A while with its parent there: it keeps running.
  t.notOk(await waitUntil(() => !alive(pid), 1_500), 'running while its parent is there')
  sh.kill('SIGKILL')
  t.ok(await waitUntil(() => !alive(pid), 15_000), 'stopped once its parent was gone')
})

t.test('run directly: it outlives the shell that started it (a CI step may start it in the background)', async (t) => {
  const env: Record<string, string> = { npm_lifecycle_event: '' }
  const { sh, pid } = await underShell(env)
  t.teardown(() => {
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  })
  sh.kill('SIGKILL')
  t.notOk(await waitUntil(() => !alive(pid), 2_000), 'still running 2 s later')
  process.kill(pid, 'SIGTERM')
  t.ok(await waitUntil(() => !alive(pid), 15_000), 'and stops on SIGTERM')
})

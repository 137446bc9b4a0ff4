/**
 * The log lines' way to stdout: written at once until the server serves, then gathered for a few ms
 * and written in one call; a full pipe is waited on, a reader that has gone drops the lines, and
 * nothing pending is lost when the process exits.
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { FLUSH_MS, LineBuffer, type WriteFn } from '../../src/log-destination.ts'

/** A writer that records each call's bytes; `script` may throw or write less, call by call. */
function recorder(script: Array<(len: number) => number> = []) {
  const calls: string[] = []
  const write: WriteFn = (_fd, buffer, offset) => {
    const step = script.shift()
    const n = step ? step(buffer.length - offset) : buffer.length - offset
    calls.push(buffer.subarray(offset, offset + n).toString())
    return n
  }
  return { calls, write }
}
const errno = (code: string) => () => {
  throw Object.assign(new Error(code), { code })
}

t.test('before batch(): each line at once; after: gathered, one write', async (t) => {
  const { calls, write } = recorder()
  const lines = new LineBuffer(1, write)
  lines.write('a\n')
  t.same(calls, ['a\n'], 'written as it comes (a long start-up shows its progress)')
  lines.batch()
  lines.write('b\n')
  lines.write('c\n')
  t.same(calls, ['a\n'], 'held for a moment')
  await sleep(FLUSH_MS * 3)
  t.same(calls, ['a\n', 'b\nc\n'], 'then written in one call')
  lines.flush()
  t.equal(calls.length, 2, 'nothing pending, nothing written')
})

t.test('a full buffer is written before its time, in order; a line longer than the buffer goes out whole', async (t) => {
  const { calls, write } = recorder()
  // Room is reckoned at 3 bytes a character (UTF-8's most for one UTF-16 unit).
  const lines = new LineBuffer(1, write, 32)
  lines.batch()
  lines.write('aaaaaaaaa\n')
  lines.write('b\n')
  t.same(calls, [], 'room for both: held')
  lines.write('cccccc\n')
  t.same(calls, ['aaaaaaaaa\nb\n'], 'no room for the next one: what was gathered goes first')
  const long = 'x'.repeat(40) + '\n'
  lines.write(long)
  t.same(calls, ['aaaaaaaaa\nb\n', 'cccccc\n'])
  lines.write('é\n')
  lines.flush()
  t.same(calls, ['aaaaaaaaa\nb\n', 'cccccc\n', long + 'é\n'], 'the long line whole, then the next in the same write')
})

t.test('a full pipe (EAGAIN) is waited on, a short write goes on from where it stopped', async (t) => {
  const { calls, write } = recorder([errno('EAGAIN'), (len) => len - 3])
  const lines = new LineBuffer(1, write)
  lines.write('0123456789\n')
  t.same(calls, ['01234567', '89\n'])
})

t.test('a reader that has gone (EPIPE): lines are dropped from then on', async (t) => {
  const { calls, write } = recorder([errno('EPIPE')])
  const lines = new LineBuffer(1, write)
  lines.write('lost\n')
  lines.write('dropped\n')
  t.same(calls, [])
})

t.test('any other write error is thrown', async (t) => {
  const lines = new LineBuffer(1, recorder([errno('EIO')]).write)
  t.throws(() => lines.write('x\n'), { code: 'EIO' })
})

t.test('lines pending when the process exits are written', async (t) => {
  const code = [
    `import { LineBuffer } from ${JSON.stringify(new URL('../../src/log-destination.ts', import.meta.url).href)}`,
    'const lines = new LineBuffer(1)',
    'lines.batch()',
    "lines.write('first\\n')",
    "lines.write('last\\n')",
    'process.exit(0)',
  ].join('\n')
  const child = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', code], { encoding: 'utf8' })
  t.equal(child.status, 0, child.stderr)
  t.equal(child.stdout, 'first\nlast\n')
})

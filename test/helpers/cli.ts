/**
 * Running the CLI (src/bin/cli.ts) as a child process, from its TypeScript source: the child gets the
 * parent's `execArgv` (under tap, its process-info hook) and NODE_OPTIONS (on Node 22, type
 * stripping), so the child runs the same source and its coverage counts. Nothing is built. Options the environment might carry (PORT, MOCK_*) are removed
 * unless a test sets them.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { OPTION_DEFS } from '../../src/config/options.ts'

export const CLI = 'src/bin/cli.ts'

export interface CliRun {
  child: ChildProcess
  /** Everything written so far. */
  stdout(): string
  stderr(): string
  /** Resolves with the URL of the `listening on http://HOST:PORT` line (rejects if the child exits first). */
  listening: Promise<string>
  /** Resolves when the child has exited, with its code and signal and the time of exit. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  /** Sends a signal and resolves with the exit and how long it took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>
}

/** Starts the CLI; `env` is added to a copy of the parent's environment without option variables. */
export function runCli(args: string[], opts: { env?: Record<string, string>; execArgv?: string[]; timeoutMs?: number } = {}): CliRun {
  const env: Record<string, string | undefined> = { ...process.env }
  for (const d of OPTION_DEFS) delete env[d.env]
  Object.assign(env, opts.env)
  const child = spawn(process.execPath, [...process.execArgv, ...(opts.execArgv ?? []), CLI, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c))
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }))
  })
  // A child that hangs is killed: no test waits forever. Generous: a busy machine is slow.
  const guard = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000)
  void exited.then(() => clearTimeout(guard))
  const listening = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /^listening on (https?:\/\/\S+)$/m.exec(out)
      if (m) resolve(m[1]!)
    }
    child.stdout!.on('data', check)
    void exited.then(({ code }) => reject(new Error(`exited ${code} before listening; stderr: ${err}; stdout: ${out}`)))
  })
  listening.catch(() => undefined)
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    listening,
    exited,
    async stop(signal = 'SIGTERM') {
      const sent = Date.now()
      child.kill(signal)
      const { code, at } = await exited
      return { code, ms: at - sent }
    },
  }
}

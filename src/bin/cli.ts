#!/usr/bin/env node
/**
 * devrev-observability-mock: the command line. Parses flags, starts the server, prints
 * `listening on http://HOST:PORT`, and stops gracefully on SIGTERM/SIGINT. A bad option exits 2 with
 * one line naming it, before anything listens.
 */
import { parseArgs } from 'node:util'
import closeWithGrace from 'close-with-grace'
import { OPTION_DEFS, OptionError, resolveOptions } from '../config/options.ts'
import { FixtureError } from '../core/corpus/fixtures.ts'
import { start } from '../server.ts'
import { VERSION } from '../version.ts'
import { stopWhenOrphaned } from './orphan.ts'

const NAME = 'devrev-observability-mock'

export function usage(): string {
  const lines = OPTION_DEFS.map((d) => `  --${d.flag.padEnd(16)} ${d.env.padEnd(20)} ${d.help}${d.default !== undefined && !Array.isArray(d.default) ? ` (default ${d.default})` : ''}`)
  return `Usage: ${NAME} [options]\n       ${NAME} record --help   (record fixtures from a DevRev org)\n\n  flag               env\n${lines.join('\n')}\n  --help, --version\n`
}

export function parseFlags(argv: string[]): Record<string, unknown> & { help?: boolean; version?: boolean } {
  const options = Object.fromEntries([
    ...OPTION_DEFS.map((d) => [d.flag, { type: d.kind === 'bool' ? ('boolean' as const) : ('string' as const), multiple: d.kind === 'list' || d.kind === 'names' }]),
    ['help', { type: 'boolean' as const, short: 'h' }],
    ['version', { type: 'boolean' as const }],
  ])
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
  return values
}

async function main(argv: string[]): Promise<number> {
  // A subcommand of its own, loaded only when asked for: the server starts without it.
  if (argv[0] === 'record') return (await import('./record.ts')).recordMain(NAME, argv.slice(1), process.env)
  let flags
  try {
    flags = parseFlags(argv)
  } catch (e) {
    process.stderr.write(`${NAME}: ${(e as Error).message} (see --help)\n`)
    return 2
  }
  if (flags.help) {
    process.stdout.write(usage())
    return 0
  }
  if (flags.version) {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  const { help: _h, version: _v, ...rest } = flags
  let server
  try {
    server = await start(resolveOptions({ flags: rest, env: process.env }))
  } catch (e) {
    if (e instanceof OptionError || e instanceof FixtureError) {
      process.stderr.write(`${NAME}: ${e.message}\n`)
      return 2
    }
    process.stderr.write(`${NAME}: cannot start: ${(e as Error).message}\n`)
    return 1
  }
  process.stdout.write(`listening on ${server.url}\n`)
  const { version, seed, sessions, version_keys } = server.app.mock.health()
  server.app.log.info({ version, seed, sessions, version_keys, url: server.url }, 'mock ready')
  closeWithGrace({ delay: 1000 }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'stopping on error')
    else server.app.log.info({ signal }, 'stopping')
    await server.close()
  })
  // npm sets this for every script and for npx.
  if (process.env.npm_lifecycle_event) stopWhenOrphaned()
  return 0
}

const code = await main(process.argv.slice(2))
if (code !== 0) process.exitCode = code

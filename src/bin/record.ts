/**
 * `devrev-observability-mock record`: flags in, fixtures out, progress on stderr. A bad flag exits 2
 * and a failed recording 1, each with one line; the token is never printed.
 */
import { parseArgs } from 'node:util'
import { PLATFORMS, parseSince, record, type Platform } from '../record/run.ts'
import { RecordError } from '../record/client.ts'

export const DEFAULT_UPSTREAM = 'https://api.devrev.ai'

export function recordUsage(name: string): string {
  return `Usage: ${name} record --version-key K --out FILE [options]

  --from URL           the API to record from (default ${DEFAULT_UPSTREAM})
  --token T            its token (env DEVREV_TOKEN)
  --version-key K      an app to record (repeatable; at least one)
  --platform P         android, ios or web (repeatable; default all three)
  --since S            7d (the last 7 days) or a date such as 2026-01-31 or 2026-01-31T12:00:00Z
  --max-sessions N     stop after N sessions
  --out FILE           .jsonl (one session a line) or .json ({"sessions":[...]})
  --salt S             anonymization salt (default: a random one, written to FILE.salt)
  --no-anonymize       keep the data as it is
  --resume             continue an interrupted recording of FILE
`
}

class FlagError extends Error {}

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new FlagError(`--${flag} must be a positive integer, got ${JSON.stringify(v)}`)
  return Number(v)
}

export async function recordMain(name: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let opts
  try {
    const { values: v } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: 'string', default: DEFAULT_UPSTREAM },
        token: { type: 'string' },
        'version-key': { type: 'string', multiple: true },
        platform: { type: 'string', multiple: true },
        since: { type: 'string' },
        'max-sessions': { type: 'string' },
        out: { type: 'string' },
        salt: { type: 'string' },
        'no-anonymize': { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        'page-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (v.help) {
      process.stdout.write(recordUsage(name))
      return 0
    }
    const token = v.token ?? env.DEVREV_TOKEN
    if (token === undefined || token === '') throw new FlagError('a token is needed: --token or DEVREV_TOKEN')
    if (!v['version-key']?.length) throw new FlagError('--version-key is needed (repeatable): the apps to record')
    if (v.out === undefined) throw new FlagError('--out FILE is needed (.jsonl or .json)')
    const platforms = v.platform ?? [...PLATFORMS]
    const bad = platforms.find((p) => !PLATFORMS.includes(p as Platform))
    if (bad !== undefined) throw new FlagError(`--platform must be one of ${PLATFORMS.join(', ')}, got ${JSON.stringify(bad)}`)
    if (v.salt === '') throw new FlagError('--salt must not be empty')
    opts = {
      from: v.from!,
      token,
      versionKeys: v['version-key'],
      platforms: platforms as Platform[],
      since: v.since === undefined ? undefined : parseSince(v.since),
      maxSessions: positive('max-sessions', v['max-sessions']),
      pageSize: positive('page-size', v['page-size']),
      out: v.out,
      salt: v.salt,
      anonymize: !v['no-anonymize'],
      resume: v.resume!,
    }
  } catch (e) {
    process.stderr.write(`${name} record: ${(e as Error).message} (see record --help)\n`)
    return 2
  }
  try {
    await record(opts, { progress: (line) => process.stderr.write(`${line}\n`) })
    return 0
  } catch (e) {
    // A RecordError is phrased for this line; anything else (a file that cannot be written) says what failed.
    process.stderr.write(`${name} record: ${e instanceof RecordError ? '' : 'cannot record: '}${(e as Error).message}\n`)
    return 1
  }
}

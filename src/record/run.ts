/**
 * Recording fixtures from a DevRev org (or anything that answers like one): walks
 * observability.sessions.list page by page for each app and platform, asks data.get for each
 * session's recordings, rebuilds the details list filters read, anonymizes, and writes the fixtures
 * format. Progress is saved after every page, so an interrupted run resumes where it stopped and
 * writes the same file an uninterrupted one would.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import type { ObservabilitySession, StoredSession } from '../contract/schemas/sessions.ts'
import type { DataGetResponse, MobileRecording, WebRecording } from '../contract/schemas/recordings.ts'
import type { DateFilter } from '../contract/schemas/filters.ts'
import { mobileDetails, webDetails } from '../core/recordings/rebuild.ts'
import { Pseudonyms } from '../core/anonymize/pseudonyms.ts'
import { Anonymizer } from '../core/anonymize/session.ts'
import { DevRevClient, RecordError, type ClientOptions } from './client.ts'

export type Platform = 'android' | 'ios' | 'web'
export const PLATFORMS: readonly Platform[] = ['android', 'ios', 'web']

export interface RecordOptions {
  from: string
  token: string
  versionKeys: string[]
  platforms: readonly Platform[]
  since?: DateFilter
  maxSessions?: number
  /** `.jsonl` (one stored session a line) or `.json` (`{"sessions":[...]}`). */
  out: string
  /** Anonymization salt; absent: the one beside the output when resuming, else a new random one written there. */
  salt?: string
  anonymize: boolean
  resume: boolean
  /** Sessions asked per list page (default 50). */
  pageSize?: number
}

export interface RecordIo {
  /** One line of progress (stderr in the CLI). */
  progress(line: string): void
  /** Client tuning (backoff, sleep) for tests. */
  client?: Partial<ClientOptions>
}

interface State {
  /** What the run is recording: a resumed run must record the same. */
  plan: string
  walk: number
  cursor?: string
  sessions: number
  pages: number
  /** Bytes of the part file after the last complete page. */
  bytes: number
}

/** Where the salt, the progress and the output being written live, beside the output. */
export const saltPath = (out: string) => `${out}.salt`
const statePath = (out: string) => `${out}.state`
const partPath = (out: string) => `${out}.part`

/** `7d` (the last 7 days, on the upstream's clock) or a date / date-time (from that instant on). */
export function parseSince(text: string): DateFilter {
  const days = /^(\d+)d$/.exec(text)
  if (days) return { type: 'preset', preset_type: 'last_n_days', days: Number(days[1]) }
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(Date.parse(iso))) {
    throw new RecordError(`--since must be a number of days such as 7d, or a date such as 2026-01-31 or 2026-01-31T12:00:00Z, got ${JSON.stringify(text)}`)
  }
  return { type: 'range', after: new Date(Date.parse(iso)).toISOString() }
}

function saltFor(o: RecordOptions): string | undefined {
  if (!o.anonymize) return undefined
  if (o.salt !== undefined) return o.salt
  const path = saltPath(o.out)
  if (o.resume && existsSync(path)) return readFileSync(path, 'utf8').trim()
  const salt = randomBytes(24).toString('base64url')
  writeFileSync(path, `${salt}\n`, { mode: 0o600 })
  return salt
}

function writeState(out: string, s: State): void {
  const tmp = `${statePath(out)}.tmp`
  writeFileSync(tmp, JSON.stringify(s))
  renameSync(tmp, statePath(out))
}

/** Runs a recording to the end; resolves with the number of sessions written. */
export async function record(o: RecordOptions, io: RecordIo): Promise<number> {
  if (!/\.jsonl?$/.test(o.out)) throw new RecordError(`--out must name a .jsonl or .json file, got ${JSON.stringify(o.out)}`)
  const plan = JSON.stringify([o.from, o.versionKeys, o.platforms, o.since ?? null, o.maxSessions ?? null, o.anonymize, o.pageSize ?? 50])
  let state: State
  if (o.resume) {
    if (!existsSync(statePath(o.out)) || !existsSync(partPath(o.out))) throw new RecordError(`nothing to resume for ${o.out}: no interrupted recording there`)
    state = JSON.parse(readFileSync(statePath(o.out), 'utf8')) as State
    if (state.plan !== plan) throw new RecordError(`--resume needs the options of the interrupted run (--from, --version-key, --platform, --since, --max-sessions, anonymization)`)
    // A page cut short is recorded again from its start.
    truncateSync(partPath(o.out), state.bytes)
  } else {
    state = { plan, walk: 0, sessions: 0, pages: 0, bytes: 0 }
    writeFileSync(partPath(o.out), '')
    writeState(o.out, state)
  }
  const salt = saltFor(o)
  const anonymizer = salt === undefined ? undefined : new Anonymizer(new Pseudonyms(salt))
  const started = Date.now()
  const atStart = state.sessions
  const client = new DevRevClient({
    base: o.from,
    token: o.token,
    onWait: (why, ms) => io.progress(`record: ${why}; retrying in ${(ms / 1000).toFixed(1)} s`),
    ...io.client,
  })
  const walks = o.versionKeys.flatMap((version_key) => o.platforms.map((platform) => ({ version_key, platform })))
  const max = o.maxSessions ?? Infinity

  while (state.walk < walks.length && state.sessions < max) {
    const { version_key, platform } = walks[state.walk]!
    const type = platform === 'web' ? 'web' : 'mobile'
    const req: Record<string, unknown> = { type, platform, version_key, limit: o.pageSize ?? 50 }
    if (state.cursor !== undefined) req.cursor = state.cursor
    if (o.since !== undefined) req.created_at = o.since
    const page = await client.call<{ sessions: ObservabilitySession[]; next_cursor?: string }>('observability.sessions.list', req)
    let lines = ''
    let n = 0
    for (const s of page.sessions.slice(0, max - state.sessions)) {
      const stored = await recordSession(client, version_key, s)
      lines += `${JSON.stringify(anonymizer ? anonymizer.session(stored) : stored)}\n`
      n++
    }
    appendFileSync(partPath(o.out), lines)
    state.sessions += n
    state.pages++
    state.bytes += Buffer.byteLength(lines)
    if (page.next_cursor === undefined || page.sessions.length === 0) {
      state.walk++
      delete state.cursor
    } else state.cursor = page.next_cursor
    writeState(o.out, state)
    const rate = (state.sessions - atStart) / Math.max(0.001, (Date.now() - started) / 1000)
    io.progress(`record: ${state.sessions} sessions, ${state.pages} pages, ${rate.toFixed(1)} sessions/s (${version_key} ${platform}; ${client.requests} requests)`)
  }

  if (o.out.endsWith('.jsonl')) renameSync(partPath(o.out), o.out)
  else {
    const lines = readFileSync(partPath(o.out), 'utf8').split('\n').filter((l) => l !== '')
    writeFileSync(o.out, `{"sessions":[\n${lines.join(',\n')}\n]}\n`)
    rmSync(partPath(o.out))
  }
  rmSync(statePath(o.out))
  io.progress(`record: wrote ${state.sessions} sessions to ${o.out} (${statSync(o.out).size} bytes)${salt !== undefined && o.salt === undefined ? `; salt in ${saltPath(o.out)}` : ''}`)
  return state.sessions
}

/** One session as fixtures hold it: the session, its recordings (without replay URLs) and the details they show. */
async function recordSession(client: DevRevClient, version_key: string, s: ObservabilitySession): Promise<StoredSession> {
  const ids: (string | undefined)[] = (s.type === 'mobile' ? s.recording_ids : s.tab_ids) ?? []
  const key = s.type === 'mobile' ? 'recording_id' : 'tab_id'
  const recordings: DataGetResponse[] = []
  for (const id of ids.length > 0 ? ids : [undefined]) {
    const body: Record<string, string> = { session_id: s.session_id, version_key }
    if (id !== undefined) body[key] = id
    const r = await client.call<DataGetResponse>('observability.sessions.data.get', body)
    // Replay URLs are pre-signed credentials, and expire: they are not kept.
    const { video_playback_data: _v, ...mobile } = r as MobileRecording
    const { replay_data: _r, ...rest } = mobile as unknown as WebRecording
    recordings.push(rest as unknown as DataGetResponse)
  }
  if (s.type === 'mobile') {
    const details = mobileDetails(s, recordings as MobileRecording[])
    return { ...s, version_key, details: { ...details, recordings: recordings as unknown as Record<string, unknown>[] } }
  }
  const details = webDetails(s, recordings as WebRecording[])
  return { ...s, version_key, details: { ...details, recordings: recordings as unknown as Record<string, unknown>[] } }
}

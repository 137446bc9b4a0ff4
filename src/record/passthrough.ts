/**
 * `--proxy URL --record FILE`: what passes through the proxy, written as fixtures. Sessions come from
 * list and get answers, recordings from data.get answers; each session is written with the details
 * rebuilt from the recordings seen so far, anonymized as `record` does. The file is rewritten
 * (whole, then renamed into place) after each answer that changes it, so it is always complete.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import type { ObservabilitySession, StoredSession } from '../contract/schemas/sessions.ts'
import type { MobileRecording, WebRecording } from '../contract/schemas/recordings.ts'
import { mobileDetails, webDetails } from '../core/recordings/rebuild.ts'
import { Pseudonyms } from '../core/anonymize/pseudonyms.ts'
import { Anonymizer } from '../core/anonymize/session.ts'
import { saltPath } from './run.ts'

type Recording = Record<string, unknown>

interface Seen {
  versionKey: string
  session?: ObservabilitySession
  /** By recording_id or tab_id. */
  recordings: Map<string, Recording>
}

export class PassThroughRecorder {
  readonly #out: string
  readonly #anonymizer: Anonymizer
  readonly #seen = new Map<string, Seen>()

  /** `salt`: absent, the one in FILE.salt, else a new random one written there. */
  constructor(out: string, salt?: string) {
    this.#out = out
    let s = salt
    if (s === undefined && existsSync(saltPath(out))) s = readFileSync(saltPath(out), 'utf8').trim()
    if (s === undefined) {
      s = randomBytes(24).toString('base64url')
      writeFileSync(saltPath(out), `${s}\n`, { mode: 0o600 })
    }
    this.#anonymizer = new Anonymizer(new Pseudonyms(s))
  }

  #entry(versionKey: string, sessionId: string): Seen {
    const key = `${versionKey}\u0000${sessionId}`
    let e = this.#seen.get(key)
    if (!e) this.#seen.set(key, (e = { versionKey, recordings: new Map() }))
    return e
  }

  /** A 200 answer of the upstream (see the proxy plugin). */
  readonly passed = (endpoint: string, request: Record<string, unknown>, body: string): void => {
    const versionKey = String(request.version_key).replace(/^"(.*)"$/, '$1')
    const answer = JSON.parse(body) as Record<string, unknown>
    if (endpoint === 'observability.sessions.list') {
      for (const s of answer.sessions as ObservabilitySession[]) this.#entry(versionKey, s.session_id).session = s
    } else if (endpoint === 'observability.sessions.get') {
      const s = answer.session as ObservabilitySession
      this.#entry(versionKey, s.session_id).session = s
    } else {
      // Replay URLs are pre-signed credentials, and expire: they are not kept.
      const { video_playback_data: _v, replay_data: _r, ...rec } = answer
      const id = (rec.recording_id ?? rec.tab_id) as string
      this.#entry(versionKey, rec.session_id as string).recordings.set(id, rec)
    }
    this.#write()
  }

  #write(): void {
    const lines: string[] = []
    for (const e of this.#seen.values()) {
      if (e.session === undefined) continue
      lines.push(JSON.stringify(this.#anonymizer.session(stored(e.versionKey, e.session, e.recordings))))
    }
    const text = this.#out.endsWith('.jsonl') ? lines.map((l) => `${l}\n`).join('') : `{"sessions":[\n${lines.join(',\n')}\n]}\n`
    writeFileSync(`${this.#out}.tmp`, text)
    renameSync(`${this.#out}.tmp`, this.#out)
  }
}

/** A session with the recordings seen of it, in the order of its ids, and the details they show. */
function stored(versionKey: string, s: ObservabilitySession, seen: Map<string, Recording>): StoredSession {
  const ids = (s.type === 'mobile' ? s.recording_ids : s.tab_ids) ?? []
  const order = ids.length > 0 ? ids : [s.session_id]
  const recordings = order.flatMap((id): Recording[] => {
    const r = seen.get(id)
    return r === undefined ? [] : [r]
  })
  if (s.type === 'mobile') {
    return { ...s, version_key: versionKey, details: { ...mobileDetails(s, recordings as unknown as MobileRecording[]), recordings } }
  }
  return { ...s, version_key: versionKey, details: { ...webDetails(s, recordings as unknown as WebRecording[]), recordings } }
}

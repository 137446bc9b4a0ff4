/**
 * `observability.sessions.data.get` and the replay objects its URLs point at. Recordings are
 * derived on request from the session (nothing is computed at start-up, whatever the corpus size)
 * and are a pure function of the seed and the session: the same request gives the same recording,
 * except for the URLs, which carry the host asked and the virtual clock's time of signing.
 */
import type { CorpusStore } from '../corpus/store.ts'
import type { SessionRecord } from '../corpus/record.ts'
import type { VirtualClock } from '../clock.ts'
import type { MobileDetails, MobileSession, WebDetails } from '../../contract/schemas/sessions.ts'
import type { DataGetRequest, DataGetResponse, MobileRecording, WebRecording } from '../../contract/schemas/recordings.ts'
import { DevRevError } from '../../contract/catalogue.ts'
import { deriveMobile, recordingIds, type DerivedMobile } from './mobile.ts'
import { deriveWeb, tabIds, type DerivedWeb } from './web.ts'
import { replayEvents } from './rrweb.ts'
import { renderFrame } from './frames.ts'
import { Presigner, type Refusal } from './presign.ts'

/** Where replay objects are served, below the mock's own origin. */
export const REPLAY_PATH = '/__replays/'

/** What the recordings need of the mock: its corpus (replaceable), clock and seed. */
export interface RecordingSource {
  readonly store: CorpusStore
  readonly clock: VirtualClock
  readonly options: { readonly seed: number }
}

/** A replay object's answer: the object, or an object store's refusal. */
export type ReplayObject = { status: 200; contentType: string; body: Buffer | string } | Refusal

const PLATFORMS = ['android', 'ios', 'web'] as const
const frameName = (i: number) => String(i).padStart(4, '0')
const denied: Refusal = { status: 403, code: 'AccessDenied', message: 'Access Denied' }

export class Recordings {
  readonly #source: RecordingSource
  readonly #signer: Presigner

  constructor(source: RecordingSource) {
    this.#source = source
    this.#signer = new Presigner(`devrev-observability-mock:${source.options.seed}`)
  }

  #session(versionKey: string, sessionId: string): SessionRecord | undefined {
    for (const p of PLATFORMS) {
      const rec = this.#source.store.get(versionKey, p, sessionId)
      if (rec) return rec
    }
    return undefined
  }

  /** The recording a data.get request names; DevRev errors for what it cannot have. `origin`: scheme://host the client used. */
  dataGet(req: DataGetRequest, origin: string): DataGetResponse {
    const rec = this.#session(req.version_key, req.session_id)
    if (!rec) throw new DevRevError('not_found', {}, { message: `session ${req.session_id} not found for ${req.version_key}` })
    const seed = this.#source.options.seed
    const now = this.#source.clock.now()
    const folder = (kind: string, id: string) =>
      `${kind}/${[rec.versionKey, rec.session.session_id, id].map(encodeURIComponent).join('/')}/`
    const url = (prefix: string, file: string) => `${origin}${REPLAY_PATH}${prefix}${file}?${this.#signer.sign(prefix, now)}`
    if (rec.session.type === 'mobile') {
      wrongKind(req.tab_id, 'tab_id', 'mobile', 'recording_id')
      const id = req.recording_id ?? recordingIds(rec.session)[0]!
      const m = deriveMobile(seed, rec.versionKey, rec.session, rec.details as MobileDetails, id)
      if (!m) throw new DevRevError('not_found', {}, { message: `recording ${id} not found in session ${req.session_id}` })
      const frames = m.frames.map((_, i) => frameName(i))
      const video: NonNullable<MobileRecording['video_playback_data']>[number] = {
        end_frame: frames.at(-1)!,
        frame_image_map: Object.fromEntries(frames.map((f) => [f, `${f}.png`])),
        frames,
        presigned_url: url(folder('mobile', id), ''),
        start_frame: frames[0]!,
      }
      return { ...(stored<DerivedMobile['recording']>(rec, 'recording_id', id) ?? m.recording), video_playback_data: [video] }
    }
    wrongKind(req.recording_id, 'recording_id', 'web', 'tab_id')
    const id = req.tab_id ?? tabIds(rec.session)[0]!
    const w = deriveWeb(seed, rec.versionKey, rec.session, rec.details as WebDetails, id)
    if (!w) throw new DevRevError('not_found', {}, { message: `tab ${id} not found in session ${req.session_id}` })
    const iso = (at: number) => new Date(w.createdAtMs + at).toISOString()
    const replay: WebRecording['replay_data'] = w.segments.map((seg, i) => ({
      start_time: iso(seg.from),
      end_time: iso(seg.to),
      presigned_url: url(folder('web', id), `${i}.json`),
    }))
    return { ...(stored<DerivedWeb['recording']>(rec, 'tab_id', id) ?? w.recording), replay_data: replay }
  }

  /**
   * A replay object, by its path below REPLAY_PATH (still URL-encoded) and the URL's query:
   * a web segment's rrweb events (JSON) or a mobile frame (PNG).
   */
  replayObject(path: string, query: Readonly<Record<string, unknown>>): ReplayObject {
    const parts = path.split('/')
    if (parts.length !== 5) return denied
    const [kind, vk, sid, rid, file] = parts as [string, string, string, string, string]
    const prefix = parts.slice(0, 4).join('/') + '/'
    const refusal = this.#signer.verify(prefix, query, this.#source.clock.now())
    if (refusal) return refusal
    // The folder is signed, so it is exactly what dataGet encoded; the file name is tested as sent.
    const [versionKey, sessionId, id] = [vk, sid, rid].map(decodeURIComponent) as [string, string, string]
    const rec = this.#session(versionKey, sessionId)
    const seed = this.#source.options.seed
    if (rec?.session.type === 'web' && kind === 'web') {
      const w = deriveWeb(seed, rec.versionKey, rec.session, rec.details as WebDetails, id)
      const seg = /^\d+\.json$/.test(file) ? w?.segments[Number.parseInt(file, 10)] : undefined
      if (seg) return { status: 200, contentType: 'application/json', body: JSON.stringify(replayEvents(seg, w!.createdAtMs, w!.viewport)) }
    }
    if (rec?.session.type === 'mobile' && kind === 'mobile') {
      const s: MobileSession = rec.session
      const m = deriveMobile(seed, rec.versionKey, s, rec.details as MobileDetails, id)
      const frame = /^\d{4}\.png$/.test(file) ? m?.frames[Number.parseInt(file, 10)] : undefined
      if (frame) return { status: 200, contentType: 'image/png', body: renderFrame(frame, s.device_metadata.screen_width, s.device_metadata.screen_height) }
    }
    // An object store answers a missing key with AccessDenied to a reader who may not list the bucket.
    return denied
  }
}

/**
 * A recording the fixtures hold as an upstream answered it (what `record` writes), served as it is;
 * the replay objects its URLs point at are still derived from the details.
 */
function stored<T>(rec: SessionRecord, key: 'recording_id' | 'tab_id', id: string): T | undefined {
  return rec.details.recordings?.find((r) => r[key] === id) as T | undefined
}

/** The other kind's id field names a client bug (as a web filter sent with type mobile does). */
function wrongKind(value: string | undefined, field: string, kind: string, use: string): void {
  if (value !== undefined) {
    throw new DevRevError('invalid_field', { field_name: field }, { message: `${field} is for ${kind === 'mobile' ? 'web' : 'mobile'} sessions; this session is ${kind}: use ${use}` })
  }
}

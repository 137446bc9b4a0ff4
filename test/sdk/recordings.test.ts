/**
 * The official SDK's `observabilitySessionsDataGetPost` and `observabilitySessionsDataGet`,
 * unmodified, against the mock on a real socket: every recording of every session (mobile
 * recordings and web tabs, generated corpus and the hand-written example fixtures) comes back
 * exactly as the mock sent it, and conforms to the contract (test/helpers/app.ts checks each answer).
 */
import t from 'tap'
import { client, betaSDK } from '@devrev/typescript-sdk'
import { startTestServer } from '../helpers/app.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

const TOKEN = 'sdk-recordings-token'

const servers = {
  generated: await startTestServer({ tokens: [TOKEN], sessions: 120 }),
  example: await startTestServer({ tokens: [TOKEN], fixtures: 'fixtures/example.json' }),
}
t.teardown(async () => {
  for (const s of Object.values(servers)) await s.close()
})

/** The same request, as plain HTTP: what the mock sends, byte for byte, parsed. */
async function raw(url: string, body: object): Promise<unknown> {
  const res = await fetch(`${url}/observability.sessions.data.get`, {
    method: 'POST',
    headers: { authorization: TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return res.json()
}

for (const [name, mock] of Object.entries(servers)) {
  t.test(`${name}: every recording of every session, POST (setupBeta) and GET (setup)`, async (t) => {
    const corpus = (await (await fetch(`${mock.url}/__admin/corpus`)).json()) as { sessions: StoredSession[] }
    const beta = client.setupBeta({ endpoint: mock.url, token: TOKEN })
    const pub = client.setup({ endpoint: mock.url, token: TOKEN })
    const host = new URL(mock.url).host
    let recordings = 0
    let mismatches = 0
    for (const s of corpus.sessions) {
      const ids = (s.type === 'mobile' ? s.recording_ids : s.tab_ids) ?? [s.session_id]
      for (const id of ids) {
        const body: betaSDK.ObservabilitySessionsDataGetRequest = {
          session_id: s.session_id,
          version_key: s.version_key,
          ...(s.type === 'mobile' ? { recording_id: id } : { tab_id: id }),
        }
        const want = await raw(mock.url, body)
        const post = await beta.observabilitySessionsDataGetPost(body)
        const get = await pub.observabilitySessionsDataGet(body)
        if (JSON.stringify(post.data) !== JSON.stringify(want) || JSON.stringify(get.data) !== JSON.stringify(want)) mismatches++
        const r = post.data
        if (r.recording === betaSDK.ObservabilitySessionsDataGetResponseRecording.MobileRecording) {
          const m = r as betaSDK.MobileRecording
          t.equal(m.recording_id, id)
          t.strictSame(m.device_metadata, s.device_metadata, 'device metadata equal to the session’s')
          t.equal(new URL(m.video_playback_data![0]!.presigned_url!).host, host, 'frames at the host the client used')
        } else {
          const w = r as betaSDK.WebRecording
          t.equal(w.tab_id, id)
          t.equal(w.dead_click_count, (s as { dead_click_count: number }).dead_click_count)
          t.ok(w.replay_data.every((p) => new URL(p.presigned_url!).host === host), 'replays at the host the client used')
        }
        recordings++
      }
    }
    t.equal(mismatches, 0, `all ${recordings} recordings reached the SDK unmodified, by POST and GET`)
    t.ok(recordings >= corpus.sessions.length, `${recordings} recordings of ${corpus.sessions.length} sessions`)
  })
}

t.test('the SDK sees 404 not_found for an unknown session, recording or tab', async (t) => {
  const mock = servers.example
  const sdk = client.setupBeta({ endpoint: mock.url, token: TOKEN })
  const corpus = (await (await fetch(`${mock.url}/__admin/corpus`)).json()) as { sessions: StoredSession[] }
  const mobile = corpus.sessions.find((s) => s.type === 'mobile')!
  const web = corpus.sessions.find((s) => s.type === 'web')!
  const cases: betaSDK.ObservabilitySessionsDataGetRequest[] = [
    { session_id: 'no-such-session', version_key: mobile.version_key },
    { session_id: mobile.session_id, version_key: mobile.version_key, recording_id: 'no-such-recording' },
    { session_id: web.session_id, version_key: web.version_key, tab_id: 'no-such-tab' },
  ]
  for (const body of cases) {
    const err = (await sdk.observabilitySessionsDataGetPost(body).catch((e: unknown) => e)) as {
      response?: { status: number; data: { type: string } }
    }
    t.equal(err.response?.status, 404, JSON.stringify(body))
    t.equal(err.response?.data.type, 'not_found')
  }
})

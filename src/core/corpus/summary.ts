/**
 * What the dashboard shows of the corpus: how many sessions each app has per platform, and a
 * session found by its id alone (ids are unique in a corpus, whatever app they belong to).
 */
import type { CorpusStore } from './store.ts'
import type { SessionRecord } from './record.ts'

export const PLATFORMS = ['android', 'ios', 'web'] as const

export interface AppCount {
  version_key: string
  platform: string
  sessions: number
}

/** Sessions per app and platform, by version key then platform. */
export function countByApp(store: CorpusStore): AppCount[] {
  return store
    .partitionSizes()
    .filter((p) => p.sessions > 0)
    .map((p) => ({ version_key: p.versionKey, platform: p.platform, sessions: p.sessions }))
    .sort((a, b) => a.version_key.localeCompare(b.version_key) || a.platform.localeCompare(b.platform))
}

/** The session with this id, in whichever app and platform holds it. */
export function findSession(store: CorpusStore, sessionId: string): SessionRecord | undefined {
  for (const vk of store.versionKeys()) {
    for (const p of PLATFORMS) {
      const rec = store.get(vk, p, sessionId)
      if (rec) return rec
    }
  }
  return undefined
}

/**
 * What the dashboard shows of the corpus: how many sessions each app has per platform, and a
 * session found by its id alone (ids are unique in a corpus, whatever app they belong to).
 */
import type { CorpusStore } from './store.js'
import type { SessionRecord } from './record.js'

export const PLATFORMS = ['android', 'ios', 'web'] as const

export interface AppCount {
  version_key: string
  platform: string
  sessions: number
}

/** Sessions per app and platform, by version key then platform. */
export function countByApp(store: CorpusStore): AppCount[] {
  const counts = new Map<string, AppCount>()
  for (const r of store.records) {
    const key = `${r.versionKey}\u0000${r.session.platform}`
    const c = counts.get(key)
    if (c) c.sessions++
    else counts.set(key, { version_key: r.versionKey, platform: r.session.platform, sessions: 1 })
  }
  return [...counts.values()].sort((a, b) => a.version_key.localeCompare(b.version_key) || a.platform.localeCompare(b.platform))
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

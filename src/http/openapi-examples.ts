/**
 * Request examples for the reference page, taken from the corpus being served, so that "Try it out"
 * sends a request that answers 200 with sessions. Examples generated from the schema alone
 * (`limit: 0`, `version_key: "string"`) would be refused or match nothing.
 */
import type { SessionRecord } from '../core/corpus/record.ts'
import type { MobileSession, WebSession } from '../contract/schemas/sessions.ts'

interface MediaType {
  examples?: Record<string, { summary: string; value: unknown }>
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> }
  parameters?: { name: string; in: string; example?: unknown }[]
}
interface OpenApiDoc {
  paths?: Record<string, Record<string, Operation | undefined> | undefined>
}

const LIST = '/observability.sessions.list'
const GET = '/observability.sessions.get'
const EXAMPLE_LIMIT = 50

/** A list request that names the sample's app and platform and filters on one of its own values. */
function listBody(rec: SessionRecord): Record<string, unknown> {
  const s = rec.session
  const base = { type: s.type, platform: s.platform, version_key: rec.versionKey, limit: EXAMPLE_LIMIT }
  if (s.type === 'mobile') return { ...base, app_version: [(s as MobileSession).device_metadata.app_version] }
  const browser = (s as WebSession).device_metadata.browser
  return browser === undefined ? { ...base, sort_by: ['created_at:desc'] } : { ...base, browser: [browser] }
}

const getBody = (rec: SessionRecord) => ({
  platform: rec.session.platform,
  session_id: rec.session.session_id,
  version_key: rec.versionKey,
})

function setBodyExamples(op: Operation | undefined, samples: SessionRecord[], body: (r: SessionRecord) => unknown): void {
  const media = op?.requestBody?.content?.['application/json']
  if (!media) return
  media.examples = Object.fromEntries(
    samples.map((r) => [
      r.session.type,
      { summary: `A ${r.session.type} session's app (${r.versionKey}, ${r.session.platform})`, value: body(r) },
    ]),
  )
}

function setQueryExamples(op: Operation | undefined, values: Record<string, unknown>): void {
  for (const p of op?.parameters ?? []) {
    if (p.in === 'query' && p.name in values) p.example = values[p.name]
  }
}

/**
 * Adds examples to `doc` (which it changes: pass a copy) from the first mobile and the first web
 * session of `records`. An empty corpus has nothing real to show, and the document is left as it is.
 */
export function addLiveExamples<D extends object>(doc: D, records: readonly SessionRecord[]): D {
  const samples = (['mobile', 'web'] as const)
    .map((type) => records.find((r) => r.session.type === type))
    .filter((r): r is SessionRecord => r !== undefined)
  const first = samples[0]
  if (!first) return doc
  const paths = (doc as OpenApiDoc).paths
  const list = paths?.[LIST]
  const get = paths?.[GET]
  setBodyExamples(list?.post, samples, listBody)
  setBodyExamples(get?.post, samples, getBody)
  const scope = { platform: first.session.platform, version_key: first.versionKey }
  setQueryExamples(list?.get, { ...scope, limit: EXAMPLE_LIMIT })
  setQueryExamples(get?.get, { ...scope, session_id: first.session.session_id })
  return doc
}

/**
 * Paging through `POST /observability.sessions.list` the way a client does: forward from the start
 * following `next_cursor` (mode `after`), or backward from the end following `prev_cursor` (mode
 * `before`). Every page is checked on the way: 200, sessions present, cursors never null or "".
 */
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'
import { AUTH } from './app.ts'

export interface Page {
  sessions: Array<Record<string, any>>
  next_cursor?: string
  prev_cursor?: string
}
export type Body = Record<string, unknown>

export const LIST = '/observability.sessions.list'

/** One list call that must succeed. */
export async function listPage(app: FastifyInstance, body: Body, headers: InjectOptions['headers'] = AUTH): Promise<Page> {
  const res = await app.inject({ method: 'POST', url: LIST, headers, payload: body })
  if (res.statusCode !== 200) throw new Error(`list ${JSON.stringify(body)} → ${res.statusCode}: ${res.body}`)
  const page = res.json() as Page
  if (!Array.isArray(page.sessions)) throw new Error(`no sessions array: ${res.body}`)
  for (const k of ['next_cursor', 'prev_cursor'] as const) {
    if (k in page && (typeof page[k] !== 'string' || page[k] === '')) throw new Error(`${k} present but not a string: ${res.body}`)
  }
  return page
}

/** Pages from the start to the end (mode after). Throws after `maxPages` pages: a walk must end. */
export async function walkForward(app: FastifyInstance, body: Body, maxPages = 5000): Promise<Page[]> {
  const pages: Page[] = []
  let cursor: string | undefined
  do {
    if (pages.length >= maxPages) throw new Error(`forward walk did not end after ${maxPages} pages`)
    const page = await listPage(app, { ...body, mode: 'after', ...(cursor === undefined ? {} : { cursor }) })
    pages.push(page)
    cursor = page.next_cursor
  } while (cursor !== undefined)
  return pages
}

/** Pages from the end back to the start (mode before, no cursor first); returned in the order fetched. */
export async function walkBackward(app: FastifyInstance, body: Body, maxPages = 5000): Promise<Page[]> {
  const pages: Page[] = []
  let cursor: string | undefined
  do {
    if (pages.length >= maxPages) throw new Error(`backward walk did not end after ${maxPages} pages`)
    const page = await listPage(app, { ...body, mode: 'before', ...(cursor === undefined ? {} : { cursor }) })
    pages.push(page)
    cursor = page.prev_cursor
  } while (cursor !== undefined)
  return pages
}

export const idsOf = (pages: Page[]): string[] => pages.flatMap((p) => p.sessions.map((s) => s.session_id as string))

/** The corpus as `GET /__admin/corpus` exports it. */
export async function exportCorpus(app: FastifyInstance): Promise<StoredSession[]> {
  const res = await app.inject({ method: 'GET', url: '/__admin/corpus' })
  if (res.statusCode !== 200) throw new Error(`corpus export → ${res.statusCode}: ${res.body}`)
  return (res.json() as { sessions: StoredSession[] }).sessions
}

/** A session as the API returns it: the stored one without `version_key` and `details`. */
export function visible(s: StoredSession): Record<string, unknown> {
  const { version_key: _v, details: _d, ...session } = s
  return session
}

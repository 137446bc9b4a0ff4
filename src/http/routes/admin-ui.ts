/**
 * GET /__admin/ui: the dashboard, a static page and its few ES modules (the package's `ui/` folder)
 * plus rrweb's browser bundle for web replays, all served from this process: no CDN, works offline.
 * The page and its assets hold no state of the mock, so they load without the admin token; every
 * call the page makes to the admin API carries it (`Authorization: Bearer`), and without it the page
 * shows nothing but a form asking for it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DevRevError } from '../../contract/catalogue.ts'

/** The package's `ui/` folder: beside `src/` and `dist/` alike, so the same path works from both. */
export const UI_DIR = fileURLToPath(new URL('../../../ui/', import.meta.url))
const RRWEB_DIR = dirname(createRequire(import.meta.url).resolve('rrweb'))

/** Every file the page may ask for, by the name it uses, with its type and where it lies. */
const ASSETS: Record<string, { type: string; path: string }> = {
  'app.js': { type: 'text/javascript; charset=utf-8', path: join(UI_DIR, 'app.js') },
  'timeline.js': { type: 'text/javascript; charset=utf-8', path: join(UI_DIR, 'timeline.js') },
  'style.css': { type: 'text/css; charset=utf-8', path: join(UI_DIR, 'style.css') },
  'vendor/rrweb.js': { type: 'text/javascript; charset=utf-8', path: join(RRWEB_DIR, 'rrweb.umd.min.cjs') },
  'vendor/rrweb.css': { type: 'text/css; charset=utf-8', path: join(RRWEB_DIR, 'style.min.css') },
}

/** Read on first use, then kept: a few hundred KB, and a mock that never opens the page pays nothing. */
const cache = new Map<string, Buffer>()
const read = (path: string) => {
  let body = cache.get(path)
  if (body === undefined) cache.set(path, (body = readFileSync(path)))
  return body
}

/** The admin guard lets these through (routes/admin.ts). */
export const PUBLIC_ROUTE = { dashboardAsset: true }

const adminUiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ui',
    { config: PUBLIC_ROUTE, schema: { summary: 'The dashboard (an HTML page; its API calls need the admin token)', tags: ['admin'], produces: ['text/html'] } },
    async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(read(join(UI_DIR, 'index.html'))),
  )

  app.get(
    '/ui/*',
    { config: PUBLIC_ROUTE, schema: { hide: true } },
    async (req, reply) => {
      const name = (req.params as { '*': string })['*']
      const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name]! : undefined
      if (asset === undefined) throw new DevRevError('not_found', {}, { message: `no dashboard file ${name}` })
      return reply.type(asset.type).header('cache-control', 'no-cache').send(read(asset.path))
    },
  )
}

export default adminUiRoutes

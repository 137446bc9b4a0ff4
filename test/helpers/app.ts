/**
 * How tests get a mock: `buildTestApp()` for inject(), `startTestServer()` for a real socket on
 * 127.0.0.1:0. Both add a hook that checks every response of an emulated endpoint against the
 * contract (test/helpers/contract.ts) and turns a violation into a test failure on the spot.
 * Every test that talks to the emulated endpoints goes through here.
 */
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { buildApp, type AppOptions } from '../../src/app.ts'
import { startMockServer, type StartOptions, type MockServer } from '../../src/server.ts'
import { checkResponse } from './contract.ts'

export const NOW = Date.parse('2026-01-15T12:00:00Z')
export const AUTH = { authorization: 'Bearer test-token' }

/** Every violation seen in this process; tests may also assert it stays empty. */
export const violations: string[] = []

const EMULATED = /^\/observability\./

export const conformancePlugin: FastifyPluginAsync = fp(async (app) => {
  app.addHook('onSend', async (req, reply, payload) => {
    const path = req.url.split('?')[0]!
    if (!EMULATED.test(path) && reply.statusCode !== 404) return payload
    let body: unknown
    try {
      // Bodies leave as text (errors) or as UTF-8 bytes (list pages, assembled from pre-serialized sessions).
      const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : payload
      body = typeof text === 'string' ? JSON.parse(text) : text
    } catch {
      body = payload
    }
    const problem = checkResponse({ method: req.method, path, status: reply.statusCode, body, headers: reply.getHeaders() })
    if (problem) {
      const msg = `${req.method} ${path} → ${reply.statusCode}: ${problem}`
      violations.push(msg)
      throw new Error(`contract violation: ${msg}`)
    }
    return payload
  })
})

// Tests read exact instants (NOW, NOW + n) off the virtual clock, so it stands still unless a test
// asks for a running one (`freezeClock: false`).
export function buildTestApp(opts: AppOptions = {}) {
  return buildApp({ seed: 7, sessions: 400, now: NOW, freezeClock: true, ...opts, plugins: [conformancePlugin, ...(opts.plugins ?? [])] })
}

export function startTestServer(opts: StartOptions = {}): Promise<MockServer> {
  return startMockServer({
    seed: 7,
    sessions: 400,
    now: NOW,
    freezeClock: true,
    host: '127.0.0.1',
    port: 0,
    ...opts,
    plugins: [conformancePlugin, ...(opts.plugins ?? [])],
  })
}

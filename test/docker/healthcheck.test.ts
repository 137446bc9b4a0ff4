/**
 * The image's HEALTHCHECK script, run here against local mocks (no Docker needed): plain HTTP, HTTPS
 * trusting the CA the mock wrote, HTTPS with the user's certificate chain, flags as on the mock's
 * command line; unhealthy when the trust is wrong or missing. With no flags of its own the script
 * reads PID 1's command line (the mock, in a container); this file is skipped if this machine's PID 1
 * happens to carry such flags.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startTestServer } from '../helpers/app.ts'
import { generateTlsMaterial } from '../../src/core/certificates.ts'

const SCRIPT = 'docker/healthcheck.mjs'
const ADMIN = 'hc-admin'

let pid1 = ''
try {
  pid1 = readFileSync('/proc/1/cmdline', 'utf8')
} catch {
  // no /proc: the script reads the environment alone
}

/** Runs the HEALTHCHECK with only `env` (plus PATH) and `args`: its exit code and stderr. */
function healthcheck(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stderr })
    })
  })
}

if (/\0--(port|host|tls|admin-token)/.test(`\0${pid1}`)) {
  t.plan(0, 'skipped: PID 1 of this machine has mock-like flags on its command line, which the script would follow')
} else {
  const dir = t.testdir({})
  const caOut = join(dir, 'ca.pem')
  const tlsMock = await startTestServer({ tls: true, tlsCaOut: caOut, adminToken: ADMIN, sessions: 3 })
  t.teardown(() => tlsMock.close())
  const base = { PORT: String(tlsMock.port), HOST: '0.0.0.0', MOCK_ADMIN_TOKEN: ADMIN }

  t.test('HTTPS, trusting the CA the mock wrote (MOCK_TLS_CA_OUT), with the admin token', async (t) => {
    const r = await healthcheck({ ...base, MOCK_TLS: '1', MOCK_TLS_CA_OUT: caOut })
    t.equal(r.code, 0, 'healthy', { stderr: r.stderr })
  })

  t.test('HTTPS: unhealthy with another CA, with no CA file, or without the admin token', async (t) => {
    const other = await generateTlsMaterial([], Date.now())
    const otherCa = join(dir, 'other-ca.pem')
    await import('node:fs').then((fs) => fs.writeFileSync(otherCa, other.ca!))
    const wrong = await healthcheck({ ...base, MOCK_TLS: '1', MOCK_TLS_CA_OUT: otherCa })
    t.equal(wrong.code, 1)
    t.match(wrong.stderr, /^unhealthy: https:\/\/127\.0\.0\.1:\d+\/__admin\/health: .*certificate/m, 'the client refuses a CA it was not given')
    const none = await healthcheck({ ...base, MOCK_TLS: 'true' })
    t.equal(none.code, 1)
    t.match(none.stderr, /no --tls-ca-out or --tls-cert file to trust/)
    const noToken = await healthcheck({ PORT: base.PORT, MOCK_TLS: '1', MOCK_TLS_CA_OUT: caOut })
    t.equal(noToken.code, 1)
    t.match(noToken.stderr, /401/)
  })

  t.test('HTTPS with the user certificate chain (MOCK_TLS_CERT)', async (t) => {
    const user = await generateTlsMaterial([], Date.now())
    const fs = await import('node:fs')
    const chain = join(dir, 'chain.pem')
    const key = join(dir, 'key.pem')
    fs.writeFileSync(chain, user.cert + user.ca!)
    fs.writeFileSync(key, user.key)
    const mock = await startTestServer({ tlsCert: chain, tlsKey: key, sessions: 3 })
    t.teardown(() => mock.close())
    const r = await healthcheck({ PORT: String(mock.port), MOCK_TLS_CERT: chain })
    t.equal(r.code, 0, 'healthy', { stderr: r.stderr })
  })

  t.test('flags as on the mock\'s command line beat the environment', async (t) => {
    const r = await healthcheck({ PORT: '1', MOCK_TLS_CA_OUT: join(dir, 'nowhere.pem') }, [
      '--port', String(tlsMock.port), '--host=::', '--tls', `--tls-ca-out=${caOut}`, '--admin-token', ADMIN, '--seed',
    ])
    t.equal(r.code, 0, 'healthy', { stderr: r.stderr })
  })

  t.test('plain HTTP, and unhealthy answers', async (t) => {
    const mock = await startTestServer({ sessions: 3, host: '127.0.0.1' })
    t.teardown(() => mock.close())
    const r = await healthcheck({ PORT: String(mock.port), HOST: '127.0.0.1' })
    t.equal(r.code, 0, 'healthy', { stderr: r.stderr })
    const down = await healthcheck({ PORT: '1', HOST: '[::]' })
    t.equal(down.code, 1)
    t.match(down.stderr, /^unhealthy: http:\/\/127\.0\.0\.1:1\/__admin\/health: /, 'a wildcard HOST is reached on loopback')
    // A server that answers 200 but not `status: ok`.
    const sick = createServer((_req, res) => res.end(JSON.stringify({ status: 'starting' })))
    await new Promise<void>((resolve) => sick.listen(0, '127.0.0.1', resolve))
    t.teardown(() => sick.close())
    const notOk = await healthcheck({ PORT: String((sick.address() as { port: number }).port), HOST: '' })
    t.equal(notOk.code, 1)
    t.match(notOk.stderr, /"status":"starting"/)
    // No PORT and no flag: the image's default port.
    const byDefault = await healthcheck({})
    t.ok(byDefault.code === 0 || byDefault.stderr.includes('http://127.0.0.1:8080/'), 'PORT defaults to 8080', { stderr: byDefault.stderr })
  })
}

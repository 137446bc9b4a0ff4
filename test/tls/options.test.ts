/**
 * TLS options: the user's own certificate and key served as given; every unusable file or option
 * stops start-up with one line naming it; the CA route of a mock without a CA of its own; the names a
 * generated certificate covers; the boolean and host-name options.
 */
import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { Agent, fetch } from 'undici'
import { startTestServer, buildTestApp, AUTH } from '../helpers/app.ts'
import { runCli } from '../helpers/cli.ts'
import { generateTlsMaterial, certificateNames } from '../../src/core/certificates.ts'
import { resolveOptions } from '../../src/config/options.ts'
import { serverUrl } from '../../src/server.ts'

// Each CLI child compiles the TypeScript sources first: on a busy machine that alone takes a while.
const SLOW_START = { timeoutMs: 90_000 }
t.setTimeout(300_000)

// The "user's own" pair: a certificate for user.example from a CA the test makes, plus another key.
const user = await generateTlsMaterial(['user.example'], Date.now())
const other = await generateTlsMaterial([], Date.now())
const dir = t.testdir({
  'cert.pem': user.cert,
  'key.pem': user.key,
  'other-key.pem': other.key,
  'not-pem.txt': 'hello',
})
const file = (name: string) => join(dir, name)

function peerCertificate(port: number, servername: string, ca: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, ca }, () => {
      resolve(socket.getPeerCertificate().raw)
      socket.end()
    })
    socket.once('error', reject)
  })
}

t.test('--tls-cert/--tls-key: the user certificate and key are served as given', async (t) => {
  const mock = await startTestServer({ tlsCert: file('cert.pem'), tlsKey: file('key.pem'), sessions: 5 })
  t.teardown(() => mock.close())
  t.match(mock.url, /^https:/, 'HTTPS without --tls: the certificate says it')
  t.equal(mock.ca, undefined, 'no CA of the mock')
  const raw = await peerCertificate(mock.port, 'user.example', user.ca!)
  t.same(raw, new X509Certificate(readFileSync(file('cert.pem'))).raw, 'byte for byte the given certificate')
  const dispatcher = new Agent({ connect: { ca: user.ca } })
  t.teardown(() => dispatcher.close())
  const res = await fetch(`${mock.url}/__admin/tls/ca.pem`, { dispatcher } as RequestInit)
  t.equal(res.status, 404)
  t.same(await res.json(), {
    type: 'not_found',
    message: "this mock serves the certificate given with --tls-cert: its CA is yours, not the mock's",
  }, "DevRev's flat shape, saying why")
})

t.test('a plain HTTP mock has no CA to serve', async (t) => {
  const app = await buildTestApp({ sessions: 1 })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/__admin/tls/ca.pem' })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { type: 'not_found', message: /plain HTTP \(start it with --tls/ })
})

t.test('bad TLS options and files: rejected before anything listens, naming them', async (t) => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ tlsCert: file('missing.pem'), tlsKey: file('key.pem') }, /^--tls-cert \S+missing\.pem: cannot read \(ENOENT\)$/],
    [{ tlsCert: file('cert.pem'), tlsKey: file('missing.pem') }, /^--tls-key \S+missing\.pem: cannot read \(ENOENT\)$/],
    [{ tlsCert: file('not-pem.txt'), tlsKey: file('key.pem') }, /^--tls-cert \S+not-pem\.txt: not a PEM certificate$/],
    [{ tlsCert: file('cert.pem'), tlsKey: file('not-pem.txt') }, /^--tls-key \S+not-pem\.txt: not a PEM private key/],
    [{ tlsCert: file('cert.pem'), tlsKey: file('other-key.pem') }, /^--tls-key \S+other-key\.pem: is not the key of --tls-cert \S+cert\.pem$/],
    [{ tlsCert: file('cert.pem') }, /^--tls-cert needs --tls-key$/],
    [{ tlsKey: file('key.pem') }, /^--tls-key needs --tls-cert$/],
    [{ tls: true, tlsCaOut: join(dir, 'no-such-dir', 'ca.pem') }, /^--tls-ca-out \S+ca\.pem: cannot write \(ENOENT\)$/],
    [{ tls: 'maybe' }, /^tls must be true or false \(1\/0\), got "maybe"$/],
    [{ tlsNames: ['fine', 'not fine'] }, /^tlsNames must be one or more host names or IP addresses/],
    [{ tlsNames: [] }, /^tlsNames must be one or more host names/],
  ]
  for (const [opts, message] of cases) {
    await t.rejects(startTestServer({ sessions: 1, ...opts }), { name: 'OptionError', message }, JSON.stringify(opts))
  }
})

t.test('the CLI: --tls-ca-out, the https listening line, the admin token guards the CA', async (t) => {
  const caOut = join(dir, 'cli-ca.pem')
  const cli = runCli(['--port', '0', '--sessions', '5', '--tls', '--tls-ca-out', caOut, '--admin-token', 'adm1n', '--log-level', 'warn'], SLOW_START)
  t.teardown(() => cli.stop())
  const url = await cli.listening
  t.match(cli.stdout(), /^listening on https:\/\/127\.0\.0\.1:\d+$/m, 'listening on https://HOST:PORT')
  const ca = readFileSync(caOut, 'utf8')
  const dispatcher = new Agent({ connect: { ca } })
  t.teardown(() => dispatcher.close())
  const denied = await fetch(`${url}/__admin/tls/ca.pem`, { dispatcher } as RequestInit)
  t.equal(denied.status, 401, 'GET /__admin/tls/ca.pem needs the admin token')
  t.equal(((await denied.json()) as { type: string }).type, 'unauthenticated')
  const served = await fetch(`${url}/__admin/tls/ca.pem`, { dispatcher, headers: { authorization: 'Bearer adm1n' } } as RequestInit)
  t.equal(await served.text(), ca, 'the file --tls-ca-out wrote is the CA served')
  const listed = await fetch(`${url}/observability.sessions.list`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 1 }),
    dispatcher,
  } as RequestInit)
  t.equal(listed.status, 200, 'trusting the written CA is enough')
})

t.test('the CLI: a missing certificate file exits 2 with one line naming it', async (t) => {
  const cli = runCli(['--port', '0', '--tls-cert', file('missing.pem'), '--tls-key', file('key.pem')], SLOW_START)
  const { code } = await cli.exited
  t.equal(code, 2)
  t.equal(cli.stdout(), '', 'it never listened')
  t.match(cli.stderr(), /^devrev-observability-mock: --tls-cert \S+missing\.pem: cannot read \(ENOENT\)\n$/)
})

t.test('MOCK_TLS=1 and MOCK_TLS_NAME from the environment', async (t) => {
  const mock = await startTestServer({ sessions: 1, env: { MOCK_TLS: '1', MOCK_TLS_NAME: 'a.test, b.test' } })
  t.teardown(() => mock.close())
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:/)
  const served = new X509Certificate(await peerCertificate(mock.port, 'b.test', mock.ca!))
  t.match(served.subjectAltName, /DNS:a\.test, DNS:b\.test$/)
})

t.test('the names a generated certificate covers', async (t) => {
  t.same(certificateNames(), ['localhost', '127.0.0.1', '::1'])
  t.same(certificateNames(['0.0.0.0', '::', 'LOCALHOST', '[::1]', 'Mock', '10.0.0.2']), ['localhost', '127.0.0.1', '::1', 'mock', '10.0.0.2'],
    'wildcard addresses skipped, duplicates once, lower-case')
})

t.test('boolean and host-name options, as flags, env, config values', async (t) => {
  for (const [raw, want] of [['1', true], ['true', true], ['YES', true], ['on', true], ['0', false], ['false', false], ['no', false], ['off', false]] as const) {
    t.equal(resolveOptions({ env: { MOCK_FREEZE_CLOCK: raw } }).freezeClock, want, `MOCK_FREEZE_CLOCK=${raw}`)
  }
  t.equal(resolveOptions({ direct: { tls: true } }).tls, true)
  t.equal(resolveOptions({}).tls, false, 'off by default')
  t.same(resolveOptions({}).tlsNames, [])
  t.same(resolveOptions({ direct: { tlsNames: ['svc_1', '10.1.2.3', 'fe80::1'] } }).tlsNames, ['svc_1', '10.1.2.3', 'fe80::1'])
  t.throws(() => resolveOptions({ env: { MOCK_TLS: 'maybe' } }), { message: 'MOCK_TLS must be true or false (1/0), got "maybe"' })
  t.throws(() => resolveOptions({ direct: { tls: 1 } }), { message: 'tls must be true or false (1/0), got 1' })
  t.equal(serverUrl('::1', 8443, true), 'https://[::1]:8443')
})

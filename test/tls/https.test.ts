/**
 * HTTPS: with `--tls` the mock makes a CA and a server certificate at start-up. Clients that trust
 * only that CA (given to an undici Agent, to `NODE_EXTRA_CA_CERTS` in a child process, or to curl
 * with `--cacert`) list sessions; a wrong host name, or no trust at all, is refused by the client.
 * Nothing here turns certificate checks off.
 */
import t from 'tap'
import { execFile, spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { Agent, fetch } from 'undici'
import { startTestServer, AUTH } from '../helpers/app.ts'

const LIST = '/observability.sessions.list'
const LIST_BODY = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 2 }
const TOKEN = 'tls-test-token'

const mock = await startTestServer({ tls: true, tlsNames: ['mock.internal'], sessions: 60, tokens: [TOKEN] })
t.teardown(() => mock.close())
const dir = t.testdir({})
const caFile = join(dir, 'ca.pem')
writeFileSync(caFile, mock.ca!)

/** A TLS handshake to 127.0.0.1 with `servername`; resolves the peer certificate or the client's refusal. */
function handshake(servername: string, ca?: string): Promise<{ raw?: Buffer; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: mock.port, servername, ca }, () => {
      const raw = socket.getPeerCertificate().raw
      socket.end()
      resolve({ raw })
    })
    socket.once('error', (error) => resolve({ error }))
  })
}

t.test('the URL, the certificate and the CA', async (t) => {
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'startMockServer().url says https')
  t.match(mock.ca, /^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+-----END CERTIFICATE-----\r?\n$/, 'the CA as PEM')
  const ca = new X509Certificate(mock.ca!)
  t.equal(ca.ca, true, 'a CA certificate')
  const { raw } = await handshake('localhost', mock.ca)
  const served = new X509Certificate(raw!)
  t.equal(served.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:mock.internal', 'the local names, then --tls-name')
  t.ok(served.checkIssued(ca) && served.verify(ca.publicKey), 'signed by that CA')
  t.equal(served.ca, false, 'not a CA itself')
  t.ok(Date.parse(served.validTo) > Date.now() + 300 * 86_400_000, 'valid for most of a year')
})

t.test('fetch with an undici Agent that trusts only the CA lists sessions', async (t) => {
  const dispatcher = new Agent({ connect: { ca: mock.ca } })
  t.teardown(() => dispatcher.close())
  const res = await fetch(mock.url + LIST, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(LIST_BODY),
    dispatcher,
  } as RequestInit)
  t.equal(res.status, 200)
  t.equal(((await res.json()) as { sessions: unknown[] }).sessions.length, 2)
  const caPem = await fetch(`${mock.url}/__admin/tls/ca.pem`, { dispatcher } as RequestInit)
  t.equal(caPem.status, 200)
  t.equal(caPem.headers.get('content-type'), 'application/x-pem-file')
  t.equal(await caPem.text(), mock.ca, 'GET /__admin/tls/ca.pem serves the same CA')
})

t.test('the client refuses a wrong host name, and a server it has no trust for', async (t) => {
  const wrong = await handshake('not-the-mock.example', mock.ca)
  t.equal(wrong.error?.code, 'ERR_TLS_CERT_ALTNAME_INVALID', 'a name the certificate does not cover')
  const untrusted = await handshake('localhost')
  t.match(untrusted.error?.code, /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/, 'without the CA: refused')
  const plain = await fetch(mock.url + LIST, { method: 'POST', headers: AUTH, body: '{}' }).catch((e: Error) => e)
  t.type(plain, Error, 'plain fetch (system roots only) refuses it too')
})

t.test('the official SDK, in a child process with NODE_EXTRA_CA_CERTS, against https://localhost', async (t) => {
  const script = `
    import { client } from '@devrev/typescript-sdk'
    const sdk = client.setupBeta({ endpoint: process.argv[1], token: process.argv[2] })
    const { data } = await sdk.observabilitySessionsListPost(JSON.parse(process.argv[3]))
    console.log(JSON.stringify(data.sessions.map((s) => s.session_id)))
  `
  const env: Record<string, string | undefined> = { ...process.env, NODE_EXTRA_CA_CERTS: caFile }
  delete env.NODE_TLS_REJECT_UNAUTHORIZED
  const endpoint = `https://localhost:${mock.port}`
  const run = (extraEnv: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, endpoint, TOKEN, JSON.stringify(LIST_BODY)], {
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c) => (stdout += c))
      child.stderr.on('data', (c) => (stderr += c))
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
    })
  const ok = await run({})
  t.equal(ok.code, 0, 'the SDK call succeeds', { stderr: ok.stderr })
  t.equal((JSON.parse(ok.stdout || '[]') as string[]).length, 2, 'two sessions')
  const refused = await run({ NODE_EXTRA_CA_CERTS: undefined })
  t.not(refused.code, 0, 'without the CA, the SDK refuses the mock')
  t.match(refused.stderr, /certificate/i)
})

const curl = await new Promise<boolean>((resolve) => execFile('curl', ['--version'], (err) => resolve(!err)))
t.test('curl --cacert', { skip: curl ? false : 'curl is not installed: the curl recipe is not checked here' }, async (t) => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('curl', ['-sS', '--max-time', '10', '--cacert', caFile, ...args], (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout }),
      )
    })
  const args = ['-H', `authorization: Bearer ${TOKEN}`, '-H', 'content-type: application/json', '-d', JSON.stringify(LIST_BODY)]
  const ok = await run([...args, `${mock.url}${LIST}`])
  t.equal(ok.code, 0, 'curl succeeds')
  t.equal((JSON.parse(ok.stdout) as { sessions: unknown[] }).sessions.length, 2)
  // A service name given with --tls-name (as in compose), resolved to 127.0.0.1 by curl itself.
  const named = await run([...args, '--resolve', `mock.internal:${mock.port}:127.0.0.1`, `https://mock.internal:${mock.port}${LIST}`])
  t.equal(named.code, 0, 'https://mock.internal works: the --tls-name is in the certificate')
  const wrong = await run([...args, '--resolve', `elsewhere.example:${mock.port}:127.0.0.1`, `https://elsewhere.example:${mock.port}${LIST}`])
  t.equal(wrong.code, 60, 'a name the certificate does not cover: curl refuses (exit 60)')
})

t.test('the CA on disk is the one served', async (t) => {
  t.equal(readFileSync(caFile, 'utf8'), mock.ca)
})

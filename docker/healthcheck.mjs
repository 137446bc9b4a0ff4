// The image's HEALTHCHECK: GET /__admin/health on the port the mock really listens on, with Node's
// own http/https (the image has no curl). It follows `PORT`/`HOST`/`MOCK_ADMIN_TOKEN` and the TLS
// options, and also flags given after the image name (`docker run IMAGE --port 9000 --tls`), which it
// reads from the mock's command line (PID 1 under an exec-form ENTRYPOINT; still there behind
// `docker run --init`); flags given to this script itself (a compose `healthcheck.test` override) are
// read instead. Over HTTPS it trusts the CA the mock wrote (`--tls-ca-out`, which the image
// sets) or the `--tls-cert` file, and checks the name `localhost`; it never turns verification off.
// Exit 0 = healthy.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { rootCertificates } from 'node:tls'

let args = process.argv.slice(2)
if (args.length === 0) {
  try {
    args = readFileSync('/proc/1/cmdline', 'utf8').split('\0')
    /* c8 ignore next 3 -- containers run on Linux, where /proc is always there */
  } catch {
    // not Linux, or no /proc: the environment alone decides
  }
}
/** The last `--name V` or `--name=V` on the mock's command line (flags beat the environment). */
function flag(name) {
  let value
  args.forEach((a, i) => {
    if (a === `--${name}` && i + 1 < args.length) value = args[i + 1]
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3)
  })
  return value
}
const yes = (v) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim())

const port = flag('port') ?? process.env.PORT ?? '8080'
const listen = flag('host') ?? process.env.HOST ?? '127.0.0.1'
const token = flag('admin-token') ?? process.env.MOCK_ADMIN_TOKEN
const cert = flag('tls-cert') ?? process.env.MOCK_TLS_CERT
const tls = args.includes('--tls') || yes(process.env.MOCK_TLS) || cert !== undefined
// A wildcard address is reached on loopback; a specific one as it is.
const host = ['', '0.0.0.0', '::', '[::]'].includes(listen) ? '127.0.0.1' : listen.replace(/^\[(.*)\]$/, '$1')
/* c8 ignore next -- a specific IPv6 listening address (IPv6-only networks); tests stay on 127.0.0.1 */
const hostInUrl = host.includes(':') ? `[${host}]` : host
const url = `${tls ? 'https' : 'http'}://${hostInUrl}:${port}/__admin/health`

try {
  const options = { headers: token ? { authorization: `Bearer ${token}` } : {}, timeout: 2000 }
  if (tls) {
    // The user's certificate file (with its chain) or the CA the mock made, plus the usual roots.
    const trusted = cert ?? flag('tls-ca-out') ?? process.env.MOCK_TLS_CA_OUT
    if (trusted === undefined) throw new Error('HTTPS, but no --tls-ca-out or --tls-cert file to trust')
    Object.assign(options, { ca: [...rootCertificates, readFileSync(trusted, 'utf8')], servername: 'localhost' })
  }
  const body = await new Promise((resolve, reject) => {
    const req = (tls ? https : http).get(url, options, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c) => (text += c))
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))))
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
  })
  if (body.status !== 'ok') throw new Error(JSON.stringify(body))
  process.exit(0)
} catch (e) {
  console.error(`unhealthy: ${url}: ${e.message}`)
  process.exit(1)
}

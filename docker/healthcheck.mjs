// The image's HEALTHCHECK: GET /__admin/health on the port the mock really listens on, with Node's
// own fetch (the image has no curl). It follows `PORT`/`HOST`/`MOCK_ADMIN_TOKEN` and also flags given
// after the image name (`docker run IMAGE --port 9000`), which it reads from the mock's command line
// (PID 1 under an exec-form ENTRYPOINT; still there behind `docker run --init`). Exit 0 = healthy.
import { readFileSync } from 'node:fs'

let args = []
try {
  args = readFileSync('/proc/1/cmdline', 'utf8').split('\0')
} catch {
  // not Linux, or no /proc: the environment alone decides
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

const port = flag('port') ?? process.env.PORT ?? '8080'
const listen = flag('host') ?? process.env.HOST ?? '127.0.0.1'
const token = flag('admin-token') ?? process.env.MOCK_ADMIN_TOKEN
// A wildcard address is reached on loopback; a specific one as it is.
const host = ['', '0.0.0.0', '::', '[::]'].includes(listen) ? '127.0.0.1' : listen.includes(':') ? `[${listen}]` : listen

try {
  const res = await fetch(`http://${host}:${port}/__admin/health`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(2000),
  })
  const body = await res.json()
  if (res.status !== 200 || body.status !== 'ok') throw new Error(`${res.status} ${JSON.stringify(body)}`)
  process.exit(0)
} catch (e) {
  console.error(`unhealthy: http://${host}:${port}/__admin/health: ${e.message}`)
  process.exit(1)
}

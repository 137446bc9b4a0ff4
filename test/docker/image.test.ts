/**
 * The Docker image, built from the repo's Dockerfile and run for real: healthy on
 * a non-default PORT, answers a list request and an injected 429, runs as non-root, logs JSON lines
 * without credentials, finishes an in-flight request on `docker stop` and stops in under 2 s; with
 * MOCK_TLS=1, healthy over HTTPS and answering clients that trust only the CA it wrote.
 *
 * Without a Docker engine (`docker info` fails) the file is skipped, unless REQUIRE_DOCKER is set
 * (.ci/run sets it, after starting an engine), where that is a failure. Every container uses
 * `--network host` and every request goes to 127.0.0.1, as on the machines this runs on.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { createServer, connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Agent, fetch } from 'undici'
import { checkResponse } from '../helpers/contract.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const IMAGE = 'devrev-observability-mock:test'
const TOKEN = 'docker-test-5ecret'
const ADMIN_TOKEN = 'docker-admin-5ecret'
const LIST = { type: 'mobile', platform: 'android', version_key: 'com.example.shop', limit: 3 }
const BUILD_MS = 12 * 60_000
const HEALTHY_WITHIN_MS = 30_000

interface Run {
  code: number
  stdout: string
  stderr: string
  ms: number
}

/** Runs `docker ...args`; never throws (the caller asserts on `code`). Bounded by `timeoutMs`. */
function docker(args: string[], timeoutMs = 60_000): Promise<Run> {
  const started = performance.now()
  return new Promise((resolve) => {
    execFile('docker', args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout: String(stdout).trim(), stderr: String(stderr).trim(), ms: performance.now() - started })
    })
  })
}

const tail = (text: string, lines = 30) => text.split('\n').slice(-lines).join('\n')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** Polls the container's health status until `healthy` (or it exits, turns unhealthy, or time runs out). */
async function waitHealthy(name: string): Promise<{ status: string; ms: number }> {
  const started = performance.now()
  let status = 'none'
  while (performance.now() - started < HEALTHY_WITHIN_MS) {
    const r = await docker(['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', name])
    const [state, health = 'none'] = r.stdout.split(' ')
    status = `${state}/${health}`
    if (health === 'healthy' || health === 'unhealthy' || state === 'exited' || state === 'dead') break
    await sleep(200)
  }
  return { status, ms: performance.now() - started }
}

/** True once nothing accepts connections on 127.0.0.1:port. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', () => resolve(true))
  })
}

/** The whole raw HTTP response on `socket`, once the server ends it (bounded). */
function readResponse(socket: Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let data = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(data)
    }, timeoutMs)
    socket.on('data', (chunk) => (data += String(chunk)))
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(data)
    })
    socket.once('error', () => {})
  })
}

async function post(port: number, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  const json = (await res.json()) as Record<string, unknown>
  return { res, json, problem: checkResponse({ method: 'POST', path, status: res.status, body: json }) }
}

const info = await docker(['info', '--format', '{{.ServerVersion}}'], 20_000)
if (info.code !== 0) {
  if (process.env.REQUIRE_DOCKER) {
    t.fail(`REQUIRE_DOCKER is set but \`docker info\` fails (no Docker engine): ${info.stderr}`)
  } else {
    t.plan(0, 'skipped: needs a running Docker engine (`docker info` failed); install Docker and start it to run the image test')
  }
} else {
  t.setTimeout(BUILD_MS + 5 * 60_000)
  t.comment(`docker engine ${info.stdout}`)
  const containers: string[] = []
  t.teardown(async () => {
    for (const name of containers) await docker(['rm', '-f', name], 30_000)
  })
  const name = (label: string) => {
    const n = `devrev-mock-test-${label}-${process.pid}`
    containers.push(n)
    return n
  }

  const build = await docker(['build', '--network', 'host', '-t', IMAGE, '.'], BUILD_MS)
  t.equal(build.code, 0, 'docker build succeeds', {
    output: tail(`${build.stdout}\n${build.stderr}`),
    hint: 'without Docker Hub, `bash .ci/docker-base.sh` first provides the FROM images',
  })
  t.comment(`docker build: ${(build.ms / 1000).toFixed(1)} s`)

  if (build.code === 0) {
    await t.test('the image: non-root, env, exec-form entrypoint, node HEALTHCHECK, production deps only', async (t) => {
      const r = await docker(['image', 'inspect', '--format', '{{json .}}', IMAGE])
      t.equal(r.code, 0)
      const image = JSON.parse(r.stdout) as {
        Size: number
        Config: {
          User: string
          Env: string[]
          ExposedPorts: Record<string, unknown>
          Entrypoint: string[]
          Healthcheck: { Test: string[] }
        }
      }
      t.comment(`image size: ${(image.Size / 1e6).toFixed(1)} MB (${image.Size} bytes)`)
      t.equal(image.Config.User, 'node')
      t.ok(image.Config.Env.includes('HOST=0.0.0.0'), 'HOST=0.0.0.0')
      t.ok(image.Config.Env.includes('PORT=8080'), 'PORT=8080')
      t.ok('8080/tcp' in image.Config.ExposedPorts, 'EXPOSE 8080')
      t.same(image.Config.Entrypoint, ['node', 'dist/bin/cli.js'], 'exec-form entrypoint')
      t.same(image.Config.Healthcheck.Test.slice(0, 2), ['CMD', 'node'], 'the HEALTHCHECK runs node, no shell, no curl')
      const contents = await docker([
        'run', '--rm', '--network', 'host', '--entrypoint', 'node', IMAGE, '-e',
        `const fs = require('fs'); console.log(JSON.stringify(['node_modules/typescript', 'node_modules/tap', 'node_modules/fastify', 'src', 'dist/bin/cli.js', 'fixtures', 'ui/app.js', 'node_modules/rrweb/dist/rrweb.umd.min.cjs'].map((p) => fs.existsSync(p))))`,
      ])
      t.same(JSON.parse(contents.stdout || 'null'), [false, false, true, false, true, true, true, true], 'no dev dependencies, no sources; dist, fixtures and the dashboard')
    })

    const port = await freePort()
    const main = name('main')
    await t.test(`healthy on PORT=${port}, answers a list request and an injected fault`, async (t) => {
      const r = await docker(['run', '-d', '--network', 'host', '--name', main, '-e', `PORT=${port}`, IMAGE])
      t.equal(r.code, 0, 'docker run', { stderr: r.stderr })
      const health = await waitHealthy(main)
      t.equal(health.status, 'running/healthy', 'the HEALTHCHECK follows PORT', {
        logs: tail((await docker(['logs', main])).stdout),
      })
      t.comment(`healthy after ${(health.ms / 1000).toFixed(1)} s`)
      if (health.status !== 'running/healthy') return

      const list = await post(port, '/observability.sessions.list', LIST)
      t.equal(list.res.status, 200)
      t.equal((list.json.sessions as unknown[]).length, 3, 'three sessions')
      t.equal(list.problem, undefined, 'the answer matches the contract')

      // Fault injection: one request answered 429 through the `Prefer` header.
      const faults = await fetch(`http://127.0.0.1:${port}/__admin/faults`, { signal: AbortSignal.timeout(5000) })
      t.equal(faults.status, 200, 'the fault admin API is in the image')
      const limited = await post(port, '/observability.sessions.list', LIST, {
        prefer: 'error=too_many_requests, retry_after=2',
      })
      t.equal(limited.res.status, 429, 'injected 429')
      t.equal(limited.res.headers.get('retry-after'), '2', 'Retry-After: 2')
      t.equal(limited.json.type, 'too_many_requests')
      t.equal(limited.json.retry_after, 2)
      t.equal(limited.problem, undefined, 'the 429 matches the contract')

      const denied = await post(port, '/observability.sessions.list', LIST, { authorization: '' })
      t.equal(denied.res.status, 401, 'no token: 401')
      t.equal(denied.json.type, 'unauthenticated')
      t.equal(denied.problem, undefined, 'the 401 matches the contract')
    })

    await t.test('runs as non-root', async (t) => {
      const status = await docker(['exec', main, 'cat', '/proc/1/status'])
      const uid = /^Uid:\s+(\d+)/m.exec(status.stdout)?.[1]
      t.equal(uid, '1000', 'PID 1 (the mock) runs as uid 1000 (node)')
      const id = await docker(['exec', main, 'id', '-u'])
      t.not(id.stdout, '0', 'docker exec is not root either')
      t.equal(id.stdout, '1000')
    })

    await t.test('logs: JSON lines, a start-up line, no credentials', async (t) => {
      const logs = await docker(['logs', main])
      const lines = logs.stdout.split('\n').filter((l) => l !== '')
      t.ok(lines.includes(`listening on http://0.0.0.0:${port}`), 'the listening line')
      const json = lines.filter((l) => !l.startsWith('listening on')).map((l) => JSON.parse(l) as Record<string, unknown>)
      t.ok(json.length >= 3, 'every other line is JSON')
      const ready = json.find((l) => l.msg === 'mock ready')
      t.match(ready, { seed: 42, sessions: 1000, version_keys: Array, version: String }, 'start-up line: seed, corpus size, version keys')
      const requests = json.filter((l) => l.msg === 'request')
      t.ok(requests.length > 0, 'each answered request is logged, once')
      t.match(requests.find((l) => l.path === '/observability.sessions.list'), { method: String, status: Number, ms: Number })
      t.notOk(logs.stdout.includes(TOKEN) || logs.stderr.includes(TOKEN), 'the bearer token is in no line')
    })

    await t.test('docker stop: in-flight request finished, exit 0, under 2 s', async (t) => {
      // A request whose body is still arriving when SIGTERM lands: headers and half the body now,
      // the rest once the mock has stopped listening.
      const body = JSON.stringify(LIST)
      const socket = connect(port, '127.0.0.1')
      await new Promise((resolve) => socket.once('connect', resolve))
      const response = readResponse(socket, 10_000)
      socket.write(
        `POST /observability.sessions.list HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      )
      await sleep(200)

      const stop = docker(['stop', main], 30_000)
      const started = performance.now()
      let closed = false
      while (!closed && performance.now() - started < 900) {
        closed = await refused(port)
        if (!closed) await sleep(20)
      }
      t.ok(closed, 'the mock stopped accepting connections on SIGTERM')
      socket.end(body.slice(10))
      const raw = await response
      const stopped = await stop
      t.equal(stopped.code, 0, 'docker stop', { stderr: stopped.stderr })
      t.comment(`docker stop: ${stopped.ms.toFixed(0)} ms`)
      t.ok(stopped.ms < 2000, `docker stop returned in ${stopped.ms.toFixed(0)} ms (< 2000)`)

      t.match(raw, /^HTTP\/1\.1 200 /, 'the in-flight request got its 200')
      const payload = raw.slice(raw.indexOf('\r\n\r\n') + 4)
      t.equal((JSON.parse(payload.startsWith('{') ? payload : '{}') as { sessions?: unknown[] }).sessions?.length, 3, 'with its sessions')

      const exit = await docker(['inspect', '--format', '{{.State.ExitCode}}', main])
      t.equal(exit.stdout, '0', 'exit code 0 (graceful, not killed)')
      const logs = await docker(['logs', main])
      t.match(logs.stdout, /"signal":"SIGTERM","msg":"stopping"/, 'the stop is logged')
    })

    await t.test('flags after the image name, --admin-token and a terminal', async (t) => {
      // `-t`: stdout is a terminal, so logs are pino-pretty; the HEALTHCHECK follows --port and
      // sends the admin token it finds on the mock's command line.
      const port2 = await freePort()
      const other = name('flags')
      const r = await docker(['run', '-d', '-t', '--network', 'host', '--name', other, IMAGE,
        '--port', String(port2), '--admin-token', ADMIN_TOKEN, '--seed', '7', '--sessions', '50'])
      t.equal(r.code, 0, 'docker run', { stderr: r.stderr })
      const health = await waitHealthy(other)
      t.equal(health.status, 'running/healthy', 'healthy with --port and --admin-token')
      const open = await fetch(`http://127.0.0.1:${port2}/__admin/health`, { signal: AbortSignal.timeout(5000) })
      t.equal(open.status, 401, 'the admin API needs the admin token')
      const withToken = await fetch(`http://127.0.0.1:${port2}/__admin/health`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        signal: AbortSignal.timeout(5000),
      })
      t.match(await withToken.json(), { status: 'ok', seed: 7, sessions: 50 })
      const logs = (await docker(['logs', other])).stdout
      t.match(logs, /INFO.*mock ready/, 'readable logs on a terminal')
      t.notOk(logs.split('\n').some((l) => l.trim().startsWith('{"level"')), 'not JSON lines')
      const stopped = await docker(['stop', other], 30_000)
      t.equal(stopped.code, 0)
      t.comment(`docker stop (second container): ${stopped.ms.toFixed(0)} ms`)
      t.ok(stopped.ms < 2000, 'stops in under 2 s')
    })

    await t.test('MOCK_TLS=1: healthy over HTTPS, answers clients that trust only its CA', async (t) => {
      const port3 = await freePort()
      const secure = name('tls')
      const r = await docker(['run', '-d', '--network', 'host', '--name', secure, '-e', `PORT=${port3}`, '-e', 'MOCK_TLS=1',
        '-e', 'MOCK_TLS_NAME=devrev-mock', IMAGE])
      t.equal(r.code, 0, 'docker run', { stderr: r.stderr })
      const health = await waitHealthy(secure)
      t.equal(health.status, 'running/healthy', 'the HEALTHCHECK trusts the CA the mock wrote', {
        logs: tail((await docker(['logs', secure])).stdout),
      })
      if (health.status !== 'running/healthy') return
      const logs = (await docker(['logs', secure])).stdout
      t.ok(logs.split('\n').includes(`listening on https://0.0.0.0:${port3}`), 'the listening line says https')
      // The CA, as a compose or Testcontainers setup gets it: from the file the image writes.
      const ca = await docker(['exec', secure, 'cat', '/tmp/devrev-observability-mock-ca.pem'])
      t.match(ca.stdout, /^-----BEGIN CERTIFICATE-----/, 'the CA file is there')
      const dispatcher = new Agent({ connect: { ca: `${ca.stdout}\n` } })
      t.teardown(() => dispatcher.close())
      const res = await fetch(`https://127.0.0.1:${port3}/observability.sessions.list`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(LIST),
        signal: AbortSignal.timeout(10_000),
        dispatcher,
      } as RequestInit)
      t.equal(res.status, 200, 'HTTPS list request')
      const json = (await res.json()) as { sessions: unknown[] }
      t.equal(json.sessions.length, 3)
      t.equal(checkResponse({ method: 'POST', path: '/observability.sessions.list', status: res.status, body: json }), undefined)
      const plain = await fetch(`https://127.0.0.1:${port3}/__admin/health`, { signal: AbortSignal.timeout(5000) }).catch((e: Error) => e)
      t.type(plain, Error, 'a client that does not trust the CA is refused')
      const stopped = await docker(['stop', secure], 30_000)
      t.equal(stopped.code, 0)
    })
  }
}

/**
 * Every option of the mock, as data: its flag, environment variable, kind and default. The CLI, the
 * `--config` file, the environment and `startMockServer()` all go through `resolveOptions`, so a bad
 * value gets the same one-line answer whichever way it came in. Flags beat env, env beats the file.
 */
import { readFileSync } from 'node:fs'
import { isDateTime } from '../core/validate.ts'
import { DEFAULTS } from '../core/defaults.ts'
import type { RateLimitConfig } from '../core/limiter.ts'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Options after resolution: every value checked and typed. */
export interface MockOptions {
  port: number
  host: string
  seed: number
  sessions: number
  /** Epoch ms the virtual clock starts at (it then runs); undefined = real time. */
  now?: number
  /** The virtual clock stands still until moved. */
  freezeClock: boolean
  fixtures?: string
  faults?: string
  tokens: string[]
  rateLimit?: RateLimitConfig
  maxBodyBytes: number
  maxLimit: number
  journalSize: number
  adminToken?: string
  logLevel: LogLevel
  /** Serve HTTPS: the user's certificate, or one the mock makes with its own CA. */
  tls: boolean
  /** More names for the certificate the mock makes. */
  tlsNames: string[]
  tlsCert?: string
  tlsKey?: string
  /** Where to write the PEM of the CA the mock makes. */
  tlsCaOut?: string
  /** Forward the emulated endpoints to this upstream (faults, limiter, clock and journal in front). */
  proxy?: string
  /** With `proxy`: write what passes through as anonymized fixtures to this file. */
  record?: string
}

type Kind = 'port' | 'int' | 'posint' | 'string' | 'path' | 'time' | 'list' | 'rate' | 'level' | 'bool' | 'names' | 'url'

export interface OptionDef {
  key: keyof MockOptions | 'config'
  flag: string
  env: string
  kind: Kind
  default?: unknown
  help: string
}

export const OPTION_DEFS: readonly OptionDef[] = [
  { key: 'port', flag: 'port', env: 'PORT', kind: 'port', default: DEFAULTS.port, help: 'port to listen on; 0 = any free port' },
  { key: 'host', flag: 'host', env: 'HOST', kind: 'string', default: DEFAULTS.host, help: 'address to listen on' },
  { key: 'seed', flag: 'seed', env: 'MOCK_SEED', kind: 'int', default: DEFAULTS.seed, help: 'seed of the generated corpus and of fault probabilities' },
  { key: 'sessions', flag: 'sessions', env: 'MOCK_SESSIONS', kind: 'int', default: DEFAULTS.sessions, help: 'size of the generated corpus' },
  { key: 'now', flag: 'now', env: 'MOCK_NOW', kind: 'time', help: 'start the virtual clock at this ISO date-time, and anchor the corpus there (default: real time)' },
  { key: 'freezeClock', flag: 'freeze-clock', env: 'MOCK_FREEZE_CLOCK', kind: 'bool', default: false, help: 'the virtual clock stands still until moved (POST /__admin/clock)' },
  { key: 'fixtures', flag: 'fixtures', env: 'MOCK_FIXTURES', kind: 'path', help: 'load sessions from this JSON (or .jsonl/.ndjson JSON Lines) file instead of generating them' },
  { key: 'faults', flag: 'faults', env: 'MOCK_FAULTS', kind: 'path', help: 'fault rules to apply from start-up (a JSON array)' },
  { key: 'tokens', flag: 'token', env: 'MOCK_TOKEN', kind: 'list', default: [], help: 'accept only these tokens (repeatable; env: comma-separated); default: any non-empty token' },
  { key: 'rateLimit', flag: 'rate-limit', env: 'MOCK_RATE_LIMIT', kind: 'rate', help: 'N[/WINDOW] requests per token per fixed window (e.g. 100/5m; window default 5m)' },
  { key: 'maxBodyBytes', flag: 'max-body-bytes', env: 'MOCK_MAX_BODY_BYTES', kind: 'posint', default: DEFAULTS.maxBodyBytes, help: 'larger request bodies get 413 request_entity_too_large' },
  { key: 'maxLimit', flag: 'max-limit', env: 'MOCK_MAX_LIMIT', kind: 'posint', default: DEFAULTS.maxLimit, help: 'larger `limit` values are clamped to this' },
  { key: 'journalSize', flag: 'journal-size', env: 'MOCK_JOURNAL_SIZE', kind: 'posint', default: DEFAULTS.journalSize, help: 'how many requests the journal keeps' },
  { key: 'adminToken', flag: 'admin-token', env: 'MOCK_ADMIN_TOKEN', kind: 'string', help: 'require `Authorization: Bearer T` on /__admin routes' },
  { key: 'config', flag: 'config', env: 'MOCK_CONFIG', kind: 'path', help: 'read options from this JSON file (keys as camelCase or as flags)' },
  { key: 'tls', flag: 'tls', env: 'MOCK_TLS', kind: 'bool', default: false, help: 'serve HTTPS, with a certificate from a CA the mock makes (or --tls-cert/--tls-key)' },
  { key: 'tlsNames', flag: 'tls-name', env: 'MOCK_TLS_NAME', kind: 'names', default: [], help: 'one more host name for that certificate (repeatable; env: comma-separated)' },
  { key: 'tlsCaOut', flag: 'tls-ca-out', env: 'MOCK_TLS_CA_OUT', kind: 'path', help: 'write the PEM of the CA the mock makes to this file' },
  { key: 'tlsCert', flag: 'tls-cert', env: 'MOCK_TLS_CERT', kind: 'path', help: 'serve HTTPS with this PEM certificate (chain) instead' },
  { key: 'tlsKey', flag: 'tls-key', env: 'MOCK_TLS_KEY', kind: 'path', help: 'the PEM private key of --tls-cert' },
  { key: 'proxy', flag: 'proxy', env: 'MOCK_PROXY', kind: 'url', help: 'forward the emulated endpoints to this API (e.g. https://api.devrev.ai), with faults, limiter and journal in front' },
  { key: 'record', flag: 'record', env: 'MOCK_RECORD', kind: 'path', help: 'with --proxy: write what passes through as anonymized fixtures (.json or .jsonl; salt in FILE.salt)' },
  { key: 'logLevel', flag: 'log-level', env: 'MOCK_LOG_LEVEL', kind: 'level', default: DEFAULTS.logLevel, help: `one of ${LOG_LEVELS.join(', ')}` },
]

/** A bad option: the message is the whole line the CLI prints. */
export class OptionError extends Error {
  override name = 'OptionError'
}

/** A DNS name (letters, digits, `-`, `_`, dots between labels) or an IPv4/IPv6 address. */
const HOST_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*|[0-9a-f:.]*:[0-9a-f:.]*)$/i

const WINDOW_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

export function parseRateLimit(text: string): RateLimitConfig {
  const m = /^(\d+)(?:\/(\d*)(ms|s|m|h))?$/.exec(text.trim())
  const limit = Number(m?.[1])
  const windowMs = m?.[3] ? Number(m[2] || 1) * WINDOW_UNITS[m[3]]! : DEFAULTS.rateLimitWindowMs
  if (!m || limit < 1 || windowMs < 1) throw new Error('must look like N or N/WINDOW, e.g. 100/5m (units ms, s, m, h)')
  return { limit, windowMs }
}

function parseInteger(raw: unknown, min: number, max: number): number {
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`must be an integer from ${min} to ${max}`)
  }
  return n
}

function parseValue(def: OptionDef, raw: unknown): unknown {
  switch (def.kind) {
    case 'port':
      return parseInteger(raw, 0, 65535)
    case 'int':
      return parseInteger(raw, 0, Number.MAX_SAFE_INTEGER)
    case 'posint':
      return parseInteger(raw, 1, Number.MAX_SAFE_INTEGER)
    case 'time': {
      if (raw instanceof Date) raw = raw.toISOString()
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw
      if (typeof raw !== 'string' || !isDateTime(raw)) throw new Error('must be an ISO date-time such as 2024-06-01T12:00:00Z')
      return Date.parse(raw)
    }
    case 'list': {
      const list = typeof raw === 'string' ? raw.split(',') : raw
      if (!Array.isArray(list) || !list.every((t) => typeof t === 'string' && t.trim() !== '')) {
        throw new Error('must be one or more non-empty tokens')
      }
      return list.map((t: string) => t.trim())
    }
    case 'rate':
      if (typeof raw === 'object' && raw !== null) {
        const r = raw as Partial<RateLimitConfig>
        if (Number.isSafeInteger(r.limit) && r.limit! >= 1 && Number.isSafeInteger(r.windowMs) && r.windowMs! >= 1) {
          return { limit: r.limit, windowMs: r.windowMs }
        }
        throw new Error('must be { limit, windowMs } with positive integers')
      }
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new Error('must look like N or N/WINDOW, e.g. 100/5m')
      return parseRateLimit(String(raw))
    case 'bool':
      if (typeof raw === 'boolean') return raw
      if (typeof raw === 'string' && /^(1|true|yes|on)$/i.test(raw.trim())) return true
      if (typeof raw === 'string' && /^(0|false|no|off)$/i.test(raw.trim())) return false
      throw new Error('must be true or false (1/0)')
    case 'names': {
      const list = typeof raw === 'string' ? raw.split(',').map((n) => n.trim()) : raw
      if (!Array.isArray(list) || list.length === 0 || !list.every((n) => typeof n === 'string' && HOST_NAME.test(n))) {
        throw new Error('must be one or more host names or IP addresses')
      }
      return list
    }
    case 'url':
      if (typeof raw !== 'string' || !/^https?:\/\/[^/?#\s]+/.test(raw)) throw new Error('must be an http:// or https:// URL')
      return raw
    case 'level':
      if (!LOG_LEVELS.includes(raw as LogLevel)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`)
      return raw
    default:
      if (typeof raw !== 'string' || raw === '') throw new Error('must be a non-empty string')
      return raw
  }
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
const byKey = new Map<string, OptionDef>(OPTION_DEFS.flatMap((d) => [[d.key, d], [d.flag, d], [camel(d.flag), d]]))

export interface OptionSources {
  /** Flags as parsed from argv (by flag name), e.g. { port: '0', token: ['a'] }. */
  flags?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  /** Values given in code (startMockServer), by camelCase key; they rank with flags. */
  direct?: Record<string, unknown>
  /** Defaults that replace the CLI's (in-process: port 0, logs silent). */
  defaults?: Partial<Record<keyof MockOptions, unknown>>
}

function readConfigFile(path: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new OptionError(`--config ${path}: ${err.code ? `cannot read (${err.code})` : `not valid JSON: ${err.message}`}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(`--config ${path}: must be a JSON object of options`)
  }
  return value as Record<string, unknown>
}

/** Resolves every option from its sources, or throws an OptionError naming the one at fault. */
export function resolveOptions(sources: OptionSources): MockOptions {
  const env = sources.env ?? {}
  const raw = new Map<OptionDef, { value: unknown; from: string }>()
  const take = (def: OptionDef | undefined, value: unknown, from: string) => {
    if (def && value !== undefined) raw.set(def, { value, from })
  }
  // Lowest rank first; later sources overwrite.
  const configDef = byKey.get('config')!
  const configPath = sources.flags?.config ?? sources.direct?.config ?? env[configDef.env]
  if (configPath !== undefined) {
    if (typeof configPath !== 'string' || configPath === '') throw new OptionError('--config must be a file path')
    for (const [k, v] of Object.entries(readConfigFile(configPath))) {
      const def = byKey.get(k)
      if (!def || def.key === 'config') throw new OptionError(`--config ${configPath}: unknown option "${k}"`)
      take(def, v, `"${k}" in ${configPath}`)
    }
  }
  for (const def of OPTION_DEFS) {
    const v = env[def.env]
    if (v !== undefined && v !== '') take(def, v, def.env)
  }
  for (const [k, v] of Object.entries(sources.direct ?? {})) {
    const def = byKey.get(k)
    if (!def) throw new OptionError(`unknown option "${k}"`)
    take(def, v, k)
  }
  for (const [k, v] of Object.entries(sources.flags ?? {})) take(byKey.get(k), v, `--${k}`)

  const out: Record<string, unknown> = {}
  for (const def of OPTION_DEFS) {
    if (def.key === 'config') continue
    const given = raw.get(def)
    if (!given) {
      const fallback = sources.defaults?.[def.key as keyof MockOptions] ?? def.default
      if (fallback !== undefined) out[def.key] = fallback
      continue
    }
    try {
      out[def.key] = parseValue(def, given.value)
    } catch (e) {
      throw new OptionError(`${given.from} ${(e as Error).message}, got ${JSON.stringify(given.value)}`)
    }
  }
  return out as unknown as MockOptions
}

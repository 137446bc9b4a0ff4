/**
 * Deterministic pseudonyms keyed by a salt: the same real value always maps to the same fake one
 * (within a run and across runs with one salt), so recorded fixtures keep their joins (one user's
 * sessions stay one user's) and equality filters still select the same sessions, while the real
 * value cannot be read back without the salt. HMAC-SHA-256 of the value, keyed by the salt.
 */
import { createHmac } from 'node:crypto'

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g
/** Four or more groups, or a `::` after a group; never a time of day such as 12:30:45. */
const IPV6 = /\b(?:(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?![0-9a-f])/gi
/** `key=value`, `key: value`, `Bearer value`: the value is a credential whatever it looks like. */
const SECRET = /\b(?:(bearer|basic)(\s+)()|(token|access_token|refresh_token|secret|password|passwd|pwd|api[_-]?key|apikey|authorization|auth|session|sid|key)(\s*[:=]\s*)(["']?))([^\s"'&,;]+)/gi
/** Long mixed runs (keys, JWT parts, hashes) and long digit runs (phone, card and account numbers). */
const TOKEN = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b|\b\d{6,}\b/g
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/g
/** scheme://[userinfo@]host[:port] then path, query, fragment: parsed by hand so the rest of the text is kept byte for byte. */
const ABSOLUTE = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^@/?#]*)@)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i
const RELATIVE = /^(\/[^?#]*)(\?[^#]*)?(#.*)?$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class Pseudonyms {
  readonly #salt: string

  constructor(salt: string) {
    this.#salt = salt
  }

  #mac(kind: string, value: string): string {
    return createHmac('sha256', this.#salt).update(`${kind}\u0000${value}`).digest('hex')
  }

  /** An identifier or any other string value: `anon_` and 16 hex digits. */
  string(value: string): string {
    return `anon_${this.#mac('s', value).slice(0, 16)}`
  }

  /** An integer for an integer, a number with two decimals for any other number. */
  number(value: number): number {
    const n = Number.parseInt(this.#mac('n', String(value)).slice(0, 8), 16) % 1_000_000
    return Number.isInteger(value) ? n : n / 100
  }

  email(value: string): string {
    return `user_${this.#mac('e', value.toLowerCase()).slice(0, 12)}@example.com`
  }

  /** IPv4 in 10.0.0.0/8; IPv6 in fd00::/8 (private ranges: never someone's real address). */
  ip(value: string): string {
    const h = this.#mac('ip', value.toLowerCase())
    if (value.includes(':')) return `fd00::${h.slice(0, 4)}:${h.slice(4, 8)}:${h.slice(8, 12)}`
    return `10.${[0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)).join('.')}`
  }

  /** A JSON value: strings and numbers pseudonymized, booleans and null kept, objects and arrays walked. */
  value(v: unknown): unknown {
    if (typeof v === 'string') return this.string(v)
    if (typeof v === 'number') return this.number(v)
    if (Array.isArray(v)) return v.map((x) => this.value(x))
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]))
    return v
  }

  /** Free text: emails, IP addresses, URLs, credentials and long tokens replaced; the words around them kept. */
  text(t: string): string {
    return t
      .replace(URL_IN_TEXT, (u) => this.url(u))
      .replace(EMAIL, (e) => this.email(e))
      .replace(SECRET, (m: string, ...g: (string | undefined)[]) => {
        const secret = g[6]!
        return secret.startsWith('anon_') ? m : `${m.slice(0, m.length - secret.length)}${this.string(secret)}`
      })
      .replace(IPV6, (ip) => this.ip(ip))
      .replace(IPV4, (ip) => this.ip(ip))
      .replace(TOKEN, (tok) => (/^(anon|user)_/.test(tok) ? tok : this.string(tok)))
  }

  /**
   * A URL (absolute, or a path starting with `/`): scheme, host and port kept; userinfo, path
   * segments that look like ids, query values and the fragment replaced. Anything else is free text.
   */
  url(u: string): string {
    const abs = ABSOLUTE.exec(u)
    if (abs) {
      const [, scheme, userinfo, host, path, query, fragment] = abs as unknown as [string, string, string | undefined, string, string, string | undefined, string | undefined]
      const who = userinfo === undefined ? '' : `${this.string(userinfo)}@`
      const [, name, port] = /^(\[[^\]]*\]|[^:]*)(.*)$/.exec(host) as unknown as [string, string, string]
      const where = /^\[|^[\d.]+$/.test(name) ? (name.startsWith('[') ? `[${this.ip(name.slice(1, -1))}]` : this.ip(name)) + port : host
      return `${scheme}${who}${where}${this.#path(path)}${this.#query(query)}${this.#fragment(fragment)}`
    }
    const rel = RELATIVE.exec(u)
    if (rel) {
      const [, path, query, fragment] = rel as unknown as [string, string, string | undefined, string | undefined]
      return `${this.#path(path)}${this.#query(query)}${this.#fragment(fragment)}`
    }
    return this.text(u)
  }

  #path(path: string): string {
    return path
      .split('/')
      .map((seg) => (idLike(seg) ? this.string(decodeURIComponentSafe(seg)) : seg))
      .join('/')
  }

  #query(query: string | undefined): string {
    if (query === undefined) return ''
    const pairs = query.slice(1).split('&').map((pair) => {
      const at = pair.indexOf('=')
      return at < 0 ? pair : `${pair.slice(0, at)}=${this.string(decodeURIComponentSafe(pair.slice(at + 1)))}`
    })
    return `?${pairs.join('&')}`
  }

  #fragment(fragment: string | undefined): string {
    return fragment === undefined || fragment === '#' ? (fragment ?? '') : `#${this.string(fragment.slice(1))}`
  }
}

/** A path segment that names a record rather than a place: a UUID, an email, digits, or a long token with digits. */
export function idLike(seg: string): boolean {
  if (seg === '') return false
  const s = decodeURIComponentSafe(seg)
  if (UUID.test(s) || s.includes('@') || /^\d{2,}$/.test(s)) return true
  return s.length >= 8 && /\d/.test(s) && /^[A-Za-z0-9_-]+$/.test(s)
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

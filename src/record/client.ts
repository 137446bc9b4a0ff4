/**
 * A careful DevRev API client for the recorder: waits out a 429 for as long as its `Retry-After`
 * says, retries 5xx answers, dropped connections and cut bodies with a bounded exponential
 * backoff, and gives up at once, with one clear line, where retrying cannot help: a refused token,
 * an unreachable host, a request the API rejects. The token goes only into the Authorization header.
 */

/** A failure the recorder reports as one line and stops on. */
export class RecordError extends Error {
  override name = 'RecordError'
}

export interface ClientOptions {
  /** The API's base URL, e.g. https://api.devrev.ai */
  base: string
  token: string
  /** How many times one call is tried before giving up (default 8). */
  attempts?: number
  /** The first backoff (ms), doubled on each retry up to `maxBackoffMs` (defaults 250 and 8000). */
  backoffMs?: number
  maxBackoffMs?: number
  /** The longest Retry-After honoured as given (s); longer ones are waited this long, then retried (default 120). */
  maxRetryAfterS?: number
  /** Told about each wait: why, and for how long. */
  onWait?: (why: string, ms: number) => void
  sleep?: (ms: number) => Promise<void>
}

/** Network errors that mean the host cannot be reached at all: retrying would only delay the answer. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL'])

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function codeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } }).cause
  /* c8 ignore next -- fetch reports every network failure as a TypeError whose cause has the system's code */
  return cause === undefined ? (e as Error).message : String(cause.code)
}

export class DevRevClient {
  readonly #o: Required<Omit<ClientOptions, 'onWait'>> & Pick<ClientOptions, 'onWait'>
  /** Calls made, including retries. */
  requests = 0

  constructor(o: ClientOptions) {
    this.#o = { attempts: 8, backoffMs: 250, maxBackoffMs: 8000, maxRetryAfterS: 120, sleep: realSleep, ...o, base: o.base.replace(/\/+$/, '') }
  }

  /** POSTs `body` to `/<operation>` and returns the parsed JSON answer. */
  async call<T>(operation: string, body: unknown): Promise<T> {
    const url = `${this.#o.base}/${operation}`
    let backoff = this.#o.backoffMs
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.#o.attempts
      const retry = async (why: string, ms = backoff) => {
        if (last) throw new RecordError(`${operation}: gave up after ${attempt} attempts: ${why}`)
        this.#o.onWait?.(why, ms)
        await this.#o.sleep(ms)
        backoff = Math.min(backoff * 2, this.#o.maxBackoffMs)
      }
      let res: Response
      let text: string
      try {
        this.requests++
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.#o.token}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        })
        text = await res.text()
      } catch (e) {
        const code = codeOf(e)
        if (UNREACHABLE.has(code)) {
          throw new RecordError(`cannot reach ${this.#o.base}: ${code}`)
        }
        await retry(`connection lost (${code})`)
        continue
      }
      if (res.status === 429) {
        const header = res.headers.get('retry-after')
        const s = header === null ? NaN : Number(header)
        const wait = Number.isFinite(s) && s >= 0 ? Math.min(s, this.#o.maxRetryAfterS) * 1000 : backoff
        await retry('429 too many requests', wait)
        continue
      }
      if (res.status >= 500) {
        await retry(`${res.status} from the upstream`)
        continue
      }
      if (res.status === 401 || res.status === 403) {
        throw new RecordError(`${this.#o.base} refused the token (${res.status}${typeOf(text)}): check --token or DEVREV_TOKEN`)
      }
      if (res.status !== 200) throw new RecordError(`${operation}: ${res.status}${typeOf(text)}`)
      try {
        return JSON.parse(text) as T
      } catch {
        await retry('a cut or malformed JSON body')
      }
    }
  }
}

/** ` type: message` of a DevRev error body, if it is one. */
function typeOf(text: string): string {
  try {
    const b = JSON.parse(text) as { type?: unknown; message?: unknown }
    if (typeof b.type === 'string') return ` ${b.type}${typeof b.message === 'string' ? `: ${b.message}` : ''}`
  } catch {
    // Not JSON: the status says enough.
  }
  return ''
}

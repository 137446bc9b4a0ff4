/**
 * A small DevRev client that retries 429 the way DevRev asks: wait `Retry-After` seconds, then try
 * again. Plain `fetch`, no dependencies. The wait goes through an injectable `sleep`, so a test can
 * move the mock's virtual clock instead of sleeping (see test/examples/retrying-client.test.ts):
 *
 *   const client = new RetryingClient({
 *     baseUrl: mock.url,
 *     token: 'my-token',
 *     sleep: (ms) => fetch(`${mock.url}/__admin/clock`, { method: 'POST', body: JSON.stringify({ advance_ms: ms }),
 *                            headers: { 'content-type': 'application/json' } }).then(() => {}),
 *   })
 *   const page = await client.call('observability.sessions.list', { type: 'mobile', platform: 'ios', version_key: 'app' })
 */

export interface RetryingClientOptions {
  /** e.g. `https://api.devrev.ai` or the mock's `http://127.0.0.1:PORT`. */
  baseUrl: string
  token: string
  /** How to wait; real time by default. */
  sleep?: (ms: number) => Promise<void>
  /** Retries of a 429 before giving up (default 3). */
  maxRetries?: number
  /** Used when a 429 says nothing about when to come back (default 1). */
  defaultRetryAfterSeconds?: number
  fetch?: typeof fetch
}

/** A DevRev error answer: the HTTP status and DevRev's flat body (`type`, `message`, own fields). */
export class DevRevApiError extends Error {
  readonly status: number
  readonly body: { type?: string; message?: string; [field: string]: unknown }
  constructor(status: number, body: DevRevApiError['body']) {
    super(`${status} ${body.type ?? 'error'}: ${body.message ?? ''}`)
    this.name = 'DevRevApiError'
    this.status = status
    this.body = body
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Seconds to wait before a retry: `Retry-After` (seconds, as DevRev sends it), else body `retry_after`. */
export function retryAfterSeconds(res: Response, body: { retry_after?: unknown }, fallback: number): number {
  const header = res.headers.get('retry-after')
  if (header !== null && /^\d+$/.test(header.trim())) return Number(header)
  return typeof body.retry_after === 'number' && body.retry_after >= 0 ? body.retry_after : fallback
}

export class RetryingClient {
  readonly #opts: Required<Omit<RetryingClientOptions, 'fetch'>> & { fetch: typeof fetch }
  /** Every wait the client made, in seconds (for logs and tests). */
  readonly waits: number[] = []

  constructor(opts: RetryingClientOptions) {
    this.#opts = {
      sleep: realSleep,
      maxRetries: 3,
      defaultRetryAfterSeconds: 1,
      fetch: globalThis.fetch,
      ...opts,
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    }
  }

  /** POSTs `body` to `/<operation>`; retries 429; resolves the JSON answer or throws DevRevApiError. */
  async call<T = unknown>(operation: string, body: unknown): Promise<T> {
    const { sleep, maxRetries, defaultRetryAfterSeconds } = this.#opts
    let answer = await this.#post(operation, body)
    for (let retries = 0; answer.res.status === 429 && retries < maxRetries; retries++) {
      const seconds = retryAfterSeconds(answer.res, answer.json, defaultRetryAfterSeconds)
      this.waits.push(seconds)
      await sleep(seconds * 1000)
      answer = await this.#post(operation, body)
    }
    if (!answer.res.ok) throw new DevRevApiError(answer.res.status, answer.json)
    return answer.json as T
  }

  async #post(operation: string, body: unknown): Promise<{ res: Response; json: Record<string, unknown> }> {
    const res = await this.#opts.fetch(`${this.#opts.baseUrl}/${operation}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { res, json: (await res.json()) as Record<string, unknown> }
  }
}

/**
 * Replay URLs in the shape of an object store's pre-signed GET URL (AWS Signature V4 query
 * parameters): signed with a key derived from the mock's seed, valid for `EXPIRES_S` seconds of the
 * virtual clock from `X-Amz-Date`. The signature binds a recording's folder (its prefix), so one
 * query serves every object in it (a web tab's segments, a mobile recording's frames).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** How long a replay URL stays valid, in seconds (an hour, a common pre-signing default). */
export const EXPIRES_S = 3600
const ALGORITHM = 'AWS4-HMAC-SHA256'
const REGION = 'us-east-1'

/** `20260115T120000Z`: X-Amz-Date's format. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

function parseAmzDate(v: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v)
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined
}

/** Why an object store turns a request down: its status, error code and message (and extra XML fields). */
export interface Refusal {
  status: number
  code: string
  message: string
  fields?: Record<string, string>
}

export class Presigner {
  readonly #key: Buffer

  constructor(secret: string) {
    this.#key = createHmac('sha256', 'devrev-observability-mock:replays').update(secret).digest()
  }

  #signature(prefix: string, date: string, expires: string): string {
    return createHmac('sha256', this.#key).update(`${ALGORITHM}\n${date}\n${expires}\n${prefix}`).digest('hex')
  }

  /** The query string that makes every object under `prefix` readable from `nowMs` for EXPIRES_S seconds. */
  sign(prefix: string, nowMs: number): string {
    const date = amzDate(nowMs)
    const expires = String(EXPIRES_S)
    return new URLSearchParams({
      'X-Amz-Algorithm': ALGORITHM,
      'X-Amz-Credential': `MOCKACCESSKEY/${date.slice(0, 8)}/${REGION}/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': this.#signature(prefix, date, expires),
    }).toString()
  }

  /** Undefined when the query grants access to `prefix` at `nowMs`, else the refusal. */
  verify(prefix: string, query: Readonly<Record<string, unknown>>, nowMs: number): Refusal | undefined {
    const get = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined)
    const date = get('X-Amz-Date')
    const expires = get('X-Amz-Expires')
    const signature = get('X-Amz-Signature')
    const signedAt = date === undefined ? undefined : parseAmzDate(date)
    if (signedAt === undefined || expires === undefined || !/^\d{1,6}$/.test(expires) || signature === undefined) {
      return {
        status: 400,
        code: 'AuthorizationQueryParametersError',
        message:
          'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      }
    }
    const want = Buffer.from(this.#signature(prefix, date!, expires))
    const got = Buffer.from(signature)
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      }
    }
    const expiresAt = signedAt + Number(expires) * 1000
    if (nowMs > expiresAt) {
      return {
        status: 403,
        code: 'AccessDenied',
        message: 'Request has expired',
        fields: {
          'X-Amz-Expires': expires,
          Expires: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          ServerTime: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      }
    }
    return undefined
  }
}

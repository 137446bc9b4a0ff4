/**
 * Contract conformance of every response the suite receives from the emulated endpoints.
 * STUB: issue 5 replaces the body of `checkResponse` with validation against the schemas of
 * ../shared/contract/openapi-beta.yaml (loaded at test time). Until then it checks DevRev's flat error
 * shape, which is what issue 2 promises.
 */
export interface Exchange {
  method: string
  /** Path without the query string, e.g. /observability.sessions.list */
  path: string
  status: number
  body: unknown
}

/** Returns undefined when the response conforms, else a message saying what is wrong. */
export function checkResponse(x: Exchange): string | undefined {
  if (x.status >= 400) {
    const b = x.body as Record<string, unknown>
    if (x.status === 404 && b && b.message === 'route not found' && !('type' in b)) return undefined
    if (!b || typeof b.type !== 'string') return `error body without a type: ${JSON.stringify(x.body)}`
    if ('statusCode' in b || 'error' in b) return `Fastify's default error body leaked: ${JSON.stringify(x.body)}`
  }
  return undefined
}

/** Request headers as the core's fault matching reads them: by name in any case, repeats joined. */
import type { IncomingHttpHeaders } from 'node:http'

/** A lookup over Node's headers (lower-case names; a repeated header as an array, joined with `, `). */
export function headerLookup(headers: IncomingHttpHeaders): (name: string) => string | undefined {
  return (name) => {
    const v = headers[name.toLowerCase()]
    return Array.isArray(v) ? v.join(', ') : v
  }
}

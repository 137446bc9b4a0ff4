/** DevRev accepts `Authorization: Bearer <token>` and the raw `Authorization: <token>` (the SDK's form). */
export function tokenFromHeader(header: string | undefined): string {
  if (header === undefined) return ''
  // The usual form, without a regular expression; the same result as the general case below.
  if (header.startsWith('Bearer ')) return header.slice(7).trim()
  const h = header.trim()
  const m = /^bearer(?:\s+(.*))?$/i.exec(h)
  return (m ? (m[1] ?? '') : h).trim()
}

/**
 * The admin token: only `Authorization: Bearer <token>`. The scheme is case-insensitive and may be
 * followed by spaces or tabs (RFC 9110); the raw form DevRev's SDK uses is not taken for admin
 * calls, which are the mock's own and documented with the scheme. '' when absent or malformed.
 */
export function adminTokenFromHeader(header: string | undefined): string {
  const m = header === undefined ? null : /^bearer[ \t]+([^ \t]+)[ \t]*$/i.exec(header)
  return m ? m[1]! : ''
}

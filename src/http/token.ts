/** DevRev accepts `Authorization: Bearer <token>` and the raw `Authorization: <token>` (the SDK's form). */
export function tokenFromHeader(header: string | undefined): string {
  if (header === undefined) return ''
  // The usual form, without a regular expression; the same result as the general case below.
  if (header.startsWith('Bearer ')) return header.slice(7).trim()
  const h = header.trim()
  const m = /^bearer(?:\s+(.*))?$/i.exec(h)
  return (m ? (m[1] ?? '') : h).trim()
}

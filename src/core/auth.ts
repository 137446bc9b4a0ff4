/** DevRev accepts `Authorization: Bearer <token>` and the raw `Authorization: <token>` (the SDK's form). */
export function tokenFromHeader(header: string | undefined): string {
  if (header === undefined) return ''
  const h = header.trim()
  const m = /^bearer(?:\s+(.*))?$/i.exec(h)
  return (m ? (m[1] ?? '') : h).trim()
}

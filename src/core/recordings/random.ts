/**
 * The randomness of recordings: a seeded faker per session, keyed by the mock's seed and the
 * session's identity, so a recording is the same bytes on every request and every machine and does
 * not depend on which other sessions were asked for first (recordings are derived lazily).
 */
import { createHash } from 'node:crypto'
import type { Faker } from '@faker-js/faker'
import { faker as baseFaker } from '@faker-js/faker/locale/base'
import { ownFaker } from '../faker.ts'

export function seededFaker(...parts: readonly (string | number)[]): Faker {
  const h = createHash('sha256').update(parts.join('\u0000')).digest()
  const f = ownFaker(baseFaker)
  f.seed([h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)])
  return f
}

/** `n` instants in [0, span], ascending: when the items of a timeline happen. */
export function spreadOffsets(f: Faker, n: number, span: number): number[] {
  return Array.from({ length: n }, () => f.number.int({ min: 0, max: Math.max(0, span) })).sort((a, b) => a - b)
}

/** The slice [from, to) of the session that recording/tab `k` of `n` covers (the last one ends at the session's end). */
export function slice(k: number, n: number, span: number): { from: number; to: number } {
  return { from: Math.floor((k * span) / n), to: Math.floor(((k + 1) * span) / n) }
}

/** Whether an offset falls in the slice (the last slice includes the session's last instant). */
export function inSlice(at: number, s: { from: number; to: number }, last: boolean): boolean {
  return at >= s.from && (at < s.to || (last && at <= s.to))
}

/**
 * The digest that binds cursors to their query (src/core/query/digest.ts) hashes a value's structure
 * instead of building its canonical JSON (README, Performance). Checked against that plain definition:
 * two values have the same digest exactly when their canonical JSON texts are the same.
 */
import t from 'tap'
import fc from 'fast-check'
import { Digest } from '../../../src/core/query/digest.ts'
import { queryDigest } from '../../../src/core/query/engine.ts'
import { NON_FILTER_KEYS } from '../../../src/core/query/filter.ts'
import { DEFAULT_SORT, parseSort, sortSpecKey } from '../../../src/core/query/sort.ts'
import type { ListRequest } from '../../../src/contract/schemas/requests.ts'

/** The plain definition: JSON with keys sorted at every depth, undefined properties left out. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v ?? null)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

const digest = (v: unknown) => new Digest().value(v).hex()

/** The same value with every object's keys in another order (and undefined properties sprinkled in). */
function shuffled(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => shuffled(x, seed + i))
  if (v === null || typeof v !== 'object') return v
  const entries = Object.entries(v)
  entries.sort(([a], [b]) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7) || (a < b ? 1 : -1))
  const out: Record<string, unknown> = {}
  if (seed % 3 === 0) out['~gone'] = undefined
  for (const [k, x] of entries) out[k] = shuffled(x, seed + 1)
  return out
}

// A small world of values, so that equal texts happen often and the "only if" side is tested too.
const small = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', 'ab', '', 'é', '"', '\u0000', '\ud800'),
    fc.constantFrom(0, -0, 1, 2, 10, 1.5, -1, 2 ** 40, Number.NaN, Infinity),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'é', 'A'), tie('value'), { maxKeys: 3 }),
  ),
})).value

t.test('same digest exactly when the canonical JSON is the same', async (t) => {
  fc.assert(
    fc.property(small, small, (a, b) => (digest(a) === digest(b)) === (canonical(a) === canonical(b))),
    { seed: 20260115, numRuns: 20000 },
  )
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => (digest(a) === digest(b)) === (canonical(a) === canonical(b))),
    { seed: 20260115, numRuns: 3000 },
  )
})

t.test('the order of keys does not matter, nor undefined properties', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.nat(), (v, seed) => digest(shuffled(v, seed)) === digest(v)),
    { seed: 20260115, numRuns: 3000 },
  )
  t.equal(digest({ a: 1, b: undefined }), digest({ a: 1 }))
  // Many keys (past a handful, they are sorted another way): still the order of the text's keys.
  const many = Array.from({ length: 40 }, (_, i) => [`k${(i * 17) % 40}`, i] as const)
  t.equal(digest(Object.fromEntries(many)), digest(Object.fromEntries([...many].reverse())))
  t.not(digest({ a: 1, b: null }), digest({ a: 1 }))
  // In a list, undefined (or a hole) is null, as JSON.stringify writes it.
  t.equal(digest([undefined, 1]), digest([null, 1]))
  t.equal(digest([, 1]), digest(JSON.parse(JSON.stringify([, 1]))))
})

t.test('16 hex digits; the boundaries between values count', async (t) => {
  t.match(digest(null), /^[0-9a-f]{16}$/)
  // Every digit is used, in every position (the hex table covers all byte values).
  const digits = new Set<string>()
  for (let i = 0; i < 2000; i++) for (const [at, ch] of [...digest(i)].entries()) digits.add(`${at}:${ch}`)
  t.equal(digits.size, 16 * 16)
  // A digest that goes on from another one is the digest of the whole, and leaves the other as it was.
  const prefix = new Digest().text('secret')
  const before = new Digest(prefix).hex()
  t.equal(new Digest(prefix).text('q').text('p').hex(), new Digest().text('secret').text('q').text('p').hex())
  t.equal(prefix.hex(), before)
  t.not(new Digest().text('ab').text('c').hex(), new Digest().text('a').text('bc').hex())
  t.not(digest(['a', 'b']), digest(['ab']))
  t.not(digest({ ab: 'c' }), digest({ a: 'bc' }))
  t.not(digest([[], []]), digest([[[]]]))
  // No collision among many near-identical values (64 bits: any collision here would be a bug).
  const seen = new Set<string>()
  for (let i = 0; i < 20000; i++) seen.add(digest({ v: `k${i}` }))
  t.equal(seen.size, 20000)
})

t.test('queryDigest: scope, sort and filters; not limit, mode or cursor', async (t) => {
  const key = fc.constantFrom(...NON_FILTER_KEYS, 'app_version', 'created_at', 'rev_org', 'is_crash')
  const sorts = [undefined, ['created_at:asc'], ['session_duration_ms', 'created_at:desc']]
  const reference = (req: Record<string, unknown>, sortBy: string[] | undefined) => {
    const filters = Object.fromEntries(Object.entries(req).filter(([k]) => !NON_FILTER_KEYS.has(k)))
    const sort = sortSpecKey(parseSort(sortBy, 'mobile'))
    return canonical({ t: req.type, p: req.platform, v: req.version_key, s: sort, f: filters })
  }
  const request = fc.record({
    scope: fc.record({ type: fc.constantFrom('mobile', 'web'), platform: fc.constantFrom('android', 'ios'), version_key: fc.constantFrom('a', 'b') }),
    extra: fc.dictionary(key, fc.option(fc.constantFrom(1, 'x', ['x'], { type: 'preset' }), { nil: undefined }), { maxKeys: 3 }),
    sortBy: fc.constantFrom(...sorts),
  })
  fc.assert(
    fc.property(request, request, (a, b) => {
      const ra = { ...a.extra, ...a.scope }
      const rb = { ...b.extra, ...b.scope }
      const da = queryDigest(ra as unknown as ListRequest, parseSort(a.sortBy, 'mobile'))
      const db = queryDigest(rb as unknown as ListRequest, parseSort(b.sortBy, 'mobile'))
      return (da === db) === (reference(ra, a.sortBy) === reference(rb, b.sortBy))
    }),
    { seed: 20260115, numRuns: 5000 },
  )
  const base = { type: 'mobile', platform: 'android', version_key: 'com.example.shop' } as const
  t.equal(queryDigest({ ...base, limit: 5, mode: 'after', cursor: 'x' }, DEFAULT_SORT), queryDigest(base, DEFAULT_SORT))
  t.not(queryDigest({ ...base, app_version: ['1'] }, DEFAULT_SORT), queryDigest(base, DEFAULT_SORT))
})

t.test('sortSpecKey: the default sort is named as any other spec of the same items', async (t) => {
  t.equal(sortSpecKey(DEFAULT_SORT), sortSpecKey([...DEFAULT_SORT]))
  t.equal(sortSpecKey(parseSort(['created_at:desc'], 'mobile')), sortSpecKey(DEFAULT_SORT))
})

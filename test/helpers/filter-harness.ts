/**
 * The harness of the property-based filter tests: for each filter field, fast-check (fixed seed)
 * draws a scope, a value of that field from the corpus's real values and a paging/sort; the mock's
 * full forward walk must return exactly what the plain reference (test/helpers/reference.ts) selects,
 * in the same order, and the backward walk the same in reverse. Runs over two corpora (the seeded default one and fixtures/example.json) and
 * three positions of the virtual clock (so `next_n_days` has hits too).
 */
import { deepStrictEqual } from 'node:assert'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildTestApp, NOW } from './app.ts'
import { exportCorpus, idsOf, visible, walkBackward, walkForward } from './walk.ts'
import { referenceList, type Req } from './reference.ts'
import { paging, scopesOf, type Scope } from './filter-arbitraries.ts'
import { loadFixturesFile } from '../../src/core/corpus/fixtures.ts'
import type { StoredSession } from '../../src/contract/schemas/sessions.ts'

export const SEED = 42
const DAY = 86_400_000

export interface Env {
  name: string
  app: FastifyInstance
  corpus: StoredSession[]
  now: number
  scopes: Scope[]
  generated: boolean
}

export type FieldArb = (scope: Scope) => fc.Arbitrary<unknown>

/** Apps over the default corpus and the example fixtures, each at three clock positions. */
export async function buildEnvs(t: Test, type: 'mobile' | 'web'): Promise<Env[]> {
  const envs: Env[] = []
  const base = await buildTestApp()
  t.teardown(() => base.close())
  const generated = await exportCorpus(base)
  const example = loadFixturesFile('fixtures/example.json')
  for (const [name, corpus] of [
    ['generated', generated],
    ['example', example],
  ] as const) {
    for (const shift of [0, -3 * DAY, -12 * DAY]) {
      const app = shift === 0 && name === 'generated' ? base : await buildTestApp({ corpus, now: NOW + shift })
      if (app !== base) t.teardown(() => app.close())
      envs.push({
        name: `${name}@${shift / DAY}d`,
        app,
        corpus: [...corpus],
        now: app.mock.clock.now(),
        scopes: scopesOf([...corpus]).filter((s) => s.type === type),
        generated: name === 'generated',
      })
    }
  }
  return envs
}

export interface Stats {
  runs: number
  /** Runs on the generated corpus whose answer was a non-empty strict subset of the scope. */
  nonTrivial: number
  generatedRuns: number
}

/** One walk compared with the reference; returns the reference's size. */
export async function compareWalk(env: Env, req: Req, checkBodies = false): Promise<number> {
  const expected = referenceList(env.corpus, req, env.now)
  const pages = await walkForward(env.app, req)
  deepStrictEqual(idsOf(pages), expected.map((s) => s.session_id), `${env.name} ${JSON.stringify(req)}`)
  const limit = Math.min(req.limit ?? 50, 100)
  for (const p of pages) if (p.sessions.length > limit) throw new Error(`page over the limit: ${p.sessions.length}`)
  // The backward walk (from the end, following prev_cursor) sees the same sessions in reverse.
  const back = await walkBackward(env.app, req)
  deepStrictEqual(idsOf([...back].reverse()), idsOf(pages), `backward ${env.name} ${JSON.stringify(req)}`)
  if (checkBodies) deepStrictEqual(pages.flatMap((p) => p.sessions), expected.map(visible))
  return expected.length
}

/** Property: the filters drawn by `arb` give exactly the reference's result. */
export async function checkFilter(
  envs: Env[],
  arb: (scope: Scope) => fc.Arbitrary<Record<string, unknown>>,
  opts: { numRuns: number; seed?: number; checkBodies?: boolean },
): Promise<Stats> {
  const stats: Stats = { runs: 0, nonTrivial: 0, generatedRuns: 0 }
  // Values carry indexes, not the apps and corpora themselves: a counterexample stays readable.
  const usable = envs.filter((e) => e.scopes.length > 0)
  const input = fc.nat(usable.length - 1).chain((ei) =>
    fc.nat(usable[ei]!.scopes.length - 1).chain((si) =>
      fc.tuple(fc.constant(ei), fc.constant(si), arb(usable[ei]!.scopes[si]!), paging(usable[ei]!.scopes[si]!.type)),
    ),
  )
  await fc.assert(
    fc.asyncProperty(input, async ([ei, si, filters, page]) => {
      const e = usable[ei]!
      const scope = e.scopes[si]!
      const req: Req = { type: scope.type, platform: scope.platform, version_key: scope.version_key, ...filters, ...page }
      const n = await compareWalk(e, req, opts.checkBodies)
      stats.runs++
      if (e.generated) {
        stats.generatedRuns++
        if (n > 0 && n < scope.sessions.length) stats.nonTrivial++
      }
    }),
    { seed: opts.seed ?? SEED, numRuns: opts.numRuns },
  )
  return stats
}

/**
 * Runs one property per field. Each field must give at least one non-trivial answer (a non-empty
 * strict subset of its scope) on the generated corpus, and most runs over all fields must.
 */
export async function checkEachField(t: Test, envs: Env[], fields: Record<string, FieldArb>, numRuns: number): Promise<void> {
  const total: Stats = { runs: 0, nonTrivial: 0, generatedRuns: 0 }
  for (const [field, arb] of Object.entries(fields)) {
    await t.test(field, async (t) => {
      const stats = await checkFilter(envs, (scope) => arb(scope).map((v) => ({ [field]: v })), { numRuns })
      t.equal(stats.runs, numRuns, `${numRuns} walks matched the reference`)
      // Some scopes cannot make a filter selective (every iOS session has is_anr false, manufacturer
      // Apple), so per field one selective answer is required, and most answers over all fields.
      t.ok(stats.nonTrivial >= 1, `non-trivial answers: ${stats.nonTrivial} of ${stats.generatedRuns} runs on the generated corpus`)
      total.runs += stats.runs
      total.nonTrivial += stats.nonTrivial
      total.generatedRuns += stats.generatedRuns
    })
  }
  t.ok(total.nonTrivial >= total.generatedRuns / 2, `non-trivial answers over all fields: ${total.nonTrivial} of ${total.generatedRuns}`)
}

/**
 * The fault engine: the stored rules (start-up rules from `--faults`, run-time rules from the admin
 * API), in precedence order, with their schedules and per-rule counters.
 *
 * Precedence: the `Prefer` header, then run-time rules newest first, then start-up rules.
 * Every rule whose `match` accepts a request counts it (`matched`), whether or not it answers, so a
 * rule's schedule depends only on the requests it matches. A rule is due on its n-th matching request
 * when n > `after`, (n − after) is a multiple of `every` (default 1), it has answered fewer than
 * `times` requests, and its `probability` draw succeeds. The first due rule in precedence order
 * answers (`fired` + 1); a due rule that is outranked does not answer and keeps its `times`.
 *
 * `probability` draws from a PRNG per rule, seeded from `--seed` and the rule's id and drawn once per
 * request that reaches the draw: the same seed, rules and requests give the same hits in any process.
 */
import { createHash } from 'node:crypto'
import type { FaultEndpoint, FaultMatch } from '../../contract/schemas/faults.ts'
import { answerOf, type Answer, type FaultRule } from './rules.ts'
import { isPlainObject } from '../validate.ts'

export type RuleSource = 'startup' | 'runtime'

/** What the engine sees of a request. */
export interface FaultRequest {
  endpoint: FaultEndpoint | undefined
  method: string
  /** The caller's token ('' when absent). */
  token: string
  /** The parsed JSON body; without one (GET), the query parameters (string values). */
  body: unknown
  /** Whether `body` holds query parameters: a scalar pattern then also matches its string form. */
  bodyIsQuery: boolean
  /** A request header's value by name (any case; repeated headers joined with `, `), as the HTTP layer reads it. */
  header: (name: string) => string | undefined
}

export interface StoredRule {
  readonly id: string
  readonly source: RuleSource
  readonly rule: FaultRule
  matched: number
  fired: number
  readonly draw: () => number
}

/** A stored rule as the admin API lists it. */
export interface RuleInfo {
  id: string
  source: RuleSource
  rule: FaultRule
  matched: number
  fired: number
}

export interface Decision {
  /** The rule's id, or `prefer` for the header. */
  id: string
  /** What the rule answers: an error, a network fault, or only a delay. */
  answer: Answer
}

/** A uniform [0, 1) stream seeded by `seed` and `key` (sfc32 over a sha256 of both). */
export function seededRandom(seed: number, key: string): () => number {
  const h = createHash('sha256').update(`devrev-observability-mock:faults:${seed}:${key}`).digest()
  let a = h.readUInt32LE(0)
  let b = h.readUInt32LE(4)
  let c = h.readUInt32LE(8)
  let d = h.readUInt32LE(12)
  return () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
}

/**
 * Whether `value` contains `pattern`: objects by subset (recursively), arrays element by element
 * with the same length, scalars by equality. `loose` (GET query values) also lets a scalar pattern
 * match its string form.
 */
export function partialMatch(pattern: unknown, value: unknown, loose = false): boolean {
  if (isPlainObject(pattern)) {
    if (!isPlainObject(value)) return false
    return Object.entries(pattern).every(([k, p]) => Object.hasOwn(value, k) && partialMatch(p, value[k], loose))
  }
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && value.length === pattern.length && pattern.every((p, i) => partialMatch(p, value[i], loose))
  }
  return pattern === value || (loose && typeof value === 'string' && pattern !== null && String(pattern) === value)
}

export function matches(m: FaultMatch | undefined, req: FaultRequest): boolean {
  if (m === undefined) return true
  if (m.endpoint !== undefined && m.endpoint !== req.endpoint) return false
  if (m.method !== undefined && m.method !== req.method) return false
  if (m.token !== undefined && m.token !== req.token) return false
  if (m.headers !== undefined) {
    for (const [name, value] of Object.entries(m.headers)) {
      if (req.header(name) !== value) return false
    }
  }
  return m.body === undefined || partialMatch(m.body, req.body, req.bodyIsQuery)
}

/** Whether a rule answers its `n`-th matching request (the probability draw aside). */
function scheduled(r: StoredRule, n: number): boolean {
  const after = r.rule.after ?? 0
  if (n <= after || (n - after) % (r.rule.every ?? 1) !== 0) return false
  return r.rule.times === undefined || r.fired < r.rule.times
}

export interface FaultEngineOptions {
  seed: number
  /** Validated start-up rules (`--faults`). */
  startup?: readonly FaultRule[]
}

export class FaultEngine {
  readonly #seed: number
  readonly #startup: readonly FaultRule[]
  /** Precedence order: run-time rules newest first, then start-up rules in file order. */
  #rules: StoredRule[] = []
  #nextRuntime = 1

  constructor(opts: FaultEngineOptions) {
    this.#seed = opts.seed
    this.#startup = opts.startup ?? []
    this.reset()
  }

  #store(id: string, source: RuleSource, rule: FaultRule): StoredRule {
    return { id, source, rule, matched: 0, fired: 0, draw: seededRandom(this.#seed, id) }
  }

  /** How many rules are stored. */
  get size(): number {
    return this.#rules.length
  }

  /** Back to the start-up rules, with fresh counters; run-time rules gone, ids from 1 again. */
  reset(): void {
    this.#rules = this.#startup.map((rule, i) => this.#store(`startup-${i + 1}`, 'startup', rule))
    this.#nextRuntime = 1
  }

  /** Adds validated run-time rules (all of them, in order: the last added ranks first); returns their ids. */
  add(rules: readonly FaultRule[]): string[] {
    const stored = rules.map((rule) => this.#store(`rule-${this.#nextRuntime++}`, 'runtime', rule))
    this.#rules = [...[...stored].reverse(), ...this.#rules]
    return stored.map((r) => r.id)
  }

  /** Every stored rule, in precedence order. */
  list(): RuleInfo[] {
    return this.#rules.map(({ id, source, rule, matched, fired }) => ({ id, source, rule, matched, fired }))
  }

  remove(id: string): boolean {
    const before = this.#rules.length
    this.#rules = this.#rules.filter((r) => r.id !== id)
    return this.#rules.length < before
  }

  /** Removes every rule, start-up ones included (reset brings those back). */
  clear(): void {
    this.#rules = []
  }

  /**
   * The rule that answers this request, if any: the `Prefer` rule when given, else the first due
   * stored rule. Every stored rule that matches counts the request either way.
   */
  decide(req: FaultRequest, prefer?: FaultRule): Decision | undefined {
    let winner: { id: string; rule: FaultRule } | undefined = prefer === undefined ? undefined : { id: 'prefer', rule: prefer }
    for (const r of this.#rules) {
      if (!matches(r.rule.match, req)) continue
      const n = ++r.matched
      let due = scheduled(r, n)
      if (due && r.rule.probability !== undefined) due = r.draw() < r.rule.probability
      if (due && winner === undefined) {
        r.fired++
        winner = { id: r.id, rule: r.rule }
      }
    }
    return winner && { id: winner.id, answer: answerOf(winner.rule) }
  }
}

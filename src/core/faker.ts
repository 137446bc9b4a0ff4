/**
 * The mock's own Faker instances. Built from one of faker's per-locale entry points
 * (`@faker-js/faker/locale/en`, `/locale/base`) rather than the package root, which loads every
 * locale and made up most of the start-up time; an instance of its own, so seeding it never touches
 * the shared one that a user's test may also use.
 */
import type { Faker, Randomizer } from '@faker-js/faker'

/**
 * A new instance with the locale data of `shared` (the `faker` export of a locale entry point), on
 * faker's own randomizer unless another is given.
 */
export function ownFaker(shared: Faker, randomizer?: Randomizer): Faker {
  return new (shared.constructor as typeof Faker)({ locale: shared.rawDefinitions, ...(randomizer ? { randomizer } : {}) })
}

/**
 * A randomizer for faker that can be reseeded millions of times: sfc32 (Chris Doty-Humphrey's small
 * fast counter generator, public domain), whose seeding is a few mixing rounds. Faker's default
 * Mersenne Twister costs tens of µs per reseed, which rules out one seed per generated session.
 * A seed is one number or a list of them (integers up to 2^53 count whole).
 */
export class Sfc32Randomizer implements Randomizer {
  #a = 0
  #b = 0
  #c = 0
  #d = 1

  // Arrow properties: faker calls these detached from the object.
  seed = (seed: number | number[]): void => {
    let a = 0x9e3779b9
    let b = 0x243f6a88
    let c = 0xb7e15162
    for (const v of typeof seed === 'number' ? [seed] : seed) {
      // The low and the high 32 bits of an integer seed both count; each word stirs all three lanes.
      a = Math.imul(a ^ (v >>> 0), 0x85ebca6b) ^ (Math.floor(v / 4294967296) >>> 0)
      a ^= a >>> 15
      b = Math.imul(b ^ a, 0xc2b2ae35)
      b ^= b >>> 13
      c = Math.imul(c ^ b, 0x27d4eb2f)
      c ^= c >>> 16
    }
    this.#a = a
    this.#b = b
    this.#c = c
    this.#d = 1
    // Warm-up rounds, so that nearby seeds give unrelated sequences.
    for (let i = 0; i < 15; i++) this.#next32()
  }

  #next32(): number {
    const a = this.#a
    const b = this.#b
    const c = this.#c
    const t = (((a + b) | 0) + this.#d) | 0
    this.#d = (this.#d + 1) | 0
    this.#a = b ^ (b >>> 9)
    this.#b = (c + (c << 3)) | 0
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1) with 53 random bits. */
  next = (): number => {
    const hi = this.#next32() >>> 5
    const lo = this.#next32() >>> 6
    return (hi * 67108864 + lo) / 9007199254740992
  }
}

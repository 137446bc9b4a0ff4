/**
 * The mock's own Faker instances. Built from one of faker's per-locale entry points
 * (`@faker-js/faker/locale/en`, `/locale/base`) rather than the package root, which loads every
 * locale and made up most of the start-up time; an instance of its own, so seeding it never touches
 * the shared one that a user's test may also use.
 */
import type { Faker } from '@faker-js/faker'

/** A new instance with the locale data of `shared` (the `faker` export of a locale entry point). */
export function ownFaker(shared: Faker): Faker {
  return new (shared.constructor as typeof Faker)({ locale: shared.rawDefinitions })
}

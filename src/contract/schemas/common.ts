import { Type, type TLiteral, type TUnion, type SchemaOptions } from '@sinclair/typebox'

/**
 * A closed set of strings as a union of literals (TypeBox's idiom). The validator reports a value
 * outside the set as `invalid_enum_value` with the set as `allowed_values`.
 */
export function StringEnum<const T extends readonly [string, ...string[]]>(values: T, options: SchemaOptions = {}) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>
}

/** Marks a union as discriminated: the validator picks the branch by this property (`missing` when absent). */
export interface Discriminator {
  property: string
  missing?: string
}
export const DISCRIMINATOR = 'x-discriminator'

export const DevicePlatform = StringEnum(['android', 'ios', 'web'], { description: 'The device platform.' })
export const SessionType = StringEnum(['mobile', 'web'])
export const ListMode = StringEnum(['after', 'before'], {
  description: 'The iteration mode: `after` (default) or `before` the cursor.',
})

export const VersionKey = Type.String({ minLength: 1, description: 'The unique app ID to which the session belongs.' })
export const DateTime = Type.String({ format: 'date-time' })
export const StringList = Type.Array(Type.String())

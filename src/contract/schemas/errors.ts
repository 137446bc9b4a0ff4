import { Type, type TSchema } from '@sinclair/typebox'
import { ERROR_CATALOGUE, type ErrorFieldValue, type ErrorType } from '../catalogue.ts'

/**
 * The schema of an error's own field, from the JSON type of its default value. `strict` is for what a
 * fault rule may set: counts are non-negative and a list of strings holds strings; an answer's body
 * is described as loosely as DevRev documents it.
 */
export function fieldSchema(value: ErrorFieldValue, strict = false): TSchema {
  if (Array.isArray(value)) {
    const strings = strict && value.length > 0 && value.every((v) => typeof v === 'string')
    return Type.Array(strings ? Type.String() : Type.Unknown())
  }
  switch (typeof value) {
    case 'number':
      return strict ? Type.Integer({ minimum: 0 }) : Type.Integer()
    case 'boolean':
      return Type.Boolean()
    default:
      return Type.String()
  }
}

/** One schema per documented error type, derived from the catalogue (flat: `type`, `message`, `detail`, own fields). */
export const ErrorBodies = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).map(([type, e]) => {
    const own = Object.fromEntries(
      Object.entries(e.fields).map(([k, v]) => {
        const s = fieldSchema(v)
        return [k, (e.required as readonly string[]).includes(k) ? s : Type.Optional(s)]
      }),
    )
    return [
      type,
      Type.Object(
        { type: Type.Literal(type), message: Type.Optional(Type.String()), detail: Type.Optional(Type.String()), ...own },
        { title: `error-${type}` },
      ),
    ]
  }),
) as unknown as Record<ErrorType, TSchema>

/** Any DevRev error body of a given status. */
export function errorBodyForStatus(status: number): TSchema {
  const members = Object.entries(ERROR_CATALOGUE)
    .filter(([, e]) => e.status === status)
    .map(([t]) => ErrorBodies[t as ErrorType])
  return members.length === 1 ? members[0]! : Type.Union(members)
}

/** DevRev's answer for an unknown route: `{"message":"route not found"}`, no `type`. */
export const RouteNotFound = Type.Object({ message: Type.Literal('route not found') }, { title: 'route-not-found' })

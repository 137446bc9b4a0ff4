import { Type, type TSchema } from '@sinclair/typebox'
import { ERROR_CATALOGUE, type ErrorFieldValue, type ErrorType } from '../catalogue.js'

/** The JSON type of a catalogue default value, to derive each error body's schema from the data. */
function fieldSchema(value: ErrorFieldValue): TSchema {
  if (Array.isArray(value)) return Type.Array(Type.Unknown())
  switch (typeof value) {
    case 'number':
      return Type.Integer()
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

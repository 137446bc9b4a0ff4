/**
 * Fastify's validator compiler, replaced by ours: route schemas stay plain TypeBox (and feed the
 * OpenAPI document), while a failure becomes the DevRev error that names the field. Query strings are
 * first read the way DevRev's clients write them: surrounding double quotes stripped, arrays
 * comma-joined (`sort_by="created_at:desc","session_duration_ms:asc"`), integers as digits.
 */
import { Kind, type TSchema } from '@sinclair/typebox'
import type { FastifySchemaCompiler } from 'fastify'
import { compileValidator } from '../core/validate.ts'

const unquote = (v: string) => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v)

/** Reads query values by the schema: arrays split on commas, integers from digits, quotes stripped. */
export function readQuery(schema: TSchema, query: Record<string, unknown>): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, TSchema>
  // No prototype: a `__proto__` parameter is a key like any other (an unknown one), not a setter.
  const out: Record<string, unknown> = Object.create(null)
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String)
    const kind = props[key]?.[Kind]
    if (kind === 'Array') out[key] = values.flatMap((v) => v.split(',')).map(unquote)
    else {
      const v = unquote(values[values.length - 1]!)
      out[key] = kind === 'Integer' && /^-?\d+$/.test(v) ? Number(v) : v
    }
  }
  return out
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validate = compileValidator(schema)
  const fromQuery = httpPart === 'querystring'
  return (data: unknown) => {
    try {
      return { value: validate(fromQuery ? readQuery(schema, (data ?? {}) as Record<string, unknown>) : data) }
    } catch (error) {
      return { error: error as Error }
    }
  }
}

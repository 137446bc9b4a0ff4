import { Type } from '@sinclair/typebox'

export const Health = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    seed: Type.Integer(),
    sessions: Type.Integer(),
    version_keys: Type.Array(Type.String()),
  },
  { title: 'admin-health' },
)

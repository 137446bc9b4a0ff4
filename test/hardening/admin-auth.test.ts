/**
 * The forms of `Authorization` the admin guard takes: the Bearer scheme in any case, then spaces or
 * tabs, then exactly the token. The raw token (the SDK's form for the emulated endpoints) is refused.
 */
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { adminTokenFromHeader } from '../../src/http/token.ts'

const ACCEPTED = ['Bearer sesame', 'bearer sesame', 'BEARER sesame', 'Bearer  sesame', 'Bearer\tsesame', 'Bearer sesame ']
const REFUSED = ['sesame', 'Bearersesame', 'Bearer', 'Bearer ', 'Bearer sesame extra', 'Basic sesame', ' Bearer sesame', 'Bearer sesam', 'Bearer sesame2']

t.test('adminTokenFromHeader', async (t) => {
  t.equal(adminTokenFromHeader(undefined), '')
  for (const h of ACCEPTED) t.equal(adminTokenFromHeader(h), 'sesame', JSON.stringify(h))
  t.equal(adminTokenFromHeader('sesame'), '', 'no raw form')
})

t.test('each form against a guarded admin route', async (t) => {
  const app = await buildTestApp({ sessions: 5, adminToken: 'sesame' })
  t.teardown(() => app.close())
  for (const authorization of ACCEPTED) {
    const res = await app.inject({ method: 'GET', url: '/__admin/health', headers: { authorization } })
    t.equal(res.statusCode, 200, `accepted: ${JSON.stringify(authorization)}`)
  }
  for (const authorization of REFUSED) {
    const res = await app.inject({ method: 'GET', url: '/__admin/health', headers: { authorization } })
    t.equal(res.statusCode, 401, `refused: ${JSON.stringify(authorization)}`)
    t.equal(res.json().type, 'unauthenticated')
  }
})

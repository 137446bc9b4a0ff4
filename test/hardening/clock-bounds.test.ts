/**
 * The virtual clock stays within the dates JavaScript can represent: a move past them is refused
 * (400, nothing moved) instead of leaving a clock that every later read fails on; an impossible
 * calendar date is refused rather than rolled over into the next month.
 */
import t from 'tap'
import { buildTestApp, NOW } from '../helpers/app.ts'
import { isDateTime } from '../../src/core/validate.ts'

t.test('advance_ms past the last representable date: 400, and the clock has not moved', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const advance_ms of [9007199254740991, 1e21, 8.64e15]) {
    const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advance_ms } })
    t.equal(res.statusCode, 400, String(advance_ms))
    t.match(res.json(), { type: 'value_not_permitted', field_name: 'advance_ms' })
  }
  const clock = await app.inject({ method: 'GET', url: '/__admin/clock' })
  t.equal(clock.statusCode, 200)
  t.equal(clock.json().now_ms, NOW, 'nothing moved')
  t.equal((await app.inject({ method: 'GET', url: '/__admin/requests' })).statusCode, 200)
  // Up to the last representable instant is fine.
  const last = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advance_ms: 8.64e15 - NOW } })
  t.equal(last.statusCode, 200)
  t.equal(last.json().now, '+275760-09-13T00:00:00.000Z')
})

t.test('the in-process advanceClock refuses the same way', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  t.throws(() => app.mock.clock.advance(Number.MAX_SAFE_INTEGER), { name: 'DevRevError', type: 'value_not_permitted' })
  t.equal(app.mock.clock.now(), NOW)
})

t.test('impossible calendar dates are refused, wherever a date-time is read', async (t) => {
  for (const bad of ['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2024-04-31T10:00:00Z', '2024-01-01T24:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T00:60:00Z']) {
    t.equal(isDateTime(bad), false, bad)
  }
  for (const good of ['2024-02-29T00:00:00Z', '2024-12-31T23:59:59.999Z', '2024-06-01T12:00:00+02:00', '2024-06-01t12:00:00z', '2000-02-29T00:00:00Z', '1900-03-01T00:00:00Z']) {
    t.equal(isDateTime(good), true, good)
  }
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2024-02-30T00:00:00Z' } })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { type: 'value_not_permitted', field_name: 'now' })
  t.equal(app.mock.clock.now(), NOW)
})

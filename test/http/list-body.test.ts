/**
 * A list page's bytes: copied from the sessions' memoized bytes in runs of sessions adjacent in the
 * arena. Whatever order the sessions were first serialized in, the page is the JSON of its result.
 */
import t from 'tap'
import fc from 'fast-check'
import { CorpusStore } from '../../src/core/corpus/store.ts'
import { sessionBytes } from '../../src/core/corpus/record.ts'
import { listBody } from '../../src/http/routes/sessions.ts'
import { BufferPool } from '../../src/http/buffer-pool.ts'
import type { ListResult } from '../../src/core/query/engine.ts'

const store = CorpusStore.generated({ seed: 7, sessions: 400, now: Date.parse('2026-01-15T12:00:00Z') })

t.test('a page is the JSON of its result, whatever order its sessions were serialized in', async (t) => {
  const pool = new BufferPool(64 * 1024, 2)
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.nat({ max: 399 }), { maxLength: 60 }),
      fc.uniqueArray(fc.nat({ max: 399 }), { maxLength: 60 }),
      fc.option(fc.constant('next.abc'), { nil: undefined }),
      fc.option(fc.constant('prev.def'), { nil: undefined }),
      fc.boolean(),
      (first, page, next, prev, pooling) => {
        // Some sessions serialized beforehand in another order, which splits the page into runs.
        for (const pos of first) sessionBytes(store.record(pos))
        const r: ListResult = { sessions: page.map((pos) => store.record(pos)) }
        if (next !== undefined) r.next_cursor = next
        if (prev !== undefined) r.prev_cursor = prev
        // Written into a pooled buffer (a page asked for once) or one of its own (a page kept).
        const { body, pooled } = listBody(r, pooling ? pool : undefined)
        if (!pooling) t.equal(pooled, undefined)
        const expected = { next_cursor: next, prev_cursor: prev, sessions: r.sessions.map((s) => s.session) }
        t.equal(body.toString(), JSON.stringify(expected))
        if (pooled) pool.give(pooled)
        return true
      },
    ),
    { seed: 20260115, numRuns: 200 },
  )
})

t.test('a page serializes its sessions one after another: asked for again, they are one run', async (t) => {
  // A store of its own: none of its sessions serialized yet.
  const fresh = CorpusStore.generated({ seed: 8, sessions: 20, now: Date.parse('2026-01-15T12:00:00Z') })
  const page = [5, 3, 9, 1].map((pos) => fresh.record(pos))
  const first = page.map((rec) => sessionBytes(rec))
  for (let i = 1; i < first.length; i++) {
    t.equal(first[i]!.buf, first[0]!.buf)
    t.equal(first[i]!.start, first[i - 1]!.end)
  }
})

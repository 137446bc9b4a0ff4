/** Every session of a store, whole, in stored order: what tests search for an example of a kind. */
import type { CorpusStore } from '../../src/core/corpus/store.ts'
import type { SessionRecord } from '../../src/core/corpus/record.ts'

export function allRecords(store: CorpusStore): SessionRecord[] {
  return Array.from({ length: store.size }, (_, i) => store.peek(i))
}

/**
 * Pages answered recently, by everything a page depends on: a page asked for again (a load test
 * repeating its request, a client retrying, a dashboard refreshing) comes back without the partition
 * being filtered again or its cursors encoded again. Bounded in entries; the oldest goes first.
 *
 * A corpus is never changed in place, only replaced, so a page is good for as long as its corpus
 * serves: asked of another corpus, the cache empties itself.
 */
export class PageCache<V extends object> {
  readonly #max: number
  readonly #pages = new Map<string, V>()
  #corpus: object | undefined

  /** `max`: how many pages it keeps; 0 keeps none. */
  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError('pageCache must be a whole number of pages, 0 or more')
    this.#max = max
  }

  get size(): number {
    return this.#pages.size
  }

  /** The page kept under `key` for this corpus, if any. */
  get(corpus: object, key: string): V | undefined {
    if (corpus !== this.#corpus) {
      this.#pages.clear()
      this.#corpus = corpus
      return undefined
    }
    return this.#pages.get(key)
  }

  /** Keeps a page of the corpus last asked about (`get` comes first); frozen, since every later asker shares it. */
  set(key: string, page: V): void {
    if (this.#max === 0) return
    if (this.#pages.size >= this.#max) this.#pages.delete(this.#pages.keys().next().value!)
    this.#pages.set(key, Object.freeze(page))
  }
}

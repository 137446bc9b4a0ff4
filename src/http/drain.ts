/**
 * Reading and discarding what is left of a refused request body before answering. A server that
 * closes a connection with unread bytes in it makes the kernel reset it, and a client that sends its
 * whole body before reading (most blocking HTTP clients) then loses the answer. Bounded in bytes and
 * time, so a client that never stops cannot hold the connection: past either bound the answer goes
 * out anyway.
 */
import type { IncomingMessage } from 'node:http'

/** The most bytes read and discarded after a refusal. */
export const DRAIN_MAX_BYTES = 256 * 1024 * 1024
/** The longest wait for the rest of a refused body. */
export const DRAIN_MAX_MS = 10_000

/** Calls `then` once `raw` has been read to its end, or a bound is reached, or the client went away. */
export function drainThen(raw: IncomingMessage, then: () => void, bounds = { bytes: DRAIN_MAX_BYTES, ms: DRAIN_MAX_MS }): void {
  if (raw.complete) return then()
  let left = bounds.bytes
  const finish = (): void => {
    clearTimeout(timer)
    raw.off('data', onData)
    raw.off('end', finish)
    raw.off('close', finish)
    then()
  }
  const onData = (chunk: Buffer): void => {
    left -= chunk.length
    if (left < 0) finish()
  }
  const timer = setTimeout(finish, bounds.ms)
  raw.on('data', onData)
  raw.once('end', finish)
  raw.once('close', finish)
  raw.resume()
}

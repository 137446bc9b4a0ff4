/**
 * A Server-Sent Events stream on a raw response: the headers, one frame per event, a comment line
 * now and then so proxies and clients see the connection alive, and one way to end it (by the
 * server or by the client going away) that stops the heartbeat and tells the owner.
 */
import type { ServerResponse } from 'node:http'

export interface EventStream {
  /** Writes one event: `data` is one line (JSON); `id` lets a reconnecting client say where it was. */
  send(data: string, opts?: { id?: number; event?: string }): void
  /** Ends the response (idempotent). */
  close(): void
}

export function openEventStream(raw: ServerResponse, opts: { heartbeatMs: number; onClose: () => void }): EventStream {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // A buffering reverse proxy would hold events back until its buffer fills.
    'x-accel-buffering': 'no',
  })
  // A first line at once: the client knows it is subscribed before any event comes.
  raw.write(': connected\n\n')
  const beat = setInterval(() => raw.write(': heartbeat\n\n'), opts.heartbeatMs)
  let open = true
  const finish = () => {
    if (!open) return
    open = false
    clearInterval(beat)
    opts.onClose()
  }
  raw.on('close', finish)
  return {
    send(data, { id, event } = {}) {
      if (!open) return
      raw.write(`${event === undefined ? '' : `event: ${event}\n`}${id === undefined ? '' : `id: ${id}\n`}data: ${data}\n\n`)
    },
    close() {
      finish()
      raw.end()
    },
  }
}

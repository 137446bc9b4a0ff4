/**
 * Reads a Server-Sent Events stream over a real socket, as a client would: frames split on blank
 * lines, comment lines kept apart, and a way to wait for the n-th event with a bound on time.
 */
import { request, type IncomingMessage } from 'node:http'

export interface SseFrame {
  event: string
  id?: string
  data: string
}

export interface SseClient {
  res: IncomingMessage
  frames: SseFrame[]
  comments: string[]
  /** Resolves once `n` events have come (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<SseFrame[]>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const frames: SseFrame[] = []
      const comments: string[] = []
      const waiters: (() => void)[] = []
      let buf = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buf += chunk
        let at: number
        while ((at = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, at)
          buf = buf.slice(at + 2)
          const frame: SseFrame = { event: 'message', data: '' }
          let isEvent = false
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else {
              isEvent = true
              const [k, ...rest] = line.split(': ')
              const v = rest.join(': ')
              if (k === 'event') frame.event = v
              else if (k === 'id') frame.id = v
              else if (k === 'data') frame.data = v
            }
          }
          if (isEvent) frames.push(frame)
          for (const w of waiters.splice(0)) w()
        }
      })
      const ended = new Promise<void>((r) => res.on('close', () => r()))
      resolve({
        res,
        frames,
        comments,
        ended,
        close: () => req.destroy(),
        waitFor(n, ms = 2000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`only ${frames.length} of ${n} events within ${ms} ms`)), ms)
            const check = () => {
              if (frames.length >= n) {
                clearTimeout(timer)
                ok(frames.slice(0, n))
              } else waiters.push(check)
            }
            check()
          })
        },
      })
    })
    req.on('error', reject)
    req.end()
  })
}

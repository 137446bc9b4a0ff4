// The journal drawn over the virtual clock, as an SVG string: one lane per token, a dot per request
// coloured by status, each 429's Retry-After window as a shaded band, early retries ringed.
// Plain SVG: a handful of shapes per request needs no charting library.

const W = 1000
const LEFT = 120
const RIGHT = 16
const LANE = 30
const TOP = 8
const AXIS = 26

export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function statusClass(status) {
  if (status === null) return 'snone'
  if (status === 429) return 's429'
  if (status >= 500) return 's5xx'
  if (status >= 400) return 's4xx'
  return 's2xx'
}

const COLOURS = { s2xx: 'var(--ok)', s4xx: 'var(--client)', s429: 'var(--limited)', s5xx: 'var(--server)', snone: 'var(--none)' }

export function timeLabel(ms, withDate) {
  const iso = new Date(ms).toISOString()
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19)
}

/** `entries`: journal entries with `at` (epoch ms) added; `nowMs`: the virtual clock. */
export function renderTimeline(entries, nowMs) {
  if (entries.length === 0) return '<p>No requests yet: they appear here as your client makes them.</p>'
  let t0 = Infinity
  let t1 = -Infinity
  for (const e of entries) {
    t0 = Math.min(t0, e.at)
    t1 = Math.max(t1, e.at + (e.retry_after ?? 0) * 1000)
  }
  if (nowMs >= t0 && nowMs - t1 < (t1 - t0 + 60_000)) t1 = Math.max(t1, nowMs)
  const span = Math.max(t1 - t0, 10_000)
  t0 -= span * 0.03
  t1 = t0 + span * 1.06
  const x = (t) => LEFT + ((t - t0) / (t1 - t0)) * (W - LEFT - RIGHT)
  const lanes = [...new Set(entries.map((e) => e.token_hash ?? 'no token'))]
  const H = TOP + lanes.length * LANE + AXIS
  const out = [`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="requests over the virtual clock">`]
  lanes.forEach((lane, i) => {
    const y = TOP + i * LANE
    out.push(`<text x="4" y="${y + LANE / 2 + 4}">${esc(lane === 'no token' ? lane : `token ${lane.slice(0, 8)}`)}</text>`)
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y + LANE / 2}" y2="${y + LANE / 2}" stroke="var(--line)"/>`)
  })
  const withDate = t1 - t0 > 86_400_000
  for (let k = 0; k <= 5; k++) {
    const t = t0 + ((t1 - t0) * k) / 5
    out.push(`<text x="${x(t)}" y="${H - 8}" text-anchor="middle">${timeLabel(t, withDate)}</text>`)
  }
  if (nowMs >= t0 && nowMs <= t1) {
    out.push(`<line class="tl-now" x1="${x(nowMs)}" x2="${x(nowMs)}" y1="${TOP}" y2="${H - AXIS}"><title>now ${new Date(nowMs).toISOString()}</title></line>`)
  }
  const labelEnd = new Map()
  for (const e of entries) {
    const lane = lanes.indexOf(e.token_hash ?? 'no token')
    const y = TOP + lane * LANE + LANE / 2
    if (e.status === 429 && e.retry_after !== null) {
      const x1 = x(e.at)
      const x2 = x(e.at + e.retry_after * 1000)
      out.push(
        `<rect class="tl-window" data-seq="${e.seq}" x="${x1}" y="${y - 9}" width="${Math.max(1, x2 - x1)}" height="18">` +
          `<title>Retry-After ${e.retry_after} s: until ${new Date(e.at + e.retry_after * 1000).toISOString()}</title></rect>`,
      )
      // One label where windows overlap (a client retrying early gets a new window each time).
      if (x1 + 10 >= (labelEnd.get(lane) ?? -Infinity)) {
        out.push(`<text x="${x1 + 10}" y="${y - 11}">Retry-After ${e.retry_after} s</text>`)
        labelEnd.set(lane, x1 + 110)
      }
    }
  }
  for (const e of entries) {
    const y = TOP + lanes.indexOf(e.token_hash ?? 'no token') * LANE + LANE / 2
    const cls = statusClass(e.status)
    const tip = `#${e.seq} ${e.method} ${e.path} → ${e.status ?? 'no answer'}${e.rule_id ? ` (rule ${e.rule_id})` : ''} at ${e.received_at}`
    out.push(`<circle class="tl-req ${cls}" data-seq="${e.seq}" cx="${x(e.at)}" cy="${y}" r="5" fill="${COLOURS[cls]}"><title>${esc(tip)}</title></circle>`)
    if (e.early_retry) {
      out.push(`<circle class="tl-early" data-seq="${e.seq}" cx="${x(e.at)}" cy="${y}" r="9"><title>early retry: before its Retry-After had passed</title></circle>`)
      out.push(`<text x="${x(e.at) + 11}" y="${y + 14}" fill="var(--limited)">early</text>`)
    }
  }
  out.push('</svg>')
  return out.join('')
}

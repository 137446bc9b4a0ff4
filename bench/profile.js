/**
 * A plain-text summary of a .cpuprofile (V8's format): the functions with the most self time, and
 * the share of time spent in the product's own code (dist/) vs Fastify and Node.
 */
import { readFileSync } from 'node:fs'

export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  // A sample stands for the time until the next one (as in Chrome's DevTools); the last one, the
  // profiler being stopped, is left out.
  const dts = profile.timeDeltas
  let total = 0
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const n = byId.get(profile.samples[i])
    const dt = dts[i + 1]
    total += dt
    const f = n.callFrame
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}` : ''
    const key = `${f.functionName || '(anonymous)'} ${where}`
    self.set(key, (self.get(key) ?? 0) + dt)
  }
  const group = (re) => [...self].filter(([k]) => re.test(k)).reduce((s, [, v]) => s + v, 0)
  const pct = (v) => `${((100 * v) / total).toFixed(1).padStart(5)}%`
  const lines = [
    `  self time by area: product (dist/) ${pct(group(/ dist\//))}, fastify & deps (node_modules/) ${pct(group(/ node_modules\//))}, ` +
      `idle ${pct(group(/^\(idle\)/))}, gc ${pct(group(/^\(garbage collector\)/))}`,
    '  top functions by self time:',
  ]
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(v)}  ${k}`)
  return lines.join('\n')
}

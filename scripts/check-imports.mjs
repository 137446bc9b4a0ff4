#!/usr/bin/env node
/**
 * The import graph of src/ (or of the directory given): fails on an import cycle, on an import from
 * a lower layer to a higher one, and on a side-effect import (`import './x.ts'`), so the layering of
 * docs/architecture.md holds by construction. Run by `npm test`.
 *
 * Layers, bottom up: contract (src/contract) → core (src/core) → http (src/http) → app (src/*.ts,
 * src/config, src/record and the other folders) → cli (src/bin). A module may import its own layer and
 * the layers below it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const LAYERS = ['contract', 'core', 'http', 'app', 'cli']

/** The layer of a file, from its path relative to the source root. */
function layerOf(file) {
  const top = file.split(sep)[0]
  if (top === 'contract' || top === 'core' || top === 'http') return top
  if (top === 'bin') return 'cli'
  return 'app'
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.[cm]?ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const FROM = /^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm
const BARE = /^\s*import\s*['"]([^'"]+)['"]/gm

/** Every problem of the tree under `root`, one line each; empty when the graph is sound. */
function check(root) {
  const files = sourceFiles(root)
  const graph = new Map()
  const problems = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const name = relative(root, file)
    const edges = []
    for (const [, spec] of text.matchAll(BARE)) problems.push(`${name}: side-effect import of ${spec}`)
    for (const [, spec] of text.matchAll(FROM)) {
      if (!spec.startsWith('.')) continue
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
      if (!existsSync(target)) {
        problems.push(`${name}: cannot resolve ${spec}`)
        continue
      }
      const to = relative(root, target)
      edges.push(to)
      if (LAYERS.indexOf(layerOf(to)) > LAYERS.indexOf(layerOf(name))) {
        problems.push(`${name} (${layerOf(name)}) imports ${to} (${layerOf(to)}): a lower layer must not import a higher one`)
      }
    }
    graph.set(name, edges)
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(' → ')}`)
  return problems
}

/** The strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(graph) {
  let next = 0
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const out = []
  const visit = (v) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v)) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) !== index.get(v)) return
    const scc = []
    let w
    do {
      w = stack.pop()
      onStack.delete(w)
      scc.push(w)
    } while (w !== v)
    if (scc.length > 1 || graph.get(v).includes(v)) out.push([...scc.reverse(), scc[0]])
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return out
}

const root = resolve(process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), '..', 'src'))
const problems = check(root)
for (const p of problems) process.stderr.write(`check-imports: ${p}\n`)
if (problems.length > 0) process.exitCode = 1
else process.stdout.write('check-imports: no cycles, no upward imports\n')

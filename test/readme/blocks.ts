/**
 * The code blocks of a Markdown file, and what the README test does with each. The rules are by kind,
 * so a new block of a known kind is checked without touching the test:
 * - `js`/`ts` blocks are complete programs (node:test files): written to a scratch project whose
 *   `devrev-observability-mock` is this repository, and run with `node --test`;
 * - `sh` blocks run with bash against a mock the test started;
 * - `json` blocks are parsed, and fault rules or fixtures are loaded into a mock;
 * - `yaml` blocks are parsed only (compose files and CI workflows need Docker or a CI runner).
 * What cannot run here is skipped with a reason the test prints: Docker commands, package-manager
 * commands on a repository or an app, and Testcontainers programs.
 */

export interface Block {
  /** The info string's first word, lower case ('' when absent). */
  lang: string
  /** 1-based line of the opening fence. */
  line: number
  /** The block's text, without the fence's indentation. */
  code: string
}

export type Plan =
  | { kind: 'program'; typescript: boolean }
  | { kind: 'shell'; startsMock: boolean }
  | { kind: 'json' }
  | { kind: 'yaml'; skip: string }
  | { kind: 'skip'; skip: string }

/** Fenced blocks (``` or ~~~, possibly indented in a list item), in order. */
export function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!)
    if (!open) continue
    const [, indent, fence, info] = open
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const l = lines[j]!
      if (l.trimStart().startsWith(fence!) && l.trim().replace(/[`~]/g, '') === '') break
      body.push(l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart())
    }
    blocks.push({ lang: info!.toLowerCase(), line: i + 1, code: body.join('\n') + '\n' })
    i = j
  }
  return blocks
}

/** The first line of a shell block that is a command (not blank, not a comment). */
function firstCommand(code: string): string {
  return code.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? ''
}

/** A line that runs the mock's command itself (npx, the bin, or node on the bin). */
const STARTS_MOCK = /^(?!\s*#)(?:.*\s)?(?:npx\s+|node\s+\S*node_modules\/\.bin\/)?devrev-observability-mock\s+--/m

export function plan(block: Block): Plan {
  switch (block.lang) {
    case 'js':
    case 'mjs':
    case 'javascript':
    case 'ts':
    case 'typescript':
      if (/from\s+['"]testcontainers['"]/.test(block.code)) {
        return { kind: 'skip', skip: 'needs a Docker engine and the testcontainers package' }
      }
      return { kind: 'program', typescript: block.lang.startsWith('t') }
    case 'sh':
    case 'bash':
    case 'shell': {
      const first = firstCommand(block.code)
      if (/^docker\b/.test(first)) return { kind: 'skip', skip: 'needs a Docker engine' }
      if (/^(npm|git)\b/.test(first)) {
        return { kind: 'skip', skip: 'npm/git commands on a clone or an app; CI runs them on a fresh clone and in its package install test' }
      }
      return { kind: 'shell', startsMock: STARTS_MOCK.test(block.code) }
    }
    case 'json':
      return { kind: 'json' }
    case 'yaml':
    case 'yml':
      return { kind: 'yaml', skip: 'parsed only: compose files and CI workflows need Docker or a CI runner' }
    default:
      return { kind: 'skip', skip: `no rule for blocks of language "${block.lang}"` }
  }
}

/** Blocks address the mock as port 8080, as a user's would; the test points them at its own mock. */
export function onPort(code: string, port: number): string {
  return code.replace(/\b8080\b/g, String(port))
}

/** What a JSON block holds: fault rules (one or an array), a fixtures corpus, or anything else. */
export function jsonKind(value: unknown): 'faults' | 'corpus' | 'other' {
  const isRule = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && ['error', 'status', 'fault', 'delay_ms'].some((k) => k in v)
  if (Array.isArray(value) ? value.length > 0 && value.every(isRule) : isRule(value)) return 'faults'
  if (typeof value === 'object' && value !== null && Array.isArray((value as { sessions?: unknown }).sessions)) return 'corpus'
  return 'other'
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function anchors(markdown: string): Set<string> {
  const out = new Set<string>()
  let inFence = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence
    if (inFence) continue
    const h = /^#{1,6}\s+(.*)$/.exec(line)
    if (h) out.add(h[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'))
    for (const m of line.matchAll(/<a id="([^"]+)"/g)) out.add(m[1]!)
  }
  return out
}

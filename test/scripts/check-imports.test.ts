/**
 * The import-graph check that `npm test` runs first: the real tree passes, and each kind of fault it
 * exists to catch (an upward import, a cycle, a side-effect import, a dangling path) fails it.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const script = join(import.meta.dirname, '..', '..', 'scripts', 'check-imports.mjs')

async function checkTree(files: Record<string, string> | null): Promise<{ code: number; out: string }> {
  const args = [script]
  if (files !== null) {
    const root = t.testdir()
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true })
      writeFileSync(join(root, name), text)
    }
    args.push(root)
  }
  try {
    const { stdout, stderr } = await run(process.execPath, args)
    return { code: 0, out: stdout + stderr }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, out: err.stdout + err.stderr }
  }
}

t.test('the source tree has no cycle and no upward import', async (t) => {
  const r = await checkTree(null)
  t.equal(r.code, 0, r.out)
  t.match(r.out, /no cycles, no upward imports/)
})

t.test('a sound tree across every layer passes', async (t) => {
  const r = await checkTree({
    'contract/a.ts': "import { Type } from '@sinclair/typebox'\nexport const A = Type.String()\n",
    'core/b.ts': "import { A } from '../contract/a.js'\nexport const B = A\n",
    'http/c.ts': "import type { B } from '../core/b.js'\nexport type C = typeof B\n",
    'app.ts': "export { B } from './core/b.js'\n",
    'bin/cli.ts': "import { B } from '../app.js'\nconsole.log(B)\n",
    'types.d.ts': "import './nothing.js'\n",
  })
  t.equal(r.code, 0, r.out)
})

t.test('an import from a lower layer to a higher one fails', async (t) => {
  const r = await checkTree({
    'contract/a.ts': "import { B } from '../core/b.js'\nexport const A = B\n",
    'core/b.ts': 'export const B = 1\n',
  })
  t.equal(r.code, 1)
  t.match(r.out, 'contract/a.ts (contract) imports core/b.ts (core)')
})

t.test('a cycle fails, however long, and so does a module importing itself', async (t) => {
  const r = await checkTree({
    'core/a.ts': "import { B } from './b.js'\nexport const A = B\n",
    'core/b.ts': "import { C } from './c.js'\nexport const B = C\n",
    'core/c.ts': "import { A } from './a.js'\nexport const C = A\n",
    'core/d.ts': "import { D as E } from './d.js'\nexport const D = E\n",
  })
  t.equal(r.code, 1)
  t.match(r.out, 'import cycle: core/a.ts → core/b.ts → core/c.ts → core/a.ts')
  t.match(r.out, 'import cycle: core/d.ts → core/d.ts')
})

t.test('a side-effect import and an import of a missing file fail', async (t) => {
  const r = await checkTree({
    'core/a.ts': "import './b.js'\nimport { X } from './missing.js'\nexport const A = X\n",
    'core/b.ts': 'export {}\n',
  })
  t.equal(r.code, 1)
  t.match(r.out, 'core/a.ts: side-effect import of ./b.js')
  t.match(r.out, 'core/a.ts: cannot resolve ./missing.js')
})

/**
 * A headless Chromium for the page tests, driven by playwright-core (no browser download): the one
 * CHROMIUM_PATH names, else the first of chromium, chromium-browser, google-chrome found on PATH.
 * Without one, a test file skips with a message saying what to install, unless REQUIRE_CHROMIUM=1,
 * which makes a missing browser a failure (CI sets it).
 */
import type { Test } from 'tap'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) if (dir && existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}

const HOW = 'install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary'

/** Launches the browser and closes it when `t` ends; without one, skips `t` (or fails it if required). */
export async function browserOrSkip(t: Test): Promise<Browser | undefined> {
  const path = findChromium()
  if (!path) {
    if (process.env.REQUIRE_CHROMIUM === '1') t.fail(`REQUIRE_CHROMIUM=1 but no Chromium was found: ${HOW}`)
    else t.plan(0, `skipped: needs Chromium; ${HOW}`)
    return undefined
  }
  const browser = await chromium.launch({
    executablePath: path,
    // Headless as root in a container, and no calls home: the machine may have no network at all.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    timeout: 30_000,
  })
  t.teardown(() => browser.close())
  return browser
}

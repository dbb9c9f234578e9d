/**
 * A real browser for the report tests: Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) driven by
 * playwright-core, which never downloads a browser of its own. Each launch gets a fresh user-data-dir.
 * When CI is set, a missing Chromium fails the run; elsewhere the suites skip and say how to install it.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type BrowserContext, chromium} from 'playwright-core'
import {describe, it} from 'vitest'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const INSTALL_HINT = 'apt-get install chromium'

/** The flags every launch uses: no sandbox (containers, root), no GPU, no network of Chromium's own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body)
    return
  }

  const reason = `no Chromium at ${CHROMIUM_PATH}`
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium (CI is set, so a missing browser is a failure)', () => {
        throw new Error(`${reason}. Install it with: ${INSTALL_HINT}`)
      })
    })
    return
  }

  process.stderr.write(`Skipping "${name}": ${reason}. Install it with: ${INSTALL_HINT}\n`)
  describe.skip(name, body)
}

export interface Browser {
  close(): Promise<void>
  context: BrowserContext
}

export async function launchBrowser(options: {javaScriptEnabled?: boolean} = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ssokit-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    args: CHROMIUM_FLAGS,
    executablePath: CHROMIUM_PATH,
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: {height: 900, width: 1400},
  })
  return {
    async close() {
      await context.close()
      rmSync(userDataDir, {force: true, recursive: true})
    },
    context,
  }
}

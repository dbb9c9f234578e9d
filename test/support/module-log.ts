/**
 * Which modules a CLI process loaded, through the resolve hook of test/support/log-modules.mjs: lets a test prove
 * that a command never loaded a package (the AWS SDK, oclif).
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ROOT} from './cli.js'

export interface ModuleLog {
  /** Environment variables that make a child process log its modules. */
  env: Record<string, string>
  /** The modules logged so far, as URLs. */
  modules(): string[]
}

export function moduleLog(): ModuleLog {
  const log = join(mkdtempSync(join(tmpdir(), 'ssokit-modules-')), 'modules.log')
  writeFileSync(log, '')
  return {
    env: {NODE_OPTIONS: `--import=${join(ROOT, 'test/support/log-modules.mjs')}`, SSOKIT_MODULE_LOG: log},
    modules: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  }
}

/** The packages among logged modules (`@aws-sdk/client-sso`, `@oclif/core`, …). */
export function packagesOf(modules: string[]): Set<string> {
  const packages = new Set<string>()
  for (const url of modules) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
    if (match) packages.add(match[1])
  }

  return packages
}

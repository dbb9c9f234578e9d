import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {CheckDefinition, CheckResult, DoctorOptions} from '../../src/doctor/checks/index.js'

import {runChecks} from '../../src/doctor/checks/index.js'

export interface DoctorHome {
  cacheDir: string
  configFile: string
  home: string
  options(overrides?: Partial<DoctorOptions>): DoctorOptions
  stateDir: string
  writeConfig(text: string): void
}

export function doctorHome(): DoctorHome {
  const home = mkdtempSync(join(tmpdir(), 'ssokit-doctor-'))
  mkdirSync(join(home, '.aws'), {mode: 0o700})
  const configFile = join(home, '.aws', 'config')
  const cacheDir = join(home, '.aws', 'sso', 'cache')
  const stateDir = join(home, '.aws', 'sso', 'ssokit')
  return {
    cacheDir,
    configFile,
    home,
    options: (overrides = {}) => ({
      cacheDir,
      env: {HOME: home, PATH: ''},
      now: new Date(),
      offline: false,
      paths: {configFile, credentialsFile: join(home, '.aws', 'credentials')},
      stateDir,
      timeoutMs: 2000,
      ...overrides,
    }),
    stateDir,
    writeConfig: (text) => writeFileSync(configFile, text, {mode: 0o600}),
  }
}

/** The results of one check definition. */
export async function run(check: CheckDefinition, options: DoctorOptions): Promise<CheckResult[]> {
  return (await runChecks([check], options)).checks
}

/** A fake `aws` on PATH that prints `versionLine` (on stderr, as CLI v1 did, when asked). */
export function fakeAws(versionLine: string, options: {sleepSeconds?: number; stderr?: boolean} = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-fake-aws-'))
  const path = join(dir, 'aws')
  const echo = `echo '${versionLine}'${options.stderr ? ' >&2' : ''}`
  writeFileSync(path, `#!/bin/sh\n${options.sleepSeconds ? `/bin/sleep ${options.sleepSeconds}\n` : ''}${echo}\n`)
  chmodSync(path, 0o755)
  return dir
}

import {spawnSync} from 'node:child_process'

/**
 * Whether python3 can import the given modules. Tests that need real botocore or moto call this: under CI a
 * missing module is a failure (the caller asserts), elsewhere the tests skip with a reason.
 */
export function pythonHas(...modules: string[]): {ok: boolean; reason?: string} {
  const probe = spawnSync('python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], {encoding: 'utf8'})
  if (probe.error) return {ok: false, reason: `python3 not found (${probe.error.message})`}
  if (probe.status !== 0)
    return {ok: false, reason: `python3 cannot import ${modules.join(', ')}: ${probe.stderr.trim().split('\n').at(-1)}`}
  return {ok: true}
}

/** Skip (with the reason) outside CI; under CI throw, so that a machine without the oracle fails the run. */
export function requirePython(...modules: string[]): boolean {
  const result = pythonHas(...modules)
  if (result.ok) return true
  if (process.env.CI)
    throw new Error(`CI is set but ${result.reason}. Install with: pip install botocore "moto[server]"`)
  console.warn(`skipping: ${result.reason}. Install with: pip install botocore "moto[server]"`)
  return false
}

/** Runs a Python script with JSON on stdin and parses its JSON stdout. */
export function runPythonJson<T>(script: string, input: unknown, env: NodeJS.ProcessEnv = process.env): T {
  const run = spawnSync('python3', [script], {
    encoding: 'utf8',
    env,
    input: JSON.stringify(input),
    maxBuffer: 256 * 1024 * 1024,
  })
  if (run.status !== 0) throw new Error(`python3 ${script} failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as T
}

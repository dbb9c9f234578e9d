/**
 * `ssokit exec` and `ssokit env` end to end: the child sees the profile's role credentials (and region) and no
 * AWS_PROFILE; botocore and the JS SDK accept them against moto's STS; exit codes, stdin and signals pass through;
 * a login that is needed stops everything before the command runs; `env` output is exact in /bin/sh.
 */
import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {type CachedToken, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {botocoreUnavailable, OutputLog, standardConfig, tempHome} from '../sso/helpers.js'
import {BIN, type CliResult, ROOT, runCli} from '../support/cli.js'
import {describeWithMoto, type MotoServer, startMoto} from '../support/moto.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

let emulator: SsoEmulator
const log = new OutputLog()

beforeAll(async () => {
  emulator = await startSsoEmulator()
})

afterAll(async () => {
  // exec's and env's outputs are checked for tokens here; env prints role credentials on purpose.
  const {tokens} = emulator.issuedSecrets()
  for (const secret of tokens) expect(JSON.stringify(log)).not.toContain(secret)
  await emulator.close()
})

afterEach(() => emulator.clearFaults())

/** Prints the AWS variables the child sees, as JSON. */
const SHOW_ENV = `process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_')))))`

async function loggedIn(change: Partial<CachedToken> = {}) {
  const home = tempHome()
  home.writeConfig(standardConfig())
  const token: CachedToken = {...emulator.issueToken(), ...change}
  await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), token)
  return {env: {...home.env, ...emulator.env(), AWS_PROFILE: 'dev', AWS_DEFAULT_PROFILE: 'dev'}, home, token}
}

function run(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return runCli(args, {env, input}).then((result) => {
    log.add(args, result)
    return result
  })
}

describe('ssokit exec', () => {
  it('runs the command with the credentials, the region and without AWS_PROFILE', async () => {
    const {env} = await loggedIn()
    const creds = JSON.parse((await run(['credential-process', '--profile', 'dev'], env)).stdout)
    const result = await run(['exec', '--profile', 'dev', '--', process.execPath, '-e', SHOW_ENV], env)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    const seen = JSON.parse(result.stdout)
    expect(seen).toMatchObject({
      AWS_ACCESS_KEY_ID: creds.AccessKeyId,
      AWS_CREDENTIAL_EXPIRATION: creds.Expiration,
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
      AWS_SESSION_TOKEN: creds.SessionToken,
    })
    expect(seen).not.toHaveProperty('AWS_PROFILE')
    expect(seen).not.toHaveProperty('AWS_DEFAULT_PROFILE')
    // Nothing ssokit set for itself leaks into the child.
    expect(seen).not.toHaveProperty('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
  })

  it('takes the profile from AWS_PROFILE, and keeps the arguments after -- as they are', async () => {
    const {env} = await loggedIn()
    const words = ['--profile', 'x', '--json', '--', "it's", 'two words', '']
    const result = await run(['exec', '--', 'sh', '-c', 'for a; do printf "[%s]" "$a"; done', 'sh', ...words], env)
    expect(result).toMatchObject({code: 0, stdout: words.map((w) => `[${w}]`).join('')})
  })

  it('passes the exit status and stdin through', async () => {
    const {env} = await loggedIn()
    expect((await run(['exec', '--', 'sh', '-c', 'exit 7'], env)).code).toBe(7)
    const cat = await run(['exec', '--', 'sh', '-c', 'cat; exit 0'], env, 'line one\nline two\n')
    expect(cat).toMatchObject({code: 0, stdout: 'line one\nline two\n'})
  })

  it('passes signals on, and ends by the signal that ended the command', async () => {
    const {env} = await loggedIn()
    // The command reports the signal it got, then exits 0: ssokit exits 0 too.
    const trap = spawnCli(
      ['exec', '--', 'sh', '-c', 'trap "echo got TERM; exit 0" TERM; echo ready; while :; do sleep 0.1; done'],
      env,
    )
    await trap.output('ready')
    trap.child.kill('SIGTERM')
    expect(await trap.exit).toEqual({code: 0, signal: null, stdout: 'ready\ngot TERM\n'})
    // A command the signal kills: ssokit ends by the same signal, as a shell's `$?` of 143 shows.
    const plain = spawnCli(
      ['exec', '--', process.execPath, '-e', 'console.log("ready"); setInterval(() => {}, 1000)'],
      env,
    )
    await plain.output('ready')
    plain.child.kill('SIGINT')
    expect(await plain.exit).toMatchObject({code: null, signal: 'SIGINT'})
    const shell = spawnSync(
      'sh',
      ['-c', `${process.execPath} ${BIN} exec -- sh -c 'kill -TERM $$'; echo "status $?"`],
      {
        encoding: 'utf8',
        env: {...process.env, ...env},
      },
    )
    expect(shell.stdout).toBe('status 143\n')
  })

  it('exits 4 with the login command and runs nothing when a login is needed', async () => {
    const {env, home} = await loggedIn({expiresAt: '2020-01-01T00:00:00Z', refreshToken: undefined})
    const marker = join(home.home, 'ran')
    const result = await run(['exec', '--', 'sh', '-c', `touch ${marker}`], env)
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^Error: The SSO token for sso-session corp expired .* Run: ssokit login --sso-session corp\n$/,
    )
    expect(existsSync(marker)).toBe(false)
    const json = await run(['exec', '--json', '--', 'sh', '-c', `touch ${marker}`], env)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {code: 'LOGIN_REQUIRED', exit: 4, reason: 'token-expired'}})
    expect(existsSync(marker)).toBe(false)
  })

  it('is a usage error without -- or a command, and 127 / 126 for a command that cannot run', async () => {
    const {env, home} = await loggedIn()
    for (const args of [
      ['exec', 'sh'],
      ['exec', '--'],
      ['exec', '--profile'],
    ])
      expect((await run(args, env)).code, args.join(' ')).toBe(2)
    expect((await run(['exec', '--profile', 'dev'], env)).stderr).toContain('Put -- before the command')
    const missing = await run(['exec', '--', 'no-such-command-ssokit'], env)
    expect(missing).toMatchObject({code: 127, stdout: ''})
    expect(missing.stderr).toContain('The command was not found: no-such-command-ssokit.')
    expect((await run(['exec', '--', home.home], env)).code).toBe(126)
  })
})

describe('exec and env share the role cache', () => {
  it('one GetRoleCredentials for credential-process, exec and env; --no-cache asks again and keeps nothing', async () => {
    const {env} = await loggedIn()
    const requests = () => emulator.requests.filter((r) => r.operation === 'GetRoleCredentials').length
    const before = requests()
    const key = (text: string) => JSON.parse(text).AWS_ACCESS_KEY_ID as string
    const first = key((await run(['env', '--profile', 'dev', '--format', 'json'], env)).stdout)
    const fromExec = key((await run(['exec', '--profile', 'dev', '--', process.execPath, '-e', SHOW_ENV], env)).stdout)
    const fromProcess = JSON.parse((await run(['credential-process', '--profile', 'dev'], env)).stdout).AccessKeyId
    expect([fromExec, fromProcess]).toEqual([first, first])
    expect(requests()).toBe(before + 1)

    for (const args of [
      ['env', '--profile', 'dev', '--format', 'json', '--no-cache'],
      ['exec', '--profile', 'dev', '--no-cache', '--', process.execPath, '-e', SHOW_ENV],
    ]) {
      const fresh = key((await run(args, env)).stdout)
      expect(fresh, args[0]).not.toBe(first)
    }

    expect(requests()).toBe(before + 3)
    expect(key((await run(['env', '--profile', 'dev', '--format', 'json'], env)).stdout)).toBe(first)
    expect(requests()).toBe(before + 3)
  })
})

describe('ssokit env', () => {
  it('prints exports that /bin/sh evaluates to exactly the credentials, unsetting AWS_PROFILE', async () => {
    const {env} = await loggedIn()
    const creds = JSON.parse((await run(['credential-process', '--profile', 'dev'], env)).stdout)
    const out = await run(['env', '--profile', 'dev'], env)
    expect(out.code).toBe(0)
    expect(out.stdout.split('\n')[0]).toBe('unset AWS_PROFILE AWS_DEFAULT_PROFILE')
    const shell = spawnSync(
      '/bin/sh',
      ['-c', `eval "$1" && ${process.execPath} -e "${SHOW_ENV.replaceAll('"', String.raw`\"`)}"`, 'sh', out.stdout],
      {
        encoding: 'utf8',
        env: {PATH: process.env.PATH, AWS_PROFILE: 'dev'},
      },
    )
    expect(shell.status).toBe(0)
    expect(JSON.parse(shell.stdout)).toEqual({
      AWS_ACCESS_KEY_ID: creds.AccessKeyId,
      AWS_CREDENTIAL_EXPIRATION: creds.Expiration,
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
      AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
      AWS_SESSION_TOKEN: creds.SessionToken,
    })
  })

  it('prints the same variables as JSON (null: remove), for --format json and --json alike', async () => {
    const {env} = await loggedIn()
    const json = await run(['env', '--profile', 'dev', '--format', 'json'], env)
    const flag = await run(['env', '--profile', 'dev', '--json'], env)
    expect(json.stdout).toBe(flag.stdout)
    const doc = JSON.parse(json.stdout)
    expect(Object.keys(doc)).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_PROFILE',
      'AWS_DEFAULT_PROFILE',
    ])
    expect(doc.AWS_PROFILE).toBeNull()
    const fish = await run(['env', '--profile', 'dev', '--format', 'fish'], env)
    expect(fish.stdout).toMatch(
      /^set -e AWS_PROFILE\nset -e AWS_DEFAULT_PROFILE\nset -gx AWS_ACCESS_KEY_ID 'ASIA[\dA-F]+'\n/,
    )
    const pwsh = await run(['env', '--profile', 'dev', '--format', 'powershell'], env)
    expect(pwsh.stdout).toContain(`$Env:AWS_SECRET_ACCESS_KEY = '${doc.AWS_SECRET_ACCESS_KEY}'\n`)
  })

  it('exits 4 with nothing on stdout when a login is needed, 2 without a profile', async () => {
    const home = tempHome()
    home.writeConfig(standardConfig())
    const env = {...home.env, ...emulator.env()}
    const result = await run(['env', '--profile', 'dev'], env)
    expect(result).toMatchObject({code: 4, stdout: ''})
    expect(result.stderr).toContain('Run: ssokit login --sso-session corp')
    expect((await run(['env'], env)).code).toBe(2)
  })
})

const skipBotocore = botocoreUnavailable()
describeWithMoto('exec and env with botocore and the JS SDK against moto STS', () => {
  let moto: MotoServer
  const role = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef'

  beforeAll(async () => {
    moto = await startMoto()
  })

  afterAll(async () => {
    await moto?.stop()
  })

  /** A login whose portal hands out keys moto issued for the Identity Center role (AssumeRole). */
  async function withMotoCredentials() {
    const {env} = await loggedIn()
    const sts = new STSClient({
      credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
      endpoint: moto.url,
      region: 'us-east-1',
    })
    const out = await sts.send(new AssumeRoleCommand({RoleArn: role, RoleSessionName: 'alice'}))
    sts.destroy()
    emulator.setRoleCredentials(() => ({
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    }))
    return {...env, AWS_ENDPOINT_URL_STS: moto.url}
  }

  afterEach(() => emulator.setRoleCredentials())

  const assumedArn = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice'

  it.skipIf(skipBotocore)('botocore signs with them (sts get-caller-identity names the role)', async () => {
    const env = await withMotoCredentials()
    const script = `import botocore.session, json
client = botocore.session.Session().create_client("sts")
print(json.dumps({"arn": client.get_caller_identity()["Arn"], "region": client.meta.region_name}))`
    const result = await run(['exec', '--', 'python3', '-c', script], env)
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({arn: assumedArn, region: 'eu-west-1'})
    // The same through `eval "$(ssokit env)"` in /bin/sh.
    const exports = (await run(['env'], env)).stdout
    const shell = spawnSync('/bin/sh', ['-c', 'eval "$1" && python3 -c "$2"', 'sh', exports, script], {
      encoding: 'utf8',
      env: {...process.env, ...env},
    })
    expect(JSON.parse(shell.stdout)).toEqual({arn: assumedArn, region: 'eu-west-1'})
  })

  it('the JS SDK signs with them, although AWS_PROFILE named an SSO profile in the caller', async () => {
    const env = await withMotoCredentials()
    const script = `import {STSClient, GetCallerIdentityCommand} from '@aws-sdk/client-sts'
const client = new STSClient({})
const out = await client.send(new GetCallerIdentityCommand({}))
console.log(JSON.stringify({arn: out.Arn, region: await client.config.region()}))`
    const result = await run(['exec', '--', process.execPath, '--input-type=module', '-e', script], {
      ...env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    })
    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({arn: assumedArn, region: 'eu-west-1'})
  })
})

/** Starts the CLI with pipes, for tests that signal it while it runs. */
function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {...process.env, NODE_NO_WARNINGS: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  const waiters: Array<() => void> = []
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    for (const w of waiters.splice(0)) w()
  })
  child.stderr.resume()
  return {
    child,
    exit: new Promise<{code: null | number; signal: NodeJS.Signals | null; stdout: string}>((resolve) => {
      child.on('close', (code, signal) => resolve({code, signal, stdout}))
    }),
    async output(text: string) {
      while (!stdout.includes(text))
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
        })
    },
  }
}

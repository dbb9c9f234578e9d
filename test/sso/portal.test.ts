import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createPortalApi, type PortalApi} from '../../src/sso/clients.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

const accounts = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'].map(
  (accountId, i) => ({
    accountId,
    accountName: `Account ${i + 1}`,
    emailAddress: `a${i + 1}@example.com`,
    roles: ['AdministratorAccess', 'ReadOnly', 'Billing'],
  }),
)

let emulator: SsoEmulator
let portal: PortalApi
const saved = {...process.env}

beforeAll(async () => {
  emulator = await startSsoEmulator({
    accounts,
    pageSize: 2,
    users: [
      {userName: 'admin'},
      {access: {'222222222222': ['ReadOnly'], '444444444444': ['ReadOnly', 'Billing']}, userName: 'bob'},
    ],
  })
  Object.assign(process.env, emulator.env())
  portal = await createPortalApi('us-east-1')
})

afterAll(async () => {
  portal.close()
  await emulator.close()
  process.env = saved
})

describe('portal API through the SDK against the emulator', () => {
  it('pages through ListAccounts and ListAccountRoles with next_token / max_result', async () => {
    const {accessToken} = emulator.issueToken({userName: 'admin'})
    const before = emulator.requests.length
    const listed = await portal.listAccounts({accessToken})
    expect(listed.map((a) => a.accountId)).toEqual(accounts.map((a) => a.accountId))
    expect(listed[0]).toEqual({accountId: '111111111111', accountName: 'Account 1', emailAddress: 'a1@example.com'})
    const calls = emulator.requests.slice(before)
    expect(calls.map((c) => c.operation)).toEqual(['ListAccounts', 'ListAccounts', 'ListAccounts'])
    expect(calls[0].query).toEqual({max_result: '100'})
    expect(calls[1].query.next_token).toBeTruthy()
    expect(calls[0].headers['x-amz-sso_bearer_token']).toBe(accessToken)
    expect(await portal.listAccountRoles({accessToken, accountId: '333333333333'})).toEqual([
      'AdministratorAccess',
      'ReadOnly',
      'Billing',
    ])
    expect(emulator.requests.at(-1)?.query).toMatchObject({account_id: '333333333333'})
  })

  it("shows each user only their own assignments, and refuses roles they don't have with 403 No access", async () => {
    const {accessToken} = emulator.issueToken({userName: 'bob'})
    expect((await portal.listAccounts({accessToken})).map((a) => a.accountId)).toEqual(['222222222222', '444444444444'])
    expect(await portal.listAccountRoles({accessToken, accountId: '444444444444'})).toEqual(['ReadOnly', 'Billing'])
    const creds = await portal.getRoleCredentials({accessToken, accountId: '222222222222', roleName: 'ReadOnly'})
    expect(creds.expiration.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000)
    await expect(
      portal.getRoleCredentials({accessToken, accountId: '222222222222', roleName: 'Billing'}),
    ).rejects.toMatchObject({
      $metadata: {httpStatusCode: 403},
      message: 'No access',
      name: 'ForbiddenException',
    })
  })

  it('answers 401 for unknown, expired and logged-out tokens, and injected 429s', async () => {
    await expect(portal.listAccounts({accessToken: 'not-a-token'})).rejects.toMatchObject({
      message: 'Session token not found or invalid',
      name: 'UnauthorizedException',
    })
    const expired = emulator.issueToken({expiresIn: -1})
    await expect(portal.listAccounts({accessToken: expired.accessToken})).rejects.toMatchObject({
      name: 'UnauthorizedException',
    })
    const {accessToken} = emulator.issueToken()
    await portal.logout({accessToken})
    await expect(portal.listAccounts({accessToken})).rejects.toMatchObject({name: 'UnauthorizedException'})
    const fresh = emulator.issueToken()
    emulator.setFault('ListAccounts', 429, {times: 1})
    expect((await portal.listAccounts({accessToken: fresh.accessToken})).length).toBe(5)
    emulator.setFault('ListAccounts', 429)
    await expect(portal.listAccounts({accessToken: fresh.accessToken})).rejects.toMatchObject({
      $metadata: {httpStatusCode: 429},
      name: 'TooManyRequestsException',
    })
    emulator.clearFaults()
  })
})

describe('wire format', () => {
  it('answers OIDC errors with x-amzn-ErrorType and error / error_description', async () => {
    const res = await fetch(`${emulator.url}/token`, {
      body: JSON.stringify({clientId: 'nope', clientSecret: 'nope', grantType: 'refresh_token', refreshToken: 'x'}),
      headers: {'content-type': 'application/json'},
      method: 'POST',
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidClientException')
    expect(await res.json()).toEqual({error: 'invalid_client', error_description: 'Invalid client'})
  })

  it('answers portal errors with x-amzn-ErrorType and message, and expiration in epoch milliseconds', async () => {
    const res = await fetch(`${emulator.url}/federation/credentials?role_name=ReadOnly&account_id=111111111111`)
    expect(res.status).toBe(401)
    expect(res.headers.get('x-amzn-errortype')).toBe('UnauthorizedException')
    expect(await res.json()).toEqual({message: 'Session token not found or invalid'})
    const {accessToken} = emulator.issueToken()
    const ok = await fetch(`${emulator.url}/federation/credentials?role_name=ReadOnly&account_id=111111111111`, {
      headers: {'x-amz-sso_bearer_token': accessToken},
    })
    const body = (await ok.json()) as {roleCredentials: {expiration: number}}
    expect(Number.isInteger(body.roleCredentials.expiration)).toBe(true)
    expect(body.roleCredentials.expiration).toBeGreaterThan(Date.now())
  })
})

import {describe, expect, it} from 'vitest'

import {powerOf} from '../../src/report/power.js'

const policies = (awsManaged: string[], extra: {customerManaged?: string[]; inline?: boolean} = {}) => ({
  awsManaged: awsManaged.map((n) => `arn:aws:iam::aws:policy/${n}`),
  customerManaged: extra.customerManaged ?? [],
  inline: extra.inline === undefined ? null : {allowsEverything: extra.inline, sha256: '0'.repeat(64)},
})

describe('powerOf', () => {
  it('takes the strongest of the policies, and says which decided it', () => {
    expect(powerOf({name: 'Anything', policies: policies(['ReadOnlyAccess', 'AdministratorAccess'])})).toEqual({
      basis: 'policies',
      level: 'admin',
      reasons: ['AWS managed policy AdministratorAccess'],
    })
    expect(powerOf({name: 'x', policies: policies(['PowerUserAccess'])}).level).toBe('power-user')
    expect(powerOf({name: 'x', policies: policies(['job-function/ViewOnlyAccess', 'SecurityAudit'])}).level).toBe(
      'read-only',
    )
    expect(powerOf({name: 'x', policies: policies(['job-function/Billing'])}).level).toBe('billing')
  })

  it('counts an inline policy allowing * on *, and IAMFullAccess, as admin', () => {
    expect(powerOf({name: 'ReadOnly', policies: policies(['ReadOnlyAccess'], {inline: true})})).toMatchObject({
      level: 'admin',
      reasons: ['inline policy allows * on *'],
    })
    expect(powerOf({name: 'x', policies: policies(['IAMFullAccess'])}).level).toBe('admin')
  })

  it('calls other policies custom (it cannot read them), and no policy at all none', () => {
    expect(powerOf({name: 'x', policies: policies(['ReadOnlyAccess'], {customerManaged: ['/Deploy']})})).toMatchObject({
      level: 'custom',
      reasons: ['customer managed policy /Deploy'],
    })
    expect(powerOf({name: 'x', policies: policies(['AmazonS3FullAccess'])}).level).toBe('custom')
    expect(powerOf({name: 'x', policies: policies(['ReadOnlyAccess'], {inline: false})}).level).toBe('custom')
    expect(powerOf({name: 'Admin', policies: policies([])})).toEqual({
      basis: 'policies',
      level: 'none',
      reasons: ['no policies attached'],
    })
  })

  it('guesses from the name when the snapshot has no policies, and says it is a guess', () => {
    expect(powerOf({name: 'AdministratorAccess'})).toMatchObject({basis: 'name', level: 'admin'})
    expect(powerOf({name: 'prod-admin'}).level).toBe('admin')
    expect(powerOf({name: 'PowerUserAccess'}).level).toBe('power-user')
    expect(powerOf({name: 'Billing'}).level).toBe('billing')
    expect(powerOf({name: 'ReadOnlyAccess'}).level).toBe('read-only')
    expect(powerOf({name: 'ViewOnlyAccess'}).level).toBe('read-only')
    expect(powerOf({name: 'DataEngineer'})).toEqual({
      basis: 'unknown',
      level: 'unknown',
      reasons: ['policies not in the snapshot'],
    })
  })
})

import {describe, expect, it} from 'vitest'

import {DEFAULT_TEMPLATE, nameEntitlements, sanitiseName, unknownPlaceholders} from '../../src/generate/naming.js'

const options = {region: 'eu-west-1', ssoSession: 'corp', template: DEFAULT_TEMPLATE}

describe('profile naming', () => {
  it('sanitises runs of unsafe characters to one dash and trims', () => {
    expect(sanitiseName('Prod & Dev / EU: main')).toBe('Prod-Dev-EU-main')
    expect(sanitiseName('  [legacy] "billing"  ')).toBe('legacy-billing')
    expect(sanitiseName('café.Admin')).toBe('caf-.Admin')
    expect(sanitiseName('-.x.-')).toBe('x')
    expect(sanitiseName('Mixed.Case', true)).toBe('mixed.case')
  })

  it('renders every placeholder and reports unknown ones', () => {
    const [named] = nameEntitlements([{accountId: '111122223333', accountName: 'Prod', roleName: 'Admin'}], {
      ...options,
      template: '{sso_session}-{account_id}-{account_name}-{role_name}-{region}',
    })
    expect(named.name).toBe('corp-111122223333-Prod-Admin-eu-west-1')
    expect(unknownPlaceholders('{account_name}.{role}.{x}')).toEqual(['role', 'x'])
  })

  it('gives every colliding profile -<account_id>, whatever the input order, and reports why', () => {
    const entitlements = [
      {accountId: '222222222222', accountName: 'Shared Services', roleName: 'Admin'},
      {accountId: '111111111111', accountName: 'Shared Services', roleName: 'Admin'},
      {accountId: '333333333333', accountName: 'Shared/Services', roleName: 'Admin'},
      {accountId: '444444444444', accountName: 'Solo', roleName: 'Admin'},
    ]
    const names = (list: typeof entitlements) => nameEntitlements(list, options).map((e) => [e.name, e.renamed?.reason])
    expect(names(entitlements)).toEqual([
      ['Shared-Services.Admin-111111111111', 'collision'],
      ['Shared-Services.Admin-222222222222', 'collision'],
      ['Shared-Services.Admin-333333333333', 'collision'],
      ['Solo.Admin', undefined],
    ])
    expect(names([...entitlements].reverse())).toEqual(names(entitlements))
  })

  it('never produces the name default, nor an empty name', () => {
    const named = nameEntitlements(
      [
        {accountId: '111122223333', accountName: 'x', roleName: 'y'},
        {accountId: '222233334444', accountName: '!!!', roleName: '???'},
      ],
      {...options, template: 'default'},
    )
    expect(named.map((e) => e.name)).toEqual(['default-111122223333', 'default-222233334444'])
    const empty = nameEntitlements([{accountId: '111122223333', accountName: '***', roleName: '///'}], {
      ...options,
      template: '{account_name}{role_name}',
    })
    expect(empty[0].name).toBe('111122223333')
  })
})

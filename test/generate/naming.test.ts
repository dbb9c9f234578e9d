import fc from 'fast-check'
import {readdirSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {
  DEFAULT_TEMPLATE,
  type Entitlement,
  loadTransliterator,
  nameEntitlements,
  sanitiseName,
  unknownPlaceholders,
} from '../../src/generate/naming.js'

const options = {region: 'eu-west-1', ssoSession: 'corp', template: DEFAULT_TEMPLATE}

describe('profile naming', () => {
  it('sanitises runs of unsafe characters to one dash and trims', () => {
    expect(sanitiseName('Prod & Dev / EU: main')).toBe('Prod-Dev-EU-main')
    expect(sanitiseName('  [legacy] "billing"  ')).toBe('legacy-billing')
    expect(sanitiseName('café.Admin')).toBe('caf.Admin')
    expect(sanitiseName('-.x.-')).toBe('x')
    expect(sanitiseName('Mixed.Case', true)).toBe('mixed.case')
  })

  it('puts no - next to the separator nor at the ends', () => {
    expect(sanitiseName('Payments PCI!.PowerUserAccess')).toBe('Payments-PCI.PowerUserAccess')
    expect(sanitiseName('Payments-PCI-.PowerUserAccess')).toBe('Payments-PCI.PowerUserAccess')
    expect(sanitiseName('(Sandbox).-Admin-')).toBe('Sandbox.Admin')
    expect(sanitiseName('a-b.c_d')).toBe('a-b.c_d')
    const [named] = nameEntitlements(
      [{accountId: '111122223333', accountName: 'Payments PCI ', roleName: 'Admin'}],
      options,
    )
    expect(named.name).toBe('Payments-PCI.Admin')
  })

  it('sanitises exactly as the three rules say, on any text', () => {
    // The rules one after the other, as the README states them.
    const reference = (raw: string) =>
      raw
        .replaceAll(/[^A-Za-z0-9_.-]+/g, '-')
        .replaceAll(/-*\.-*/g, '.')
        .replaceAll(/^[-.]+|[-.]+$/g, '')
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9 ._\-()&é東@[`{/:^~\u{1F600}]{0,24}$/u), (raw) => {
        expect(sanitiseName(raw)).toBe(reference(raw))
        expect(sanitiseName(raw, true)).toBe(reference(raw).toLowerCase())
      }),
      {numRuns: 5000},
    )
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

  it('spells accented and other alphabets in ASCII, loading the transliterator only for non-ASCII names', async () => {
    expect(await loadTransliterator(['Production', 'Admin', DEFAULT_TEMPLATE])).toBeUndefined()
    const transliterate = await loadTransliterator(['Zürich Office'])
    expect(transliterate).toBeDefined()
    const names = nameEntitlements(
      [
        {accountId: '111111111111', accountName: 'Zürich Office', roleName: 'Admin'},
        {accountId: '222222222222', accountName: 'São Paulo – Ærø', roleName: 'Admin'},
        {accountId: '333333333333', accountName: 'Москва Dev', roleName: 'Admin'},
        {accountId: '444444444444', accountName: 'Kraków 🚀', roleName: 'Admin'},
      ],
      {...options, transliterate},
    )
    expect(names.map((n) => [n.name, n.renamed?.reason])).toEqual([
      ['Zurich-Office.Admin', 'sanitised'],
      ['Sao-Paulo-Aero.Admin', 'sanitised'],
      ['Moskva-Dev.Admin', 'sanitised'],
      ['Krakow.Admin', 'sanitised'],
    ])
    // any-ascii is imported on demand only: no module of generate imports it statically.
    const dir = fileURLToPath(new URL('../../src/generate/', import.meta.url))
    for (const file of readdirSync(dir))
      expect(readFileSync(dir + file, 'utf8'), file).not.toMatch(/^import .*'any-ascii'/m)
  })

  it('adds the account id when a word of the account name has no ASCII spelling (Han ideographs)', async () => {
    const transliterate = await loadTransliterator(['東京'])
    const named = nameEntitlements(
      [
        {accountId: '111111111111', accountName: '東京 Team', roleName: 'Admin'},
        {accountId: '222222222222', accountName: '大阪', roleName: 'Admin'},
      ],
      {...options, transliterate},
    )
    expect(named.map((n) => [n.name, n.renamed])).toEqual([
      ['Team-111111111111.Admin', {from: '東京 Team.Admin', reason: 'not-ascii'}],
      ['222222222222.Admin', {from: '大阪.Admin', reason: 'not-ascii'}],
    ])
    // A template that holds the account id already needs no second one.
    const withId = nameEntitlements([{accountId: '111111111111', accountName: '東京 Team', roleName: 'Admin'}], {
      ...options,
      template: '{account_name}-{account_id}.{role_name}',
      transliterate,
    })
    expect(withId[0].name).toBe('Team-111111111111.Admin')
  })

  it('gives every profile of two accounts with the same name the account id, not only the colliding ones', () => {
    const entitlements: Entitlement[] = [
      {accountId: '222222222222', accountName: 'Shared', roleName: 'Admin'},
      {accountId: '111111111111', accountName: 'Shared', roleName: 'Admin'},
      {accountId: '111111111111', accountName: 'Shared', roleName: 'ReadOnly'},
      {accountId: '333333333333', accountName: 'Solo', roleName: 'Admin'},
    ]
    const names = (list: Entitlement[]) => nameEntitlements(list, options).map((e) => [e.name, e.renamed?.reason])
    expect(names(entitlements)).toEqual([
      ['Shared.Admin-111111111111', 'collision'],
      ['Shared.ReadOnly-111111111111', 'collision'],
      ['Shared.Admin-222222222222', 'collision'],
      ['Solo.Admin', undefined],
    ])
    expect(names([...entitlements].reverse())).toEqual(names(entitlements))
    // With --lowercase, names that differ only in case are the same name.
    const lower = nameEntitlements(
      [
        {accountId: '111111111111', accountName: 'Prod', roleName: 'Admin'},
        {accountId: '222222222222', accountName: 'prod', roleName: 'ReadOnly'},
      ],
      {...options, lowercase: true},
    )
    expect(lower.map((e) => e.name)).toEqual(['prod.admin-111111111111', 'prod.readonly-222222222222'])
  })
})

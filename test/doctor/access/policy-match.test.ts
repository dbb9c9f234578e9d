import {describe, expect, it} from 'vitest'

import {
  actionMatches,
  evaluateLayers,
  matchingStatements,
  matchStatement,
  parsePolicyDocument,
  type PolicyLayer,
  type PolicyStatement,
  resourceMatches,
} from '../../../src/doctor/access/policy-match.js'

const allowAll: PolicyStatement = {Action: '*', Effect: 'Allow', Resource: '*'}

function layer(label: string, ...statements: PolicyStatement[][]): PolicyLayer {
  return {
    label,
    policies: statements.map((s, i) => ({kind: 'inline', name: `${label}-${i}`, statements: s})),
  }
}

describe('actionMatches', () => {
  it.each([
    ['s3:GetObject', 's3:GetObject', true],
    ['s3:getobject', 's3:GetObject', true],
    ['S3:GETOBJECT', 's3:GetObject', true],
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:*', 's3:PutObject', true],
    ['*', 'ec2:RunInstances', true],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:GGetObject', false],
    ['s3:*Object', 's3:GetObject', true],
    ['s3:*Object', 's3:GetObjectAcl', false],
    ['ec2:Describe*', 'ec2:describeinstances', true],
    ['iam:Get*', 'iam2:GetRole', false],
    ['s3:GetObject', 's3:GetObjectVersion', false],
    ['s3:Get.bject', 's3:GetObject', false],
  ])('%s vs %s → %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected)
  })
})

describe('resourceMatches', () => {
  it.each([
    ['*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key/deep', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::Bucket/key', false],
    ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/key', false],
    ['arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket1', true],
    ['arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket12', false],
    // A * at the end of a segment may run past colons.
    ['arn:aws:logs:*:123456789012:*', 'arn:aws:logs:eu-west-1:123456789012:log-group:x:log-stream:y', true],
    ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-0abc', true],
    // Inside a segment it does not.
    ['arn:aws:iam::*3:role/x', 'arn:aws:iam::1:2:3:role/x', false],
    ['arn:aws:iam::*3:role/x', 'arn:aws:iam::123:role/x', true],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/T', 'arn:aws:dynamodb:us-east-1:111122223333:table/t', false],
    ['arn:aws:s3:::a.b', 'arn:aws:s3:::aXb', false],
  ])('%s vs %s → %s', (pattern, arn, expected) => {
    expect(resourceMatches(pattern, arn)).toBe(expected)
  })
})

describe('matchStatement', () => {
  const request = {action: 's3:GetObject', resource: 'arn:aws:s3:::data/report.csv'}

  it('Action and Resource, string or array forms', () => {
    expect(matchStatement({Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::data/*'}, request)).toEqual(
      {
        match: 'yes',
      },
    )
    expect(
      matchStatement(
        {Action: ['ec2:*', 's3:Get*'], Effect: 'Allow', Resource: ['arn:aws:s3:::other/*', 'arn:aws:s3:::data/*']},
        request,
      ),
    ).toEqual({match: 'yes'})
    expect(matchStatement({Action: ['ec2:*'], Effect: 'Allow', Resource: '*'}, request)).toEqual({match: 'no'})
    expect(matchStatement({Action: 's3:*', Effect: 'Allow', Resource: 'arn:aws:s3:::other/*'}, request)).toEqual({
      match: 'no',
    })
  })

  it('NotAction matches every action not listed', () => {
    expect(matchStatement({Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*'}, request)).toEqual({
      match: 'yes',
    })
    expect(matchStatement({Effect: 'Deny', NotAction: 's3:*', Resource: '*'}, request)).toEqual({match: 'no'})
  })

  it('NotResource matches every resource not listed', () => {
    expect(matchStatement({Action: 's3:*', Effect: 'Deny', NotResource: 'arn:aws:s3:::public/*'}, request).match).toBe(
      'yes',
    )
    expect(matchStatement({Action: 's3:*', Effect: 'Deny', NotResource: 'arn:aws:s3:::data/*'}, request).match).toBe(
      'no',
    )
  })

  it('a statement with a Condition matches only maybe', () => {
    expect(
      matchStatement(
        {Action: 's3:*', Condition: {Bool: {'aws:MultiFactorAuthPresent': 'true'}}, Effect: 'Allow', Resource: '*'},
        request,
      ),
    ).toEqual({match: 'maybe', why: ['condition']})
  })

  it('an unknown resource matches Resource "*" for certain and anything narrower as a maybe', () => {
    expect(matchStatement(allowAll, {action: 's3:GetObject'})).toEqual({match: 'yes'})
    expect(
      matchStatement({Action: 's3:*', Effect: 'Allow', Resource: 'arn:aws:s3:::x/*'}, {action: 's3:GetObject'}),
    ).toEqual({
      match: 'maybe',
      why: ['resource-unknown'],
    })
    expect(
      matchStatement({Action: 's3:*', Effect: 'Deny', NotResource: 'arn:aws:s3:::x/*'}, {action: 's3:GetObject'}).match,
    ).toBe('maybe')
  })

  it('a policy variable in the resource is a maybe', () => {
    expect(
      matchStatement(
        // eslint-disable-next-line no-template-curly-in-string -- an IAM policy variable, not a template
        {Action: 's3:*', Effect: 'Allow', Resource: 'arn:aws:s3:::home/${aws:username}/*'},
        {action: 's3:GetObject', resource: 'arn:aws:s3:::home/alice/x'},
      ),
    ).toEqual({match: 'maybe', why: ['policy-variable']})
  })

  it('a statement without Action or NotAction matches nothing; one without Resource matches every resource', () => {
    expect(matchStatement({Effect: 'Allow', Resource: '*'}, request).match).toBe('no')
    expect(matchStatement({Action: '*', Effect: 'Allow'}, request).match).toBe('yes')
  })
})

describe('parsePolicyDocument and matchingStatements', () => {
  it('reads plain and URL-encoded JSON, a single statement object, and keeps Conditions as written', () => {
    const doc = {
      Statement: [
        {Action: 's3:GetObject', Effect: 'Allow', Resource: '*', Sid: 'Read'},
        {
          Action: 's3:*',
          Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}},
          Effect: 'Deny',
          Resource: '*',
        },
        {Action: 'ec2:*', Effect: 'Allow', Resource: '*'},
      ],
      Version: '2012-10-17',
    }
    const statements = parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))
    expect(statements).toHaveLength(3)
    const matches = matchingStatements(statements, {action: 's3:GetObject', resource: 'arn:aws:s3:::b/k'})
    expect(matches).toEqual([
      {action: ['s3:GetObject'], effect: 'Allow', index: 0, match: 'yes', resource: ['*'], sid: 'Read'},
      {
        action: ['s3:*'],
        condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}},
        effect: 'Deny',
        index: 1,
        match: 'maybe',
        resource: ['*'],
        why: ['condition'],
      },
    ])
    expect(
      parsePolicyDocument(JSON.stringify({Statement: {Action: '*', Effect: 'Allow', Resource: '*'}})),
    ).toHaveLength(1)
    expect(() => parsePolicyDocument('not json')).toThrow(/not JSON/)
  })
})

describe('evaluateLayers', () => {
  const request = {action: 's3:DeleteBucket', resource: 'arn:aws:s3:::data'}

  it('allowed when every layer allows and nothing denies', () => {
    const result = evaluateLayers([layer('identity', [allowAll]), layer('scp root', [allowAll])], request)
    expect(result.verdict).toBe('allowed')
  })

  it('Deny wins over Allow, whichever policy or layer it is in', () => {
    const deny: PolicyStatement = {Action: 's3:Delete*', Effect: 'Deny', Resource: '*', Sid: 'NoDeletes'}
    const result = evaluateLayers([layer('identity', [allowAll]), layer('scp ou', [allowAll, deny])], request)
    expect(result.verdict).toBe('explicit-deny')
    expect(result.deciding).toEqual([{policy: 'scp ou-0', statement: expect.objectContaining({sid: 'NoDeletes'})}])
  })

  it('multiple statements in one policy: the Deny statement wins', () => {
    const result = evaluateLayers(
      [layer('identity', [allowAll, {Action: 's3:DeleteBucket', Effect: 'Deny', Resource: 'arn:aws:s3:::data'}])],
      request,
    )
    expect(result.verdict).toBe('explicit-deny')
  })

  it('no-allow when no identity policy allows the action', () => {
    const result = evaluateLayers([layer('identity', [{Action: 's3:Get*', Effect: 'Allow', Resource: '*'}])], request)
    expect(result.verdict).toBe('no-allow')
    expect(result.layers).toEqual([{allow: 'none', label: 'identity'}])
  })

  it('SCPs: an Allow is needed at every level; one level without it is no-allow', () => {
    const onlyEc2: PolicyStatement = {Action: 'ec2:*', Effect: 'Allow', Resource: '*'}
    const result = evaluateLayers(
      [
        layer('identity', [allowAll]),
        layer('scp root', [allowAll]),
        layer('scp ou', [onlyEc2]),
        layer('scp account', [allowAll]),
      ],
      request,
    )
    expect(result.verdict).toBe('no-allow')
    expect(result.layers.find((l) => l.allow === 'none')?.label).toBe('scp ou')
  })

  it('permissions boundary: the intersection — both the identity policies and the boundary must allow', () => {
    const boundary = layer('boundary', [{Action: 's3:Get*', Effect: 'Allow', Resource: '*'}])
    expect(evaluateLayers([layer('identity', [allowAll]), boundary], request).verdict).toBe('no-allow')
    expect(
      evaluateLayers([layer('identity', [allowAll]), boundary], {action: 's3:GetObject', resource: 'arn:aws:s3:::d/k'})
        .verdict,
    ).toBe('allowed')
  })

  it('RCPs deny like SCPs', () => {
    const rcp = layer('rcp root', [allowAll, {Action: 's3:*', Effect: 'Deny', Resource: 'arn:aws:s3:::data'}])
    expect(evaluateLayers([layer('identity', [allowAll]), rcp], request).verdict).toBe('explicit-deny')
  })

  it('allowed-if-conditions: the only Allow has a condition, or a conditional Deny may apply', () => {
    const mfa = {Bool: {'aws:MultiFactorAuthPresent': 'true'}}
    const conditionalAllow = evaluateLayers(
      [layer('identity', [{Action: 's3:*', Condition: mfa, Effect: 'Allow', Resource: '*'}])],
      request,
    )
    expect(conditionalAllow.verdict).toBe('allowed-if-conditions')
    expect(conditionalAllow.deciding[0].statement.condition).toEqual(mfa)
    const conditionalDeny = evaluateLayers(
      [layer('identity', [allowAll, {Action: 's3:*', Condition: mfa, Effect: 'Deny', Resource: '*'}])],
      request,
    )
    expect(conditionalDeny.verdict).toBe('allowed-if-conditions')
    // An unconditional allow beside a conditional one: no dependency on the condition.
    expect(
      evaluateLayers(
        [layer('identity', [allowAll, {Action: 's3:*', Condition: mfa, Effect: 'Allow', Resource: '*'}])],
        request,
      ).verdict,
    ).toBe('allowed')
  })

  it('a layer whose policies could not be read and allow nothing that was read is unknown (no-allow)', () => {
    const result = evaluateLayers([{label: 'identity', policies: [{kind: 'customer-managed', name: 'Mine'}]}], request)
    expect(result.verdict).toBe('no-allow')
    expect(result.layers[0].allow).toBe('unknown')
    expect(result.findings[0]).toEqual({kind: 'customer-managed', name: 'Mine', read: false, statements: []})
  })
})

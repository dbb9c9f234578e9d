import {describe, expect, it} from 'vitest'

import {parseDocument} from '../../src/config/ini/document.js'
import {buildModel} from '../../src/config/model.js'
import {parseFastFlags} from '../../src/fast/credential-process.js'
import {directPortalEndpoint} from '../../src/sso/portal-direct.js'

const model = (text: string) => buildModel(parseDocument(text, 'config'), undefined)
const plain = model('[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n')

describe('the fast path of credential-process', () => {
  it('parses the flags it knows, in both spellings, and gives up on anything else', () => {
    expect(parseFastFlags(['--profile', 'dev'])).toEqual({format: 'process', profile: 'dev'})
    expect(parseFastFlags(['--profile=dev', '--format=sts', '--json', '--config-file', '/c'])).toEqual({
      configFile: '/c',
      format: 'sts',
      profile: 'dev',
    })
    for (const argv of [
      [],
      ['--profile'],
      ['--profile', '--json'],
      ['--profile', 'a', '--profile', 'b'],
      ['--profile', 'dev', '--no-cache'],
      ['--profile', 'dev', '--format', 'env'],
      ['--profile', 'dev', '--help'],
      ['--profile', 'dev', 'extra'],
      ['-h'],
      ['--profile='],
    ])
      expect(parseFastFlags(argv), argv.join(' ')).toBeUndefined()
  })

  it('calls the portal directly only where the endpoint is certainly the SDK’s', () => {
    expect(directPortalEndpoint('eu-west-1', plain, {})).toBe('https://portal.sso.eu-west-1.amazonaws.com')
    expect(directPortalEndpoint('il-central-1', plain, {})).toBe('https://portal.sso.il-central-1.amazonaws.com')
    expect(directPortalEndpoint('eu-west-1', plain, {AWS_ENDPOINT_URL: 'http://127.0.0.1:4566'})).toBe(
      'http://127.0.0.1:4566',
    )
    expect(
      directPortalEndpoint('eu-west-1', plain, {AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_SSO: 'http://b:2/x'}),
    ).toBe('http://b:2/x')
    // Other partitions, FIPS, dual-stack, proxies and endpoint settings in the config: the full command decides.
    for (const region of ['cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'eu-isoe-west-1', 'eusc-de-east-1'])
      expect(directPortalEndpoint(region, plain, {}), region).toBeUndefined()
    for (const name of ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'HTTPS_PROXY', 'http_proxy'])
      expect(directPortalEndpoint('eu-west-1', plain, {[name]: 'true'}), name).toBeUndefined()
    for (const line of [
      'use_fips_endpoint = true',
      'use_dualstack_endpoint = true',
      'endpoint_url = http://x',
      'ca_bundle = /x',
    ])
      expect(directPortalEndpoint('eu-west-1', model(`[default]\n${line}\n`), {}), line).toBeUndefined()
    expect(
      directPortalEndpoint('eu-west-1', model('[services s]\nsso =\n  endpoint_url = http://x\n'), {}),
    ).toBeUndefined()
    expect(directPortalEndpoint('eu-west-1', plain, {AWS_ENDPOINT_URL_SSO: 'not a url'})).toBeUndefined()
  })
})

import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'

import {escapeHtml, jsonForScript, markup} from '../../src/render/html.js'
import {REPORT_CSS, REPORT_SCRIPT} from '../../src/render/report-assets.js'
import {renderReportHtml} from '../../src/render/report-html.js'
import {buildAccessReport} from '../../src/report/access.js'
import {demoSnapshot, HOSTILE, hostileSnapshot, LARGE, largeSnapshot} from '../support/report-snapshots.js'

const page = (snapshot = demoSnapshot()): string =>
  renderReportHtml(buildAccessReport(snapshot), {source: 'snapshot.json', version: '0.1.0'})

describe('the markup tag', () => {
  it('escapes every value, keeps nested markup, and shows control and bidi characters as escapes', () => {
    const name = '<b onclick="x">&\'\u202E\u001B'
    expect(markup`<td title="${name}">${name}</td>`.html).toBe(
      String.raw`<td title="&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;\u202e\x1b">&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;\u202e\x1b</td>`,
    )
    expect(markup`<p>${[markup`<i>${'<'}</i>`, 1, null, false, undefined]}</p>`.html).toBe('<p><i>&lt;</i>1</p>')
    expect(escapeHtml('a\nb')).toBe(String.raw`a\nb`)
  })

  it('writes JSON that cannot close its script element', () => {
    const json = jsonForScript({x: '</script><!--\u2028'}).html
    expect(json).not.toContain('<')
    expect(JSON.parse(json)).toEqual({x: '</script><!--\u2028'})
  })
})

describe('the HTML report', () => {
  it('is one document with no way to the network: CSP default-src none, its style and script allowed by hash', () => {
    const html = page()
    const hash = (text: string) => createHash('sha256').update(text).digest('base64')
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replaceAll('&#39;', "'")
    expect(csp).toBe(
      `default-src 'none'; style-src 'sha256-${hash(REPORT_CSS)}'; script-src 'sha256-${hash(REPORT_SCRIPT)}'; img-src 'none'; base-uri 'none'; form-action 'none'`,
    )
    expect(html).toContain(`<style>${REPORT_CSS}</style>`)
    expect(html).toContain(`<script>${REPORT_SCRIPT}</script>`)
    expect(html).not.toMatch(/\b(src|href)="(?!#)/)
    expect(html).not.toMatch(/https?:\/\/(?!d-9067c1a2b3\.awsapps\.com)/)
  })

  it('escapes every name from the snapshot: no markup from outside survives', () => {
    const html = page(hostileSnapshot())
    for (const value of Object.values(HOSTILE)) expect(html).not.toContain(value)
    expect(html).toContain('&lt;script&gt;alert(&quot;account&quot;)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain(String.raw`@SUM(1+1)\x1b[31m\u202eevil`)
    // Exactly two script elements (the data and the page's own script) and one style element.
    expect(html.match(/<script\b/g)).toHaveLength(2)
    expect(html.match(/<style\b/g)).toHaveLength(1)
    // Every attribute in every tag is one the page itself writes: none came from a name.
    const attributes = new Set(
      [...html.matchAll(/<[a-z][^>]*>/g)].flatMap((tag) =>
        [...tag[0].matchAll(/\s([a-z-]+)="[^"]*"/g)].map((m) => m[1]),
      ),
    )
    expect([...attributes].sort()).toEqual([
      'aria-describedby',
      'aria-label',
      'aria-labelledby',
      'aria-live',
      'autocomplete',
      'charset',
      'class',
      'colspan',
      'content',
      'data-a',
      'data-p',
      'for',
      'href',
      'http-equiv',
      'id',
      'lang',
      'name',
      'placeholder',
      'role',
      'scope',
      'spellcheck',
      'tabindex',
      'title',
      'type',
      'value',
    ])
  })

  it('draws the matrix in the markup itself, one row per account and one column per assigned permission set', () => {
    const html = page()
    expect(html.match(/<tr data-a="/g)).toHaveLength(12)
    expect(html.match(/<th scope="col" data-p="/g)).toHaveLength(8)
    expect(html.match(/<tr class="ou">/g)).toHaveLength(6)
    expect(html).toContain('Root / Workloads / Production <span class="meta">(3 accounts)</span>')
  })

  it(`stays small for ${LARGE.accounts} accounts and ${LARGE.assignments} assignments (under 2.5 MB)`, () => {
    const started = performance.now()
    const html = page(largeSnapshot())
    const ms = performance.now() - started
    const bytes = Buffer.byteLength(html)
    console.log(
      `report page for ${LARGE.accounts} accounts, ${LARGE.assignments} assignments: ${(bytes / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms`,
    )
    expect(bytes).toBeLessThan(2.5e6)
  })
})

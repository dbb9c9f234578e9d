/**
 * The HTML report in a real browser (Debian's Chromium through playwright-core), opened from disk as a user
 * would: the matrix against the snapshot, the filter, a group's members, a person's access, the keyboard,
 * hostile names, printing, no JavaScript, and a large organization. With UPDATE_SCREENSHOTS=1 the screenshots
 * go to docs/images/ for the README; otherwise to a temporary folder.
 */
import type {Page} from 'playwright-core'

import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../src/discovery/snapshot.js'

import {renderReportHtml} from '../../src/render/report-html.js'
import {type AccessReport, buildAccessReport} from '../../src/report/access.js'
import {type Browser, describeWithBrowser, launchBrowser} from '../support/browser.js'
import {ROOT} from '../support/cli.js'
import {demoSnapshot, HOSTILE, hostileSnapshot, LARGE, largeSnapshot} from '../support/report-snapshots.js'

const dir = mkdtempSync(join(tmpdir(), 'ssokit-report-'))
const shots = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'images') : join(dir, 'images')
mkdirSync(shots, {recursive: true})

function writePage(name: string, snapshot: DiscoverSnapshot): {report: AccessReport; url: string} {
  const report = buildAccessReport(snapshot)
  const path = join(dir, `${name}.html`)
  writeFileSync(path, renderReportHtml(report, {source: `${name}.json`, version: '0.1.0'}))
  return {report, url: pathToFileURL(path).href}
}

/** The DOM members the page functions touch (the tests compile without TypeScript's DOM library). */
interface El {
  cells: El[]
  className: string
  firstChild: El | null
  hidden: boolean
  id: string
  offsetParent: El | null
  open: boolean
  querySelector(selector: string): El | null
  querySelectorAll(selector: string): Iterable<El>
  textContent: null | string
}
declare const document: {activeElement: El | null; documentElement: El; querySelector(selector: string): El | null}

/** The principals' names in each matrix cell, row by row (runs in the page: self-contained). */
const readMatrix = (rows: El[]): Array<{account: string; cells: string[][]}> => {
  const names = (td: El): string[] => [...td.querySelectorAll('a')].map((a) => a.textContent!)
  return rows.map((tr) => ({account: tr.querySelector('.id')!.textContent!, cells: [...tr.cells].slice(1).map(names)}))
}

interface Watched {
  alerts: string[]
  errors: string[]
  page: Page
  requests: string[]
}

describeWithBrowser('the HTML report in Chromium', () => {
  let browser: Browser
  const demo = writePage('demo', demoSnapshot())

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
  })

  /** Opens a page from disk, recording every request, console error, page error and alert. */
  async function open(url: string): Promise<Watched> {
    const page = await browser.context.newPage()
    const watched: Watched = {alerts: [], errors: [], page, requests: []}
    page.on('request', (r) => watched.requests.push(r.url()))
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') watched.errors.push(m.text())
    })
    page.on('pageerror', (e) => watched.errors.push(e.message))
    page.on('dialog', async (d) => {
      watched.alerts.push(d.message())
      await d.dismiss()
    })
    await page.goto(url)
    await page.waitForSelector('html[data-ready]', {timeout: 20_000})
    return watched
  }

  const visibleRows = (page: Page): Promise<string[]> =>
    page.$$eval('#matrix-table tr[data-a]', (rows: El[]) =>
      rows.filter((r) => r.offsetParent !== null).map((r) => r.querySelector('.id')!.textContent!),
    )
  const visibleColumns = (page: Page): Promise<string[]> =>
    page.$$eval('#matrix-table th[data-p]', (heads: El[]) =>
      heads.filter((h) => !h.hidden).map((h) => h.firstChild!.textContent!),
    )
  async function filter(page: Page, field: string, text: string): Promise<void> {
    await page.selectOption('#field', field)
    await page.fill('#q', text)
    await page.waitForSelector(`html[data-filter="${field}:${text.toLowerCase()}"]`, {state: 'attached'})
  }

  it('opens from disk with no request beyond the file, no error, and every cell as the snapshot says', async () => {
    const {alerts, errors, page, requests} = await open(demo.url)
    expect(requests).toEqual([demo.url])
    expect(errors).toEqual([])
    expect(alerts).toEqual([])

    const {report} = demo
    const columns = report.permissionSets.filter((p) => p.assignmentCount > 0)
    expect(await visibleColumns(page)).toEqual(columns.map((p) => p.name))
    const groupIndex = new Map(report.groups.map((g, i) => [g.id, i]))
    const userIndex = new Map(report.users.map((u, i) => [u.id, i]))
    const expected = report.accounts.map((account) => ({
      account: account.id,
      cells: columns.map((p) => {
        const here = report.assignments.filter((a) => a.accountId === account.id && a.permissionSetArn === p.arn)
        const groups = here
          .filter((a) => a.principalType === 'GROUP')
          .sort((x, y) => groupIndex.get(x.principalId)! - groupIndex.get(y.principalId)!)
          .map((a) => `${a.principalName} (${report.groups[groupIndex.get(a.principalId)!].memberIds.length})`)
        const users = here
          .filter((a) => a.principalType === 'USER')
          .sort((x, y) => userIndex.get(x.principalId)! - userIndex.get(y.principalId)!)
          .map((a) => a.principalName)
        return [...groups, ...users]
      }),
    }))
    const shown = await page.$$eval('#matrix-table tr[data-a]', readMatrix)
    expect(shown).toEqual(expected)
    const ous = await page.$$eval('#matrix-table tr.ou th', (ths: El[]) => ths.map((th) => th.textContent))
    expect(ous).toEqual([
      'Root (1 account)',
      'Root / Infrastructure (2 accounts)',
      'Root / Sandbox (2 accounts)',
      'Root / Security (2 accounts)',
      'Root / Workloads / Production (3 accounts)',
      'Root / Workloads / Staging (2 accounts)',
    ])
    await page.screenshot({path: join(shots, 'report-matrix.png')})
    await page.close()
  })

  it('filters without reloading: by person (groups expanded), by group, by account or OU', async () => {
    const {page, requests} = await open(demo.url)
    const {report} = demo
    const reach = report.access.filter((e) => e.userName === 'lena.fischer')
    await filter(page, 'any', 'lena')
    expect(new Set(await visibleRows(page))).toEqual(new Set(reach.map((e) => e.accountId)))
    expect(new Set(await visibleColumns(page))).toEqual(new Set(reach.map((e) => e.permissionSetName)))
    expect(await page.$$eval('#people tr[id]:not([hidden]) th a', (a: El[]) => a.map((x) => x.textContent))).toEqual([
      'lena.fischer',
    ])

    await filter(page, 'group', 'auditors')
    const audited = report.assignments.filter((a) => a.principalName === 'Auditors')
    expect(new Set(await visibleRows(page))).toEqual(new Set(audited.map((a) => a.accountId)))
    expect(await visibleColumns(page)).toEqual(['SecurityAudit'])

    // "Who can reach production": the accounts of the Production OU and everyone who reaches them.
    await filter(page, 'account', 'production')
    const production = report.accounts.filter((a) => a.ouPath!.includes('Production')).map((a) => a.id)
    expect(new Set(await visibleRows(page))).toEqual(new Set(production))
    const people = new Set(report.access.filter((e) => production.includes(e.accountId)).map((e) => e.userName))
    const columns = new Set(
      report.assignments.filter((a) => production.includes(a.accountId)).map((a) => a.permissionSetName),
    )
    expect(await page.textContent('#count')).toBe(
      `${production.length} of 12 accounts, ${columns.size} of 8 permission sets, ${people.size} of 14 people`,
    )
    expect(await page.$$eval('#matrix-table tbody', (b: El[]) => b.filter((x) => !x.hidden).length)).toBe(1)
    await page.screenshot({path: join(shots, 'report-filter.png')})

    await page.press('#q', 'Escape')
    await page.waitForSelector('html[data-filter="account:"]', {state: 'attached'})
    expect(await visibleRows(page)).toHaveLength(12)
    expect(requests).toEqual([demo.url])
    await page.close()
  })

  it('opens a group for its members, then a member for everything they reach, and back with Escape', async () => {
    const {page} = await open(demo.url)
    const {report} = demo
    const opener = page.locator('#matrix-table tr[data-a="0"] a', {hasText: 'Platform Admins'})
    await opener.click()
    await expect.poll(() => page.textContent('#dialog-title')).toBe('Group Platform Admins')
    const members = report.groups.find((g) => g.displayName === 'Platform Admins')!.memberIds
    const names = members.map((id) => report.users.find((u) => u.id === id)!.userName)
    expect(await page.$$eval('#dialog-body .members a', (a: El[]) => a.map((x) => x.textContent))).toEqual(names)
    expect(await page.$$eval('#dialog-body tbody tr', (r: El[]) => r.length)).toBe(
      report.assignments.filter((a) => a.principalName === 'Platform Admins').length,
    )
    await page.screenshot({path: join(shots, 'report-group.png')})

    await page.click('#dialog-body .members a >> text=grace.okafor')
    await expect.poll(() => page.textContent('#dialog-title')).toBe('grace.okafor (Grace Okafor)')
    const reach = report.access.filter((e) => e.userName === 'grace.okafor')
    const rows = await page.$$eval('#dialog-body tbody tr', (trs: El[]) =>
      trs.map((tr) => [...tr.cells].map((td) => td.textContent)),
    )
    expect(rows).toHaveLength(reach.length)
    expect(rows.find((r) => r[2]!.startsWith('BreakGlass'))![3]).toBe('direct assignment')
    expect(rows.find((r) => r[0]!.startsWith('payments-prod'))![3]).toBe('group Platform Admins')
    await page.screenshot({path: join(shots, 'report-person.png')})

    await page.keyboard.press('Escape')
    await expect.poll(() => page.evaluate(() => document.querySelector('#dialog')!.open)).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Platform Admins (2)')
    await page.close()
  })

  it('works from the keyboard: / focuses the filter, Enter on a link opens it, focus is kept in the dialog', async () => {
    const {page} = await open(demo.url)
    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q')
    await page.keyboard.type('nadia')
    await page.waitForSelector('html[data-filter="any:nadia"]', {state: 'attached'})
    expect(await visibleRows(page)).toHaveLength(7)
    await page.keyboard.press('Escape')
    await page.locator('#people a', {hasText: 'nadia.rahman'}).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.textContent('#dialog-title')).toBe('nadia.rahman (Nadia Rahman)')
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('close')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.querySelector('#dialog')!.open)).toBe(false)
    await page.close()
  })

  it('shows hostile names as text: no alert, no error, no request', async () => {
    const hostile = writePage('hostile', hostileSnapshot())
    const {alerts, errors, page, requests} = await open(hostile.url)
    expect(await page.textContent('#matrix-table tr[data-a="0"] th')).toBe(`${HOSTILE.account}111100000000`)
    await page.locator('#matrix-table a.g', {hasText: HOSTILE.group}).first().click()
    await expect.poll(() => page.textContent('#dialog-title')).toBe(`Group ${HOSTILE.group}`)
    await page.locator('#dialog-body .members a', {hasText: String.raw`@SUM(1+1)\x1b[31m\u202eevil`}).click()
    await expect.poll(() => page.textContent('#dialog-title')).toContain(String.raw`\u202eevil`)
    await page.keyboard.press('Escape')
    await filter(page, 'any', '<script>')
    expect(await visibleRows(page)).toEqual(['111100000000'])
    expect(await page.textContent('#notices')).toContain('</script><script>alert(3)</script>')
    expect(alerts).toEqual([])
    expect(errors).toEqual([])
    expect(requests).toEqual([hostile.url])
    await page.close()
  })

  it('says on the page what the snapshot lacks, instead of showing a wrong picture', async () => {
    const partial = structuredClone(demoSnapshot())
    delete partial.users
    delete partial.accounts
    delete partial.organizationalUnits
    partial.warnings.push(
      {
        action: 'organizations:ListAccounts',
        code: 'ACCESS_DENIED',
        message: 'Access denied: ListAccounts needs the IAM permission organizations:ListAccounts.',
        scope: 'accounts',
      },
      {
        action: 'identitystore:ListUsers',
        code: 'ACCESS_DENIED',
        message: 'Access denied: ListUsers needs the IAM permission identitystore:ListUsers.',
        scope: 'users',
      },
    )
    const {errors, page} = await open(writePage('partial', partial).url)
    const notices = await page.$$eval('#notices li', (li: El[]) => li.map((x) => x.textContent))
    expect(notices).toEqual([
      expect.stringMatching(/^Accounts could not be read: Access denied: ListAccounts .*accounts appear by id only/),
      expect.stringMatching(/^Users could not be read: Access denied: ListUsers .*people appear by id only/),
      expect.stringContaining('accounts are not grouped by OU'),
    ])
    expect(await page.$$eval('#matrix-table tr.ou', (r: El[]) => r.length)).toBe(0)
    expect(errors).toEqual([])
    await page.screenshot({path: join(shots, 'report-missing.png')})
    await page.close()
  })

  it('prints the whole matrix without the toolbar', async () => {
    const {page} = await open(demo.url)
    await page.emulateMedia({media: 'print'})
    expect(await page.isVisible('.toolbar')).toBe(false)
    expect(await page.isVisible('#matrix-table')).toBe(true)
    const pdf = await page.pdf({landscape: true})
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.close()
  })

  it('reads without JavaScript: the matrix and lists are there, the filter is not offered', async () => {
    const noScript = await launchBrowser({javaScriptEnabled: false})
    try {
      const page = await noScript.context.newPage()
      await page.goto(demo.url)
      expect(await page.$$eval('#matrix-table tr[data-a]', (r: El[]) => r.length)).toBe(12)
      expect(await page.isVisible('#toolbar-filter')).toBe(false)
      expect(await page.isVisible('.noscript')).toBe(true)
      await page.click('#matrix-table tr[data-a="0"] a.g')
      expect(page.url()).toMatch(/#g\d+$/)
    } finally {
      await noScript.close()
    }
  })

  it(`stays usable with ${LARGE.accounts} accounts and ${LARGE.assignments} assignments`, async () => {
    const large = writePage('large', largeSnapshot())
    const started = Date.now()
    const {errors, page} = await open(large.url)
    const loadMs = Date.now() - started
    const filterStarted = Date.now()
    await filter(page, 'account', 'workload-0042-')
    const filterMs = Date.now() - filterStarted
    expect(await visibleRows(page)).toEqual([
      large.report.accounts.find((a) => a.name.startsWith('workload-0042-'))!.id,
    ])
    await filter(page, 'person', 'person00042')
    const reach = new Set(large.report.access.filter((e) => e.userName === 'person00042').map((e) => e.accountId))
    expect(new Set(await visibleRows(page))).toEqual(reach)
    expect(errors).toEqual([])
    console.log(`large report: opened in ${loadMs} ms, filtered in ${filterMs} ms (Chromium, this machine)`)
    await page.close()
  }, 90_000)
})

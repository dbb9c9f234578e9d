/**
 * The access report page's own CSS and script, inlined into the one HTML file (no network at view time; the
 * page's Content-Security-Policy allows exactly these two, by hash). Hand-written, no framework: the script
 * reads the data from the page's `application/json` element and builds everything with DOM calls and
 * `textContent`, never with markup strings.
 */

export const REPORT_CSS = `
:root{color-scheme:light;--line:#d0d7de;--mute:#57606a;--link:#0b57d0;
--admin:#ffdcd7;--admin-ink:#b3261e;--power-user:#ffe4c4;--power-user-ink:#9a4a00;--custom:#dfe8f6;--custom-ink:#2f4f86;
--billing:#ece0f8;--billing-ink:#6330a8;--read-only:#dcf1e0;--read-only-ink:#1a6b32;--none:#f2f2f2;--none-ink:#57606a;
--unknown:#fff;--unknown-ink:#57606a}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:#1f2328;background:#fff}
header,main>section,.toolbar,.noscript{padding-left:1.5rem;padding-right:1.5rem}
h1{font-size:1.5rem;margin:1rem 0 .2rem}
h2{font-size:1.15rem;margin:1.6rem 0 .4rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
p{margin:.3rem 0}
.meta,.help{color:var(--mute)}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible,.scroll:focus-visible{outline:3px solid var(--link);outline-offset:1px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:1rem;top:.5rem;z-index:20;background:#fff;padding:.4rem .6rem;border:2px solid var(--link)}
.stats{display:flex;flex-wrap:wrap;gap:.4rem 1.6rem;list-style:none;padding:0;margin:.8rem 0}
.stats b{display:block;font-size:1.35rem;line-height:1.2}
.stats .admin b{color:var(--admin-ink)}
.notices ul{padding:0;margin:.3rem 0;list-style:none}
.notices li{padding:.35rem .6rem;margin:.3rem 0;border-left:4px solid var(--custom-ink);background:#f3f6fb}
.notices li.warning{border-left-color:var(--admin-ink);background:#fff3f1}
.toolbar{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.2rem;padding-top:.5rem;padding-bottom:.5rem}
.toolbar nav a{margin-right:.8rem}
.filter{display:flex;flex:1;flex-wrap:wrap;align-items:center;gap:.4rem}
.filter input{flex:1;min-width:14rem;max-width:32rem;padding:.35rem .5rem;font:inherit;border:1px solid #8c959f;border-radius:4px}
select,button{font:inherit;padding:.3rem .55rem;border:1px solid #8c959f;border-radius:4px;background:#f6f8fa;color:inherit}
button{cursor:pointer}
#count{color:var(--mute)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.4rem 0}
.sw{display:inline-block;width:1.1em;height:1.1em;vertical-align:-.2em;margin-right:.3em;border:1px solid var(--line)}
.scroll{overflow:auto;max-height:78vh;width:fit-content;max-width:100%;border:1px solid var(--line)}
table{border-collapse:separate;border-spacing:0}
th,td{text-align:left;vertical-align:top;padding:.25rem .45rem;border-bottom:1px solid var(--line)}
.matrix th,.matrix td{border-right:1px solid var(--line)}
.matrix thead th{position:sticky;top:0;z-index:3;background:#f6f8fa;min-width:8.5rem;max-width:13rem;font-weight:600}
.matrix thead th.corner{left:0;z-index:4}
.matrix tbody th{position:sticky;left:0;z-index:2;background:#fff;min-width:13rem;max-width:20rem;font-weight:500}
.matrix tbody tr.ou th{background:#eef1f4;font-weight:600;z-index:2}
.matrix td{min-width:8.5rem;max-width:13rem}
.matrix td a{display:block;overflow-wrap:anywhere}
.id{display:block;color:var(--mute)}
.c{display:block;color:var(--mute);font-size:12px}
.lvl{display:inline-block;margin-top:.2rem;padding:0 .35rem;border:1px solid;border-radius:3px;font-size:11px;font-weight:600;white-space:nowrap}
.lv-admin{background:var(--admin)}.lvl.lv-admin{color:var(--admin-ink)}
.lv-power-user{background:var(--power-user)}.lvl.lv-power-user{color:var(--power-user-ink)}
.lv-custom{background:var(--custom)}.lvl.lv-custom{color:var(--custom-ink)}
.lv-billing{background:var(--billing)}.lvl.lv-billing{color:var(--billing-ink)}
.lv-read-only{background:var(--read-only)}.lvl.lv-read-only{color:var(--read-only-ink)}
.lv-none{background:var(--none)}.lvl.lv-none{color:var(--none-ink)}
.lv-unknown{background:var(--unknown)}.lvl.lv-unknown{color:var(--unknown-ink)}
.matrix thead th[class*="lv-"]{background-image:linear-gradient(#fff8,#fff8)}
td.dim{opacity:.3}
td.hit{box-shadow:inset 0 0 0 2px var(--link)}
.unknown{font-style:italic}
details.more summary{cursor:pointer;color:var(--link)}
.people td,.people th,.sets td,.sets th{border-right:0}
.people thead th,.sets thead th{background:#f6f8fa;position:sticky;top:0}
.groups details{margin:.2rem 0}
.groups summary{cursor:pointer}
.groups .members{margin:.2rem 0 .6rem 1.2rem}
dialog{width:min(62rem,94vw);max-height:86vh;padding:0;border:1px solid var(--line);border-radius:8px;box-shadow:0 8px 30px #0004}
dialog::backdrop{background:#0006}
.dlg-head{display:flex;justify-content:space-between;align-items:flex-start;gap:1rem;padding:.8rem 1rem;border-bottom:1px solid var(--line);position:sticky;top:0;background:#fff}
.dlg-head h2{margin:0}
.dlg-body{padding:.6rem 1rem 1rem}
.dlg-body table{width:100%}
@media print{
@page{size:landscape;margin:1cm}
body{font-size:8.5pt}
.toolbar,.skip,dialog,.noscript,details.more summary{display:none!important}
.scroll{overflow:visible;max-height:none;border:0}
.matrix thead th,.matrix tbody th,.people thead th,.sets thead th{position:static}
thead{display:table-header-group}
tr{break-inside:avoid}
a{color:inherit;text-decoration:none}
td.dim{opacity:1}td.hit{box-shadow:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`.trim()

export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict'
  var doc = document
  var data = JSON.parse(doc.getElementById('report-data').textContent)
  var A = data.a, P = data.p, U = data.u, G = data.g, X = data.x, LV = data.lv, NP = P.length

  // Indexes: assignments per user and per group, groups per user, principals per matrix cell.
  var direct = U.map(function () { return [] })
  var viaGroup = G.map(function () { return [] })
  var groupsOf = U.map(function () { return [] })
  var cells = {}
  G.forEach(function (g, gi) { g[1].forEach(function (ui) { groupsOf[ui].push(gi) }) })
  X.forEach(function (x, xi) {
    ;(x[2] === 0 ? direct : viaGroup)[x[3]].push(xi)
    var key = x[0] * NP + x[1]
    var cell = cells[key] || (cells[key] = {u: [], g: []})
    ;(x[2] === 0 ? cell.u : cell.g).push(x[3])
  })

  function el(tag, attrs, children) {
    var e = doc.createElement(tag)
    for (var k in attrs || {}) e.setAttribute(k, attrs[k])
    ;(children || []).forEach(function (c) { e.append(c) })
    return e
  }
  function userLink(ui) { return el('a', {href: '#u' + ui}, [U[ui][0]]) }
  function groupLink(gi) { return el('a', {href: '#g' + gi, class: 'g'}, [G[gi][0]]) }
  function accountCell(ai) { return el('td', {}, [A[ai][0], el('span', {class: 'id'}, [A[ai][1]])]) }
  function permissionSetCell(pi) {
    return el('td', {class: 'lv-' + P[pi][1]}, [P[pi][0], ' ', el('span', {class: 'lvl lv-' + P[pi][1]}, [LV[P[pi][1]]])])
  }
  function table(head, rows) {
    return el('table', {}, [
      el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', {scope: 'col'}, [h]) }))]),
      el('tbody', {}, rows),
    ])
  }

  // What one user reaches: every (account, permission set), with the paths (-1 direct, else a group index).
  function reach(ui) {
    var found = {}
    function add(xi, via) {
      var x = X[xi], key = x[0] * NP + x[1]
      ;(found[key] || (found[key] = {a: x[0], p: x[1], via: []})).via.push(via)
    }
    direct[ui].forEach(function (xi) { add(xi, -1) })
    groupsOf[ui].forEach(function (gi) { viaGroup[gi].forEach(function (xi) { add(xi, gi) }) })
    return Object.keys(found).map(Number).sort(function (a, b) { return a - b }).map(function (k) { return found[k] })
  }

  var dialog = doc.getElementById('dialog')
  var dialogTitle = doc.getElementById('dialog-title')
  var dialogBody = doc.getElementById('dialog-body')
  var opener = null
  function show(title, body) {
    dialogTitle.textContent = title
    dialogBody.replaceChildren.apply(dialogBody, body)
    if (!dialog.open) {
      opener = doc.activeElement
      dialog.showModal()
    }
    dialogBody.scrollTop = 0
    dialog.querySelector('.close').focus()
  }
  dialog.addEventListener('close', function () { if (opener && opener.focus) opener.focus() })
  dialog.querySelector('.close').addEventListener('click', function () { dialog.close() })

  function showPerson(ui) {
    var u = U[ui], rows = reach(ui), accounts = {}, admin = 0
    rows.forEach(function (r) { accounts[r.a] = 1; if (P[r.p][1] === 'admin') admin++ })
    var summary = u[0] + ' reaches ' + rows.length + ' permission set' + (rows.length === 1 ? '' : 's') + ' on ' +
      Object.keys(accounts).length + ' account' + (Object.keys(accounts).length === 1 ? '' : 's') +
      (admin ? ' (' + admin + ' admin)' : '') + '.'
    var groups = groupsOf[ui].length
      ? ['Member of ', ...groupsOf[ui].flatMap(function (gi, i) { return i ? [', ', groupLink(gi)] : [groupLink(gi)] }), '.']
      : ['In no group.']
    show(u[0] + (u[1] ? ' (' + u[1] + ')' : ''), [
      el('p', {class: 'meta'}, [u[2] || '']),
      el('p', {}, [summary]),
      el('p', {}, groups),
      table(['Account', 'Organizational unit', 'Permission set', 'Through'], rows.map(function (r) {
        var through = r.via.flatMap(function (v, i) {
          var part = v < 0 ? ['direct assignment'] : ['group ', groupLink(v)]
          return i ? ['; '].concat(part) : part
        })
        return el('tr', {}, [accountCell(r.a), el('td', {}, [A[r.a][2] || '']), permissionSetCell(r.p), el('td', {}, through)])
      })),
    ])
  }

  function showGroup(gi) {
    var g = G[gi], members = g[1], assigned = viaGroup[gi]
    show('Group ' + g[0], [
      el('p', {}, [members.length + ' member' + (members.length === 1 ? '' : 's') + ', assigned ' + assigned.length + ' time' + (assigned.length === 1 ? '' : 's') + '.']),
      el('h3', {}, ['Members']),
      members.length
        ? el('ul', {class: 'members'}, members.map(function (ui) { return el('li', {}, [userLink(ui), U[ui][1] ? ' (' + U[ui][1] + ')' : '']) }))
        : el('p', {}, [data.membersKnown ? 'No members.' : 'Members unknown: the snapshot has no group memberships.']),
      el('h3', {}, ['Assigned']),
      table(['Account', 'Permission set'], assigned.map(function (xi) {
        return el('tr', {}, [accountCell(X[xi][0]), permissionSetCell(X[xi][1])])
      })),
    ])
  }

  // Links to #u<n> (a person) and #g<n> (a group) open the pop-up; without the script they jump to the lists.
  function open(target) {
    var m = /^#([ug])(\d+)$/.exec(target || '')
    if (!m || !(m[1] === 'u' ? U : G)[m[2]]) return false
    if (m[1] === 'u') showPerson(Number(m[2]))
    else showGroup(Number(m[2]))
    return true
  }
  doc.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#u"],a[href^="#g"]')
    if (link && open(link.getAttribute('href'))) event.preventDefault()
  })
  open(location.hash)

  // The filter: rows, columns, OU groups, people and groups that match, without reloading.
  var q = doc.getElementById('q'), field = doc.getElementById('field'), count = doc.getElementById('count')
  doc.getElementById('toolbar-filter').hidden = false
  var matrix = doc.getElementById('matrix-table')
  var rows = [], heads = []
  if (matrix) {
    matrix.querySelectorAll('tr[data-a]').forEach(function (tr) { rows[Number(tr.getAttribute('data-a'))] = tr })
    matrix.querySelectorAll('th[data-p]').forEach(function (th) { heads[Number(th.getAttribute('data-p'))] = th })
  }
  var peopleRows = doc.querySelectorAll('#people tr[id]')
  var groupItems = doc.querySelectorAll('#groups details[id]')
  function lower(s) { return String(s || '').toLowerCase() }
  var accountText = A.map(function (a) { return lower(a[0] + ' ' + a[1] + ' ' + (a[2] || '')) })
  var setText = P.map(function (p) { return lower(p[0]) })
  var userText = U.map(function (u) { return lower(u[0] + ' ' + (u[1] || '') + ' ' + (u[2] || '')) })
  var groupText = G.map(function (g) { return lower(g[0]) })
  var columnShown = P.map(function () { return true })

  function matching(texts, text, on) {
    var hit = {}
    if (on) texts.forEach(function (t, i) { if (t.indexOf(text) >= 0) hit[i] = true })
    return hit
  }

  function apply() {
    var text = lower(q.value.trim()), kind = field.value, on = text !== ''
    var mA = matching(accountText, text, on && (kind === 'any' || kind === 'account'))
    var mP = matching(setText, text, on && (kind === 'any' || kind === 'ps'))
    var mU = matching(userText, text, on && (kind === 'any' || kind === 'person'))
    var mG = matching(groupText, text, on && (kind === 'any' || kind === 'group'))
    // A group matches a person search when that person is in it: the cell shows where the person reaches.
    var gHit = G.map(function (g, gi) { return mG[gi] || g[1].some(function (ui) { return mU[ui] }) })
    var reachUsers = {}, reachGroups = {}, shownRows = 0, shownColumns = 0
    var wanted = P.map(function () { return !on })
    rows.forEach(function (tr, ai) {
      var byAccount = !on || mA[ai], rowShown = byAccount
      for (var pi = 0; pi < NP; pi++) {
        var cell = cells[ai * NP + pi], td = tr.cells[pi + 1], hit = false
        if (cell && on && !byAccount)
          hit = Boolean(mP[pi] || cell.u.some(function (ui) { return mU[ui] }) || cell.g.some(function (gi) { return gHit[gi] }))
        if (cell && on && (byAccount || hit)) wanted[pi] = true
        // "Who reaches these accounts / permission sets": everyone in the cells they select.
        if (cell && on && (mA[ai] || mP[pi])) {
          cell.u.forEach(function (ui) { reachUsers[ui] = true })
          cell.g.forEach(function (gi) { reachGroups[gi] = true; G[gi][1].forEach(function (ui) { reachUsers[ui] = true }) })
        }
        td.classList.toggle('hit', hit)
        td.classList.toggle('dim', Boolean(cell) && on && !byAccount && !hit)
        rowShown = rowShown || hit
      }
      tr.hidden = !rowShown
      if (rowShown) shownRows++
    })
    wanted.forEach(function (show, pi) {
      if (show) shownColumns++
      if (show === columnShown[pi]) return
      columnShown[pi] = show
      heads[pi].hidden = !show
      rows.forEach(function (tr) { tr.cells[pi + 1].hidden = !show })
    })
    if (matrix) Array.prototype.forEach.call(matrix.tBodies, function (body) {
      body.hidden = !Array.prototype.some.call(body.rows, function (tr) { return tr.hasAttribute('data-a') && !tr.hidden })
    })
    var shownPeople = 0
    peopleRows.forEach(function (tr) {
      var ui = Number(tr.id.slice(1))
      tr.hidden = on && !(mU[ui] || reachUsers[ui] || groupsOf[ui].some(function (gi) { return mG[gi] }))
      if (!tr.hidden) shownPeople++
    })
    groupItems.forEach(function (d) {
      var gi = Number(d.id.slice(1))
      d.hidden = on && !(gHit[gi] || reachGroups[gi])
    })
    count.textContent = on
      ? shownRows + ' of ' + A.length + ' accounts, ' + shownColumns + ' of ' + NP + ' permission sets, ' + shownPeople + ' of ' + U.length + ' people'
      : ''
    // What is applied now, for scripts and tests that drive the page.
    doc.documentElement.setAttribute('data-filter', kind + ':' + text)
  }

  var timer = 0
  function later() { clearTimeout(timer); timer = setTimeout(apply, 120) }
  q.addEventListener('input', later)
  field.addEventListener('change', apply)
  q.addEventListener('keydown', function (event) { if (event.key === 'Escape') { q.value = ''; apply() } })
  doc.addEventListener('keydown', function (event) {
    var t = event.target.tagName
    if (event.key === '/' && t !== 'INPUT' && t !== 'SELECT' && t !== 'TEXTAREA' && !dialog.open) {
      event.preventDefault()
      q.focus()
    }
  })
  doc.getElementById('print').addEventListener('click', function () { window.print() })
  window.addEventListener('beforeprint', function () {
    doc.querySelectorAll('details').forEach(function (d) { d.open = true })
  })
  if (q.value) apply()
  doc.documentElement.setAttribute('data-ready', '')
})()
`.trim()

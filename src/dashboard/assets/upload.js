// SPDX-License-Identifier: EUPL-1.2
// The upload page: sends each chosen file as its own application/xml request (the dashboard has no
// multipart parser), with the CSRF token in a header, and shows what each offer became. Text only
// (textContent): nothing from a file or an answer is ever read as HTML.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var input = document.getElementById('upload-files');
  var out = document.getElementById('upload-results');
  if (!form || !input || !out) return;
  var W = JSON.parse(input.getAttribute('data-words') || '{}');
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function show(name, r) {
    var s = el('section', undefined, 'upload-report');
    s.appendChild(el('h2', name + ': ' + (r.verdict === 'done' ? W.done : W.rejectedFile)));
    if (r.reason) s.appendChild(el('pre', r.reason, 'reason'));
    if (r.offers && r.offers.length) {
      var table = el('table', undefined, 'grid');
      var head = el('tr');
      [W.colOffer, W.colCode, W.colTitle, W.colBecame, W.colReason].forEach(function (h) { var th = el('th', h); th.scope = 'col'; head.appendChild(th); });
      table.appendChild(el('thead')).appendChild(head);
      var body = table.appendChild(el('tbody'));
      r.offers.forEach(function (o) {
        var tr = el('tr', undefined, 'became-' + o.became);
        [String(o.index + 1), o.code || '—', o.title || '—', W[o.became] || o.became, o.reason || ''].forEach(function (v) { tr.appendChild(el('td', v)); });
        body.appendChild(tr);
      });
      s.appendChild(table);
    }
    out.appendChild(s);
  }
  form.addEventListener('submit', function (ev) {
    if (!input.files || !input.files.length) return; // the pasted document goes as a normal form
    ev.preventDefault();
    var publisher = form.elements.namedItem('publisher').value;
    var csrf = form.elements.namedItem('_csrf').value;
    out.textContent = '';
    var files = Array.prototype.slice.call(input.files);
    var status = el('p', W.sending); status.setAttribute('role', 'status'); out.appendChild(status);
    files.reduce(function (p, f) {
      return p.then(function () { return f.arrayBuffer(); }).then(function (buf) {
        return fetch('/actions/upload/' + encodeURIComponent(publisher) + '?name=' + encodeURIComponent(f.name), {
          method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/xml', 'X-CSRF-Token': csrf, Accept: 'application/json' }, body: buf,
        });
      }).then(function (res) {
        return res.json().then(function (j) { if (res.ok) show(f.name, j); else out.appendChild(el('p', f.name + ': ' + W.failed + ' (' + res.status + ')', 'error')); });
      }).catch(function () { out.appendChild(el('p', f.name + ': ' + W.failed, 'error')); });
    }, Promise.resolve()).then(function () { status.remove(); });
  });
})();

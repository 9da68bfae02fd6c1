// SPDX-License-Identifier: EUPL-1.2
// Live updates for the overview: polls the JSON API and rewrites text only (textContent, never HTML).
// Keep the wording rules in step with views/channel-text.ts.
(function () {
  'use strict';
  var dataEl = document.getElementById('live-data');
  if (!dataEl) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var T = data.t || {};
  var locale = data.lang === 'en' ? 'en-GB' : 'it-IT';
  var zone = data.timeZone || 'Europe/Rome';
  var df = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone });
  // "dati fermi alle 10:42": hours and minutes of the last data shown, in the dashboard's zone.
  var hm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  var lastGood = data.generatedAt || Date.now();
  function fmt(s, p) { return String(s).replace(/\{(\w+)\}/g, function (m, k) { return p && k in p ? String(p[k]) : m; }); }
  function time(ms) { return df.format(new Date(ms)); }
  function windowText(ms) {
    if (ms % 86400000 === 0) return (ms / 86400000 === 1 ? 24 : ms / 3600000) + ' h';
    if (ms % 3600000 === 0) return ms / 3600000 + ' h';
    if (ms % 60000 === 0) return ms / 60000 + ' min';
    return Math.round(ms / 1000) + ' s';
  }
  function stateText(ch) {
    if (ch.state === 'active' || !ch.paused) return T.stateActive;
    var p = ch.paused;
    if (p.kind === 'auth') return T.stateAuth + (p.reason ? ': ' + p.reason : '');
    var why = p.kind === 'operator' ? fmt(T.pauseKindOperator, { who: p.by || '?' })
      : p.kind === 'blocked' ? T.pauseKindBlocked : p.kind === 'suspended' ? T.pauseKindSuspended
        : p.kind === 'permission' ? T.pauseKindPermission : T.pauseKindUsageCap;
    return fmt(T.pausedBy, { reason: p.reason && p.kind !== 'operator' ? why + ' (' + p.reason + ')' : why });
  }
  var ACCOUNT_PAUSES = { auth: 1, blocked: 1, suspended: 1, permission: 1 };
  function stateClass(ch) { return ch.state === 'active' ? 'ok' : (ch.paused && ACCOUNT_PAUSES[ch.paused.kind] ? 'bad' : 'warn'); }

  function updateChannels(status) {
    (status.channels || []).forEach(function (ch) {
      var row = document.querySelector('tr[data-channel="' + CSS.escape(ch.publisher + '/' + ch.network) + '"]');
      if (!row) return;
      var st = row.querySelector('[data-field="state"]');
      st.textContent = stateText(ch);
      st.className = 'state ' + stateClass(ch);
      row.querySelector('[data-field="counts"]').textContent = fmt(T.counts, ch.counts);
      var held = row.querySelector('[data-field="held"]');
      if (held) held.textContent = String(ch.counts.held);
      var posted = row.querySelector('[data-field="posted"]');
      if (posted) posted.textContent = String(ch.counts.posted);
      var lastError = row.querySelector('[data-field="lastError"]');
      if (lastError) {
        var e = ch.lastError;
        lastError.textContent = e ? fmt(T.a11y_lastError, { class: T['class_' + e.errorClass] || e.errorClass, message: e.message, at: time(e.at) }) : T.a11y_noError;
        lastError.className = e ? 'error' : '';
      }
      var limits = row.querySelector('[data-field="limits"]');
      limits.textContent = '';
      if (!ch.limits.length) limits.textContent = T.dash;
      else {
        var ul = document.createElement('ul'); ul.className = 'plain';
        ch.limits.forEach(function (l) {
          var li = document.createElement('li');
          var next = l.nextFreeAt <= status.generatedAt ? T.limitFreeNow : fmt(T.limitNextFree, { at: time(l.nextFreeAt) });
          li.textContent = fmt(T.limitWindow, { used: l.used, max: l.max, per: windowText(l.perMs) }) + ' · ' + next;
          ul.appendChild(li);
        });
        limits.appendChild(ul);
      }
      var paused = ch.state === 'paused';
      var pf = row.querySelector('form[data-action="pause"]');
      var rf = row.querySelector('form[data-action="resume"]');
      // Never hide the button that has focus: keyboard users would lose their place.
      if (pf && rf && !pf.contains(document.activeElement) && !rf.contains(document.activeElement)) { pf.hidden = paused; rf.hidden = !paused; }
    });
  }

  function updateRecent(posts) {
    var list = document.getElementById('recent');
    if (!list) return;
    var empty = document.getElementById('recent-empty');
    if (empty && posts.length) empty.remove();
    list.textContent = '';
    posts.forEach(function (p) {
      var li = document.createElement('li');
      var when = document.createElement('span'); when.className = 'when'; when.textContent = time(p.postedAt);
      li.appendChild(when);
      li.appendChild(document.createTextNode(' · ' + (T['network_' + p.network] || p.network) + ' · ' + (data.names[p.publisher] || p.publisher) + ' · '));
      var a = document.createElement('a');
      a.href = '/offers/' + encodeURIComponent(p.publisher) + '/' + encodeURIComponent(p.offerKey);
      a.textContent = (p.code ? p.code + ' — ' : '') + p.title;
      li.appendChild(a);
      if (p.permalink && /^https?:\/\//i.test(p.permalink)) {
        li.appendChild(document.createTextNode(' · '));
        var link = document.createElement('a');
        link.href = p.permalink; link.rel = 'noopener noreferrer'; link.target = '_blank';
        link.textContent = T.openPost;
        var sr = document.createElement('span'); sr.className = 'sr-only'; sr.textContent = ' (' + p.title + ')';
        link.appendChild(sr);
        li.appendChild(link);
      }
      list.appendChild(li);
    });
  }

  var leaving = false;
  function signInAgain() {
    // Both requests of a tick may answer 401: navigate once.
    if (leaving) return;
    leaving = true;
    window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
  }

  function getJson(url) {
    // X-Banditore-Live: polling is not activity, so an unattended page still reaches the idle timeout.
    return fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json', 'x-banditore-live': '1' } })
      .then(function (r) {
        // The session ended (idle, too old, or signed out elsewhere): sign in again, then come back.
        if (r.status === 401) { signInAgain(); throw new Error('401'); }
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
  }

  function tick() {
    var live = document.getElementById('live');
    if (leaving) return;
    Promise.all([getJson('/api/status'), getJson('/api/recent')]).then(function (res) {
      updateChannels(res[0]);
      updateRecent(res[1]);
      lastGood = res[0].generatedAt;
      if (live) { live.textContent = fmt(T.liveUpdated, { at: time(res[0].generatedAt) }); live.classList.remove('stale'); }
      var alertEl = document.getElementById('live-alert');
      if (alertEl) alertEl.textContent = '';
    }).catch(function () {
      if (leaving) return;
      // Keep the last view, but say how old it is; the next tick tries again.
      var text = fmt(T.liveStale, { at: hm.format(new Date(lastGood)) });
      // The routine "updated at" line is not announced (every 5 s would drown a screen reader); data going
      // stale is, once.
      var alert = document.getElementById('live-alert');
      if (alert && live && !live.classList.contains('stale')) alert.textContent = text;
      if (live) { live.textContent = text; live.classList.add('stale'); }
    });
  }
  setInterval(tick, 5000);
})();

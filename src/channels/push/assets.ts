// SPDX-License-Identifier: EUPL-1.2
/**
 * The app's static parts, small and framework-free: the script of the page (service worker, opt-in
 * button), the service worker (offline copy of the latest offers; shows notifications), the manifest
 * (installable), the style and the icon. Scripts are files, never inline: the CSP forbids inline script.
 */

/** The page's script: registers the service worker and, where the browser can, offers notifications. */
export const APP_JS = `'use strict';
(function () {
  var body = document.body;
  var base = body.dataset.base;
  var words = JSON.parse(body.dataset.words || '{}');
  var offline = document.getElementById('offline');
  function online() { if (offline) offline.hidden = navigator.onLine !== false; }
  window.addEventListener('online', online); window.addEventListener('offline', online); online();
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(base + 'sw.js', { scope: base }).catch(function () {});
  if (!('PushManager' in window) || !('Notification' in window)) return;
  var panel = document.getElementById('notifiche');
  var on = document.getElementById('attiva');
  var off = document.getElementById('disattiva');
  var state = document.getElementById('stato');
  panel.hidden = false;
  function list(id) { return document.getElementById(id).value.split(',').map(function (s) { return s.trim(); }).filter(Boolean); }
  function prefs() {
    var kinds = Array.prototype.slice.call(document.querySelectorAll('input[name="pref-contratti"]:checked')).map(function (c) { return c.value; });
    return { places: list('pref-luoghi'), contracts: kinds, words: list('pref-parole') };
  }
  function key(s) {
    var raw = atob((s + '==='.slice((s.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }
  function send(method, path, data) {
    return fetch(base + path, { method: method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(data), credentials: 'omit' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r; });
  }
  function refresh() {
    return navigator.serviceWorker.ready.then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(function (sub) { on.hidden = Boolean(sub); off.hidden = !sub; });
  }
  on.addEventListener('click', function () {
    on.disabled = true;
    Notification.requestPermission().then(function (perm) {
      if (perm !== 'granted') { state.textContent = words.denied; return; }
      return navigator.serviceWorker.ready
        .then(function (reg) { return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(body.dataset.vapid) }); })
        .then(function (sub) { return send('POST', 'iscrizioni', { subscription: sub.toJSON(), preferences: prefs() }); })
        .then(function () { state.textContent = words.on; });
    }).catch(function () { state.textContent = words.failed; })
      .then(function () { on.disabled = false; return refresh(); });
  });
  off.addEventListener('click', function () {
    navigator.serviceWorker.ready.then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) return;
      return send('DELETE', 'iscrizioni', { endpoint: sub.endpoint }).catch(function () {}).then(function () { return sub.unsubscribe(); });
    }).then(function () { state.textContent = words.off; return refresh(); });
  });
  refresh().catch(function () {});
})();
`;

/** The service worker of one publisher's app; `topic` tags its notifications so a new one replaces the shown one. */
export function serviceWorker(o: { tag: string; fallbackTitle: string }): string {
  return `'use strict';
var CACHE = 'banditore-app-1';
var SCOPE = self.registration.scope;
var TAG = ${JSON.stringify(o.tag)};
var FALLBACK = ${JSON.stringify(o.fallbackTitle)};
var SHELL = [SCOPE, SCOPE + 'offerte.json', SCOPE + 'app.js', SCOPE + 'app.css', SCOPE + 'icon.svg', SCOPE + 'manifest.webmanifest'];
self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});
// Network first, so the list is fresh when online; the last copy when offline.
self.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET' || req.url.indexOf(SCOPE) !== 0 || req.url.indexOf(SCOPE + 'sw.js') === 0) return;
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { return c.put(req, copy); }); }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) { return hit || (req.mode === 'navigate' ? caches.match(SCOPE) : undefined) || Response.error(); });
  }));
});
self.addEventListener('push', function (e) {
  var data = {};
  try { data = e.data ? e.data.json() : {}; } catch (err) { data = {}; }
  e.waitUntil(self.registration.showNotification(data.title || FALLBACK, {
    body: data.body || '', tag: TAG, renotify: true, icon: SCOPE + 'icon.svg', data: { url: data.url || SCOPE },
  }));
});
self.addEventListener('notificationclick', function (e) {
  e.notification.close();
  var url = (e.notification.data && e.notification.data.url) || SCOPE;
  e.waitUntil(self.clients.openWindow(url));
});
`;
}

export function manifest(o: { name: string; shortName: string; description: string; base: string }): string {
  return JSON.stringify({
    name: o.name,
    short_name: o.shortName,
    description: o.description,
    lang: 'it',
    dir: 'ltr',
    start_url: o.base,
    scope: o.base,
    id: o.base,
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#0b4f8a',
    icons: [{ src: `${o.base}icon.svg`, sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  });
}

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#0b4f8a"/><path d="M176 176v-32a32 32 0 0 1 32-32h96a32 32 0 0 1 32 32v32h48a32 32 0 0 1 32 32v160a32 32 0 0 1-32 32H128a32 32 0 0 1-32-32V208a32 32 0 0 1 32-32zm32 0h96v-32h-96z" fill="#fff"/></svg>`;

/** Light, readable, large targets; contrast of at least 4.5:1 everywhere. */
export const APP_CSS = `*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header{background:#0b4f8a;color:#fff;padding:1rem}
header h1{margin:0;font-size:1.5rem}
header p{margin:.25rem 0 0}
main{max-width:48rem;margin:0 auto;padding:1rem}
form[role=search]{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin-bottom:1rem}
.field{display:flex;flex-direction:column;gap:.25rem;min-width:12rem;flex:1}
label,legend{font-weight:600}
input,select,button{font:inherit;padding:.5rem;min-height:2.75rem;border:1px solid #555;border-radius:4px}
button{background:#0b4f8a;color:#fff;border-color:#0b4f8a;cursor:pointer}
:focus-visible{outline:3px solid #c25e00;outline-offset:2px}
.hint{font-size:.9rem;color:#444;margin:0}
.offerte{list-style:none;padding:0;margin:0}
.offerte li{border:1px solid #ccc;border-radius:6px;padding:.75rem 1rem;margin-bottom:.75rem}
.offerte h2{font-size:1.15rem;margin:0 0 .5rem}
.offerte a{color:#0b4f8a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0}
#notifiche{border-top:2px solid #0b4f8a;margin-top:2rem;padding-top:1rem}
fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0}
.check{display:flex;gap:.5rem;align-items:center;min-height:2rem}
.check input{min-height:auto}
.check label{font-weight:400}
.notice{background:#fff4d6;border:1px solid #8a6d00;padding:.5rem;border-radius:4px}
[hidden]{display:none!important}
`;

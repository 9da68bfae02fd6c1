// SPDX-License-Identifier: EUPL-1.2
/**
 * The app's one page: the open offers, a search that works without script (a GET form; the server
 * filters), and the notifications panel that app.js shows where the browser can subscribe. One h1, every
 * field labelled, the count announced, plain links: usable with a keyboard and a screen reader.
 */
import { html, safeHref, type Html } from '../../web/html.ts';
import type { I18n } from '../../i18n/index.ts';
import type { JobOffer } from '../../domain/offer.ts';
import { CONTRACT_KINDS, CONTRACT_KIND_LABELS, type ContractKind } from '../audience/preferences.ts';
import { deadlineOf, placeOf } from './notice.ts';

export interface Search { place: string; contract: ContractKind | '' }

export interface PageInput {
  t: I18n;
  publisherName: string;
  base: string;
  vapidPublicKey: string;
  timeZone: string;
  search: Search;
  offers: readonly JobOffer[];
}

function offerItem(o: JobOffer, p: PageInput): Html {
  const deadline = deadlineOf(o, p.timeZone);
  const href = safeHref(o.url);
  return html`<li id="o-${o.key}"><article aria-labelledby="t-${o.key}">
<h2 id="t-${o.key}">${href ? html`<a href="${href}">${o.title}</a>` : o.title}</h2>
<dl>
<dt>${p.t.t('push_app_where')}</dt><dd>${placeOf(o) ?? p.t.t('push_app_notSaid')}</dd>
<dt>${p.t.t('push_app_contract')}</dt><dd>${o.contract ?? p.t.t('push_app_notSaid')}</dd>
<dt>${p.t.t('push_app_deadline')}</dt><dd>${deadline ?? p.t.t('push_app_notSaid')}</dd>
</dl>
</article></li>`;
}

export function renderPage(p: PageInput): string {
  const { t } = p;
  const filtered = p.search.place !== '' || p.search.contract !== '';
  const words = {
    on: t.t('push_app_notify_done'), off: t.t('push_app_notify_stopped'), denied: t.t('push_app_notify_denied'),
    failed: t.t('push_app_notify_failed'), offline: t.t('push_app_offline'),
  };
  const page = html`<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.t('push_app_name', { name: p.publisherName })}</title>
<meta name="description" content="${t.t('push_app_description', { name: p.publisherName })}">
<meta name="theme-color" content="#0b4f8a">
<link rel="manifest" href="${p.base}manifest.webmanifest">
<link rel="icon" href="${p.base}icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${p.base}app.css">
<script src="${p.base}app.js" defer></script>
</head>
<body data-base="${p.base}" data-vapid="${p.vapidPublicKey}" data-words="${JSON.stringify(words)}">
<header>
<h1>${t.t('push_app_title')}</h1>
<p>${p.publisherName}</p>
</header>
<main>
<p id="offline" class="notice" role="status" hidden>${words.offline}</p>
<form method="get" action="${p.base}" role="search" aria-label="${t.t('push_app_search')}">
<div class="field"><label for="luogo">${t.t('push_app_place')}</label>
<input id="luogo" name="luogo" type="search" value="${p.search.place}" aria-describedby="luogo-aiuto" autocomplete="address-level2" maxlength="80">
<p id="luogo-aiuto" class="hint">${t.t('push_app_placeHint')}</p></div>
<div class="field"><label for="contratto">${t.t('push_app_contract')}</label>
<select id="contratto" name="contratto">
<option value="">${t.t('push_app_anyContract')}</option>
${CONTRACT_KINDS.map((k) => html`<option value="${k}"${p.search.contract === k ? html` selected` : ''}>${CONTRACT_KIND_LABELS[k]}</option>`)}
</select></div>
<button type="submit">${t.t('push_app_searchButton')}</button>
${filtered ? html`<a class="reset" href="${p.base}">${t.t('push_app_reset')}</a>` : ''}
</form>
<p id="conteggio" role="status">${t.t('push_app_count', { n: p.offers.length })}</p>
<ul class="offerte" aria-label="${t.t('push_app_listLabel')}">
${p.offers.map((o) => offerItem(o, p))}
</ul>
<section id="notifiche" aria-labelledby="notifiche-titolo" hidden>
<h2 id="notifiche-titolo">${t.t('push_app_notify_title')}</h2>
<p>${t.t('push_app_notify_intro')}</p>
<div class="field"><label for="pref-luoghi">${t.t('push_app_notify_places')}</label>
<input id="pref-luoghi" type="text" maxlength="400" autocomplete="off"></div>
<fieldset><legend>${t.t('push_app_notify_contracts')}</legend>
${CONTRACT_KINDS.map((k) => html`<div class="check"><input type="checkbox" id="pref-c-${k}" name="pref-contratti" value="${k}"><label for="pref-c-${k}">${CONTRACT_KIND_LABELS[k]}</label></div>`)}
</fieldset>
<div class="field"><label for="pref-parole">${t.t('push_app_notify_words')}</label>
<input id="pref-parole" type="text" maxlength="400" autocomplete="off"></div>
<button type="button" id="attiva">${t.t('push_app_notify_on')}</button>
<button type="button" id="disattiva" hidden>${t.t('push_app_notify_off')}</button>
<p id="stato" role="status" aria-live="polite"></p>
<p class="hint">${t.t('push_app_privacy')}</p>
</section>
</main>
</body>
</html>
`;
  return page.value;
}

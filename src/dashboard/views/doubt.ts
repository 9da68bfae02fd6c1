// SPDX-License-Identifier: EUPL-1.2
/**
 * Posts in doubt on the dashboard: the overview's "In dubbio" section (how many, which, since when) and,
 * on an offer's page, the three answers an operator may give for one post: "segna come pubblicato"
 * (with the post's id or address when they know them), "segna come non pubblicato", "invia comunque".
 */
import { html } from '../../web/html.ts';
import { csrfField, type PageContext } from './layout.ts';
import type { InDoubtPost } from '../../state/operator.ts';
import type { NetworkName } from '../../domain/offer.ts';

const offerHref = (publisher: string, key: string) => `/offers/${encodeURIComponent(publisher)}/${encodeURIComponent(key)}`;

export function doubtSection(ctx: PageContext, posts: InDoubtPost[], names: Map<string, string>, total = posts.length) {
  const { t } = ctx.i18n;
  const n = Math.max(total, posts.length);
  return html`<section aria-labelledby="doubt-h" id="in-doubt">
<h2 id="doubt-h">${t('doubt_title')} <span class="count" data-field="doubt-count">(${String(n)})</span></h2>
<p>${n ? t('doubt_count', { n }) : t('doubt_none')}</p>
${posts.length ? html`<p><small>${t('doubt_intro')}</small></p>
<table class="grid" id="doubt">
<caption class="sr-only">${t('doubt_title')}</caption>
<thead><tr><th scope="col">${t('colOffer')}</th><th scope="col">${t('colPublisher')}</th><th scope="col">${t('colNetwork')}</th><th scope="col">${t('colState')}</th><th scope="col">${t('doubt_since')}</th><th scope="col">${t('doubt_attempts')}</th></tr></thead>
<tbody>${posts.map((p) => html`<tr data-doubt="${p.publisher}/${p.network}/${p.offerKey}">
<th scope="row"><a href="${offerHref(p.publisher, p.offerKey)}">${p.code ? `${p.code} — ` : ''}${p.title}</a></th>
<td>${names.get(p.publisher) ?? p.publisher}</td>
<td>${ctx.i18n.network(p.network)}</td>
<td>${ctx.i18n.tOr(`doubt_state_${p.state}`, p.state)}${p.leftToOperator ? html`<br><small>${t('doubt_leftToOperator')}</small>` : ''}</td>
<td>${ctx.i18n.time(p.since)}</td>
<td>${String(p.attempts)}</td>
</tr>`)}</tbody>
</table>` : ''}
</section>`;
}

/** The three answers for the post of one offer on one network (only for people who may act). */
export function doubtForms(ctx: PageContext, publisher: string, network: NetworkName, key: string) {
  const { t } = ctx.i18n;
  if (ctx.canAct === false) return '';
  const back = offerHref(publisher, key);
  const hidden = html`${csrfField(ctx)}<input type="hidden" name="publisher" value="${publisher}"><input type="hidden" name="network" value="${network}">
<input type="hidden" name="key" value="${key}"><input type="hidden" name="back" value="${back}">`;
  const id = `doubt-${network}`;
  return html`<section class="doubt-actions" aria-labelledby="${id}-h">
<h3 id="${id}-h">${t('doubt_actionsFor', { network: ctx.i18n.network(network) })}</h3>
<form method="post" action="/actions/mark-posted" data-action="mark-posted">${hidden}
<p><label for="${id}-remote">${t('doubt_remoteId')}</label> <input id="${id}-remote" name="remoteId" type="text" maxlength="200" autocomplete="off"></p>
<p><label for="${id}-link">${t('doubt_permalink')}</label> <input id="${id}-link" name="permalink" type="url" maxlength="500" autocomplete="off"></p>
<button type="submit">${t('doubt_markPosted')}</button></form>
<form method="post" action="/actions/mark-not-posted" data-action="mark-not-posted">${hidden}
<button type="submit">${t('doubt_markNotPosted')}</button></form>
<form method="post" action="/actions/send-anyway" data-action="send-anyway">${hidden}
<p id="${id}-warn"><small>${t('doubt_sendAnywayWarn')}</small></p>
<button type="submit" class="danger" aria-describedby="${id}-warn">${t('doubt_sendAnyway')}</button></form>
</section>`;
}

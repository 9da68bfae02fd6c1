// SPDX-License-Identifier: EUPL-1.2
/** `/offers`: search by code or title, filter by publisher, network and post state. */
import { html } from '../../web/html.ts';
import { layout, type PageContext } from './layout.ts';
import type { OfferQuery, OfferView, PostState } from '../../state/operator.ts';

export const POST_STATES: readonly PostState[] = ['queued', 'sending', 'posted', 'failed', 'unknown', 'skipped', 'cancelled', 'closed', 'held'];

export function offersPage(ctx: PageContext, q: OfferQuery, result: { total: number; offers: OfferView[] }, publishers: Array<{ id: string; name: string; networks: readonly string[] }>): string {
  // Only the networks some publisher uses: an office never filters by a network nobody posts to.
  const networks = [...new Set(publishers.flatMap((p) => p.networks))];
  const { t } = ctx.i18n;
  const opt = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
  const form = html`<form method="get" action="/offers" class="filters" role="search">
<p><label for="search">${t('searchLabel')}</label><br><input id="search" name="search" type="search" value="${q.search ?? ''}"></p>
<p><label for="publisher">${t('filterPublisher')}</label><br><select id="publisher" name="publisher">${opt('', t('filterAny'), q.publisher)}${publishers.map((p) => opt(p.id, p.name, q.publisher))}</select></p>
<p><label for="network">${t('filterNetwork')}</label><br><select id="network" name="network">${opt('', t('filterAny'), q.network)}${networks.map((n) => opt(n, ctx.i18n.network(n), q.network))}</select></p>
<p><label for="state">${t('filterState')}</label><br><select id="state" name="state">${opt('', t('filterAny'), q.state)}${POST_STATES.map((s) => opt(s, t(`post_${s}`), q.state))}</select></p>
<p><button type="submit">${t('filterSubmit')}</button></p>
</form>`;
  const names = new Map(publishers.map((p) => [p.id, p.name]));
  const table = result.offers.length ? html`<table class="grid">
<caption>${t('offersFound', { n: result.total })}</caption>
<thead><tr><th scope="col">${t('colCode')}</th><th scope="col">${t('colTitle')}</th><th scope="col">${t('colPublisher')}</th><th scope="col">${t('colState')}</th></tr></thead>
<tbody>${result.offers.map((o) => html`<tr>
<td>${o.code ?? t('dash')}</td>
<th scope="row"><a href="/offers/${encodeURIComponent(o.publisher)}/${encodeURIComponent(o.key)}">${o.title}</a></th>
<td>${names.get(o.publisher) ?? o.publisher}</td>
<td><ul class="plain">${o.channels.map((c) => html`<li>${ctx.i18n.network(c.network)}: ${t(`post_${c.state}`)}</li>`)}</ul></td>
</tr>`)}</tbody></table>` : html`<p>${t('noOffers')}</p>`;
  return layout(ctx, t('offersTitle'), html`${form}${table}`);
}

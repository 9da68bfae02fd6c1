// SPDX-License-Identifier: EUPL-1.2
/**
 * `/offers/{publisher}/{key}/cancel`: what "non pubblicare più" will do to this offer, network by network,
 * before anything is done; a plain form confirms it (no script needed). The consequences are read from
 * the posts' states the way the cancel itself treats them (src/poller/close-offer.ts): posts not yet sent
 * are cancelled, posts already out stay (nobody closes them), posts in doubt stay if they show up.
 */
import { html, safeHref } from '../../web/html.ts';
import { csrfField, layout, type PageContext } from './layout.ts';
import type { OfferView } from '../../state/operator.ts';

/** Post states the cancel stops (close-offer.ts CANCELLABLE). */
const STOPPED = new Set(['queued', 'held', 'failed']);

export function cancelPath(o: Pick<OfferView, 'publisher' | 'key'>): string {
  return `/offers/${encodeURIComponent(o.publisher)}/${encodeURIComponent(o.key)}/cancel`;
}

export function cancelConfirmPage(ctx: PageContext, o: OfferView, publisherName: string, back: string): string {
  const { t } = ctx.i18n;
  const title = t('a11y_cancelTitle', { code: o.code ?? o.key });
  const offerHref = `/offers/${encodeURIComponent(o.publisher)}/${encodeURIComponent(o.key)}`;
  if (o.state !== 'open') {
    return layout(ctx, title, html`<p>${t('a11y_cancelNotOpen')}</p><p><a href="${offerHref}">${t('a11y_cancelKeep')}</a></p>`);
  }
  const net = (n: string) => ctx.i18n.network(n);
  const stops = o.channels.filter((c) => STOPPED.has(c.state)).map((c) => net(c.network));
  const stays = o.channels.filter((c) => c.state === 'posted');
  const doubt = o.channels.filter((c) => c.state === 'sending' || c.state === 'unknown').map((c) => net(c.network));
  // Links to the posts that stay, so the operator can close them on the network.
  const staying = stays.map((c) => {
    const href = safeHref(c.permalink);
    return html`<li>${href ? html`<a href="${href}" rel="noopener noreferrer">${t('openPost')}<span class="sr-only"> (${net(c.network)})</span></a> · ${net(c.network)}` : net(c.network)}</li>`;
  });
  return layout(ctx, title, html`<p><strong>${o.title}</strong> · ${publisherName}</p>
<section aria-labelledby="consequences-h">
<h2 id="consequences-h">${t('a11y_cancelWhat')}</h2>
<ul id="consequences">
<li>${stops.length ? t('a11y_cancelStops', { networks: stops.join(', ') }) : t('a11y_cancelNothingToStop')}</li>
${stays.length ? html`<li>${t('a11y_cancelStays', { networks: stays.map((c) => net(c.network)).join(', ') })}<ul>${staying}</ul></li>` : ''}
${doubt.length ? html`<li>${t('a11y_cancelInDoubt', { networks: doubt.join(', ') })}</li>` : ''}
<li>${t('a11y_cancelFinal')}</li>
</ul>
</section>
${ctx.canAct === false ? '' : html`<form method="post" action="/actions/cancel" class="confirm">${csrfField(ctx)}
<input type="hidden" name="publisher" value="${o.publisher}"><input type="hidden" name="key" value="${o.key}">
<input type="hidden" name="confirm" value="yes"><input type="hidden" name="back" value="${back}">
<p><button type="submit" class="danger">${t('a11y_cancelConfirm')}</button> <a href="${offerHref}">${t('a11y_cancelKeep')}</a></p>
</form>`}`);
}

// SPDX-License-Identifier: EUPL-1.2
/** `/offers/{publisher}/{key}`: the offer on each channel, with the permalink and the post as followers see it. */
import { html, safeHref } from '../../web/html.ts';
import { layout, type PageContext } from './layout.ts';
import { cancelPath } from './offer-cancel.ts';
import type { OfferView } from '../../state/operator.ts';
import { doubtForms } from './doubt.ts';

export function offerPage(ctx: PageContext, o: OfferView, publisherName: string): string {
  const { t } = ctx.i18n;
  const link = safeHref(o.url);
  const facts = html`<dl class="facts">
<dt>${t('colPublisher')}</dt><dd>${publisherName}</dd>
<dt>${t('colTitle')}</dt><dd>${o.title}</dd>
<dt>${t('offerLink')}</dt><dd>${link ? html`<a href="${link}" rel="noopener noreferrer">${o.url}</a>` : o.url}</dd>
${o.location ? html`<dt>${t('offerLocation')}</dt><dd>${o.location}</dd>` : ''}
${o.validThrough ? html`<dt>${t('offerValidThrough')}</dt><dd>${o.validThrough}</dd>` : ''}
<dt>${t('offerFirstSeen')}</dt><dd>${ctx.i18n.time(o.firstSeenAt)}</dd>
<dt>${t('offerState')}</dt><dd>${t(`offer_${o.state}`)}</dd>
</dl>`;
  const channels = o.channels.map((c) => {
    const permalink = safeHref(c.permalink);
    const p = c.preview;
    const over = p?.limit !== undefined && p.length > p.limit;
    return html`<section class="channel" aria-labelledby="ch-${c.network}">
<h2 id="ch-${c.network}">${ctx.i18n.network(c.network)}: ${t(`post_${c.state}`)}</h2>
${permalink ? html`<p><a href="${permalink}" rel="noopener noreferrer" target="_blank">${t('openPost')}</a> ${c.postedAt ? html`(${ctx.i18n.time(c.postedAt)})` : ''}</p>` : ''}
${c.lastError ? html`<p class="error">${t(`class_${c.lastError.errorClass}`)}: ${c.lastError.message}</p>` : ''}
<h3>${t('previewTitle')}</h3>
${p ? html`<blockquote class="preview">${p.text}</blockquote>
<p class="${over ? 'error' : ''}">${p.limit !== undefined ? t('previewLengthOf', { length: p.length, limit: p.limit }) : t('previewLength', { length: p.length })}</p>` : html`<p>${t('previewNone')}</p>`}
${c.inDoubt ?? (c.state === 'sending' || c.state === 'unknown') ? doubtForms(ctx, o.publisher, c.network, o.key) : ''}
</section>`;
  });
  // "Non pubblicare più" first shows what it will do (./offer-cancel.ts); nothing changes from here.
  const cancel = o.state === 'open' && ctx.canAct !== false
    ? html`<p><a class="button danger" href="${cancelPath(o)}">${t('a11y_cancelButton')}</a></p>` : '';
  return layout(ctx, t('offerTitle', { code: o.code ?? o.key }), html`${facts}${channels}${cancel}`);
}

// SPDX-License-Identifier: EUPL-1.2
/** `/failures`: failed posts grouped by error class, with the network's words; retry one or a group, cancel. */
import { html } from '../../web/html.ts';
import { csrfField, layout, type PageContext } from './layout.ts';
import type { FailureItem } from '../../state/operator.ts';
import { cancelPath } from './offer-cancel.ts';
import type { ErrorClass } from '../../channels/channel.ts';

export function failuresPage(ctx: PageContext, groups: Partial<Record<ErrorClass, FailureItem[]>>, names: Map<string, string>): string {
  const { t } = ctx.i18n;
  const entries = (Object.entries(groups) as Array<[ErrorClass, FailureItem[]]>).filter(([, items]) => items.length);
  if (!entries.length) return layout(ctx, t('failuresTitle'), html`<p>${t('noFailures')}</p>`);
  const sections = entries.map(([cls, items]) => html`<section aria-labelledby="fail-${cls}">
<h2 id="fail-${cls}">${t(`class_${cls}`)} (${items.length})</h2>
${ctx.canAct === false ? '' : html`<form method="post" action="/actions/retry-class">${csrfField(ctx)}<input type="hidden" name="errorClass" value="${cls}">
<button type="submit">${t('retryAll', { n: items.length })}</button></form>`}
<table class="grid">
<caption class="sr-only">${t(`class_${cls}`)}</caption>
<thead><tr><th scope="col">${t('colOffer')}</th><th scope="col">${t('colPublisher')}</th><th scope="col">${t('colNetwork')}</th><th scope="col">${t('colMessage')}</th><th scope="col">${t('colWhen')}</th><th scope="col">${t('colActions')}</th></tr></thead>
<tbody>${items.map((f) => {
    const labels = { network: ctx.i18n.network(f.network), title: f.title };
    return html`<tr>
<th scope="row"><a href="/offers/${encodeURIComponent(f.publisher)}/${encodeURIComponent(f.offerKey)}">${f.title}</a></th>
<td>${names.get(f.publisher) ?? f.publisher}</td>
<td>${labels.network}</td>
<td>${f.message}</td>
<td>${ctx.i18n.time(f.at)}</td>
<td class="actions">${ctx.canAct === false ? t('dash') : html`<form method="post" action="/actions/retry">${csrfField(ctx)}<input type="hidden" name="jobId" value="${f.jobId}">
<button type="submit" aria-label="${t('retryLabel', labels)}">${t('retry')}</button></form>
<a class="button danger" href="${cancelPath({ publisher: f.publisher, key: f.offerKey })}?back=/failures" aria-label="${t('a11y_cancelButtonLabel', labels)}">${t('a11y_cancelShort')}</a>`}</td>
</tr>`;
  })}</tbody></table>
</section>`);
  return layout(ctx, t('failuresTitle'), html`${sections}`);
}

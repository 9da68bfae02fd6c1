// SPDX-License-Identifier: EUPL-1.2
/** `/feeds`: each feed's last poll, result, next poll, consecutive failures and last error. */
import { html } from '../../web/html.ts';
import { layout, type PageContext } from './layout.ts';
import type { FeedStatus } from '../../state/operator.ts';

export function feedsPage(ctx: PageContext, feeds: FeedStatus[], names: Map<string, string>): string {
  const { t } = ctx.i18n;
  const result = (r: FeedStatus['lastResult']) =>
    r === 'ok' ? t('resultOk') : r === 'not-modified' ? t('resultNotModified') : r === 'error' ? t('resultError') : t('dash');
  const body = feeds.length ? html`<table class="grid">
<caption class="sr-only">${t('feedsTitle')}</caption>
<thead><tr><th scope="col">${t('colPublisher')}</th><th scope="col">${t('colUrl')}</th><th scope="col">${t('colLastPoll')}</th><th scope="col">${t('colResult')}</th><th scope="col">${t('colItems')}</th><th scope="col">${t('colNextPoll')}</th><th scope="col">${t('colFailures')}</th><th scope="col">${t('colLastError')}</th></tr></thead>
<tbody>${feeds.map((f) => html`<tr>
<td>${names.get(f.publisher) ?? f.publisher}</td>
<th scope="row" class="url">${f.url}</th>
<td>${ctx.i18n.time(f.lastPollAt)}</td>
<td class="${f.lastResult === 'error' ? 'error' : ''}">${result(f.lastResult)}</td>
<td>${f.lastItems !== undefined ? `${f.lastItems} (${f.lastNew ?? 0})` : t('dash')}</td>
<td>${ctx.i18n.time(f.nextPollAt)}</td>
<td>${f.consecutiveFailures}</td>
<td>${f.lastError ?? t('dash')}</td>
</tr>`)}</tbody></table>` : html`<p>${t('noFeeds')}</p>`;
  return layout(ctx, t('feedsTitle'), body);
}

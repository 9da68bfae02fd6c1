// SPDX-License-Identifier: EUPL-1.2
/** `/`: every channel of every publisher with its state, limits, queue counts, held and posted counts and last error; the latest posts. */
import { Html, html, safeHref } from '../../web/html.ts';
import { csrfField, layout, type PageContext } from './layout.ts';
import { countsText, lastErrorText, limitText, stateClass, stateText } from './channel-text.ts';
import type { InDoubtPost, StatusReport } from '../../state/operator.ts';
import { doubtSection } from './doubt.ts';
import type { RecentPost } from '../routes/types.ts';
import type { PublisherAudience } from '../routes/context.ts';
import { channelDefinitions } from '../../channels/registry.ts';
import { ERROR_CLASSES } from '../actions.ts';

export function recentList(ctx: PageContext, recent: RecentPost[], names: Map<string, string>) {
  const { t } = ctx.i18n;
  if (!recent.length) return html`<p id="recent-empty">${t('noRecent')}</p><ul id="recent" class="recent"></ul>`;
  return html`<ul id="recent" class="recent">${recent.map((p) => {
    const href = safeHref(p.permalink);
    return html`<li><span class="when">${ctx.i18n.time(p.postedAt)}</span> · <span class="net">${ctx.i18n.network(p.network)}</span> · ${names.get(p.publisher) ?? p.publisher} ·
<a href="/offers/${encodeURIComponent(p.publisher)}/${encodeURIComponent(p.offerKey)}">${p.code ? `${p.code} — ` : ''}${p.title}</a>
${href ? html` · <a href="${href}" rel="noopener noreferrer" target="_blank">${t('openPost')}<span class="sr-only"> (${p.title})</span></a>` : ''}</li>`;
  })}</ul>`;
}

/** Channels that keep their own followers (newsletter subscribers): how many, and their latest sends. */
function audienceSection(ctx: PageContext, audiences: readonly PublisherAudience[], names: Map<string, string>) {
  if (!audiences.length) return '';
  const { t } = ctx.i18n;
  return html`<section aria-labelledby="audience-h">
<h2 id="audience-h">${t('newsletter_dash_title')}</h2>
${audiences.map((a) => html`<h3>${names.get(a.publisher) ?? a.publisher} · ${ctx.i18n.network(a.network)}</h3>
<p data-audience="${a.publisher}/${a.network}">${t('newsletter_dash_followers', { n: a.summary.followers })}</p>
${a.summary.latest.length ? html`<table class="grid">
<caption>${t('newsletter_dash_latest')}</caption>
<thead><tr><th scope="col">${t('newsletter_dash_colSend')}</th><th scope="col">${t('newsletter_dash_colFinished')}</th><th scope="col">${t('newsletter_dash_colSent')}</th><th scope="col">${t('newsletter_dash_colDoubt')}</th><th scope="col">${t('newsletter_dash_colRefused')}</th><th scope="col">${t('newsletter_dash_colFailed')}</th></tr></thead>
<tbody>${a.summary.latest.map((l) => html`<tr><th scope="row">${ctx.i18n.time(l.startedAt)}</th><td>${l.finishedAt ? ctx.i18n.time(l.finishedAt) : t('newsletter_dash_inProgress')}</td><td>${l.sent}</td><td>${l.doubt}</td><td>${l.refused}</td><td>${l.failed}</td></tr>`)}</tbody>
</table>` : html`<p>${t('newsletter_dash_none')}</p>`}`)}
</section>`;
}

export function overviewPage(ctx: PageContext, status: StatusReport, recent: RecentPost[], names: Map<string, string>, doubt: InDoubtPost[] = [], doubtTotal = doubt.length, audiences: readonly PublisherAudience[] = []): string {
  const { t } = ctx.i18n;
  const rows = status.channels.map((ch) => {
    const id = `${ch.publisher}/${ch.network}`;
    const labels = { network: ctx.i18n.network(ch.network), publisher: names.get(ch.publisher) ?? ch.publisher };
    const paused = ch.state === 'paused';
    return html`<tr data-channel="${id}">
<th scope="row">${labels.publisher}</th>
<td>${labels.network}</td>
<td><span data-field="state" class="state ${stateClass(ch)}">${stateText(ch, ctx.i18n)}</span>
${ch.waitUntil && ch.waitUntil > status.generatedAt ? html`<br><small>${t('waitUntil', { at: ctx.i18n.time(ch.waitUntil) })}</small>` : ''}</td>
<td data-field="limits">${ch.limits.length ? html`<ul class="plain">${ch.limits.map((l) => html`<li>${limitText(l, ctx.i18n, status.generatedAt)}</li>`)}</ul>` : t('dash')}</td>
<td data-field="counts">${countsText(ch, ctx.i18n)}</td>
<td data-field="held">${ch.counts.held}</td>
<td data-field="posted">${ch.counts.posted}</td>
<td data-field="lastError"${ch.lastError ? html` class="error"` : ''}>${lastErrorText(ch, ctx.i18n)}</td>
<td>${ctx.canAct === false ? t('dash') : html`
<form method="post" action="/actions/pause" data-action="pause"${paused ? html` hidden` : ''}>${csrfField(ctx)}
<input type="hidden" name="publisher" value="${ch.publisher}"><input type="hidden" name="network" value="${ch.network}">
<button type="submit" aria-label="${t('pauseLabel', labels)}">${t('pause')}</button></form>
<form method="post" action="/actions/resume" data-action="resume"${paused ? '' : html` hidden`}>${csrfField(ctx)}
<input type="hidden" name="publisher" value="${ch.publisher}"><input type="hidden" name="network" value="${ch.network}">
<button type="submit" aria-label="${t('resumeLabel', labels)}">${t('resume')}</button></form>`}
</td>
</tr>`;
  });
  const body = html`<section aria-labelledby="channels-h">
<h2 id="channels-h">${t('channelsCaption')}</h2>
<table class="grid" id="channels">
<caption class="sr-only">${t('channelsCaption')}</caption>
<thead><tr><th scope="col">${t('colPublisher')}</th><th scope="col">${t('colNetwork')}</th><th scope="col">${t('colState')}</th><th scope="col">${t('colLimits')}</th><th scope="col">${t('colCounts')}</th><th scope="col">${t('a11y_colHeld')}</th><th scope="col">${t('a11y_colPosted')}</th><th scope="col">${t('a11y_colLastError')}</th><th scope="col">${t('colActions')}</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="live" id="live"></p>
<p class="sr-only" id="live-alert" aria-live="polite"></p>
</section>
${doubtSection(ctx, doubt, names, doubtTotal)}
<section aria-labelledby="recent-h">
<h2 id="recent-h">${t('recentTitle')}</h2>
${recentList(ctx, recent, names)}
</section>
${audienceSection(ctx, audiences, names)}
<script type="application/json" id="live-data">${jsonBlock({ ...liveStrings(ctx, names), generatedAt: status.generatedAt })}</script>`;
  return layout(ctx, t('overviewTitle'), body);
}

/** JSON inside <script>: raw (a data block is not HTML), with every `<` escaped so no `</script>` can end it. */
function jsonBlock(v: unknown): Html {
  return new Html(JSON.stringify(v).replace(/</g, '\\u003c'));
}

/** Words and names the live-update script needs (it renders text only, never HTML). */
function liveStrings(ctx: PageContext, names: Map<string, string>) {
  const { t } = ctx.i18n;
  const keys = ['stateActive', 'stateAuth', 'pausedBy', 'pauseKindOperator', 'pauseKindUsageCap', 'pauseKindBlocked', 'pauseKindSuspended', 'pauseKindPermission', 'limitWindow', 'limitNextFree',
    'limitFreeNow', 'counts', 'liveUpdated', 'liveStale', 'openPost', 'noRecent', 'dash', 'a11y_lastError', 'a11y_noError'] as const;
  const networks = channelDefinitions().map((d) => [`network_${d.id}`, d.label]);
  const classes = ERROR_CLASSES.map((c) => [`class_${c}`, t(`class_${c}`)]);
  return { lang: ctx.i18n.lang, timeZone: ctx.i18n.timeZone, t: { ...Object.fromEntries(keys.map((k) => [k, t(k)])), ...Object.fromEntries(networks), ...Object.fromEntries(classes) }, names: Object.fromEntries(names) };
}

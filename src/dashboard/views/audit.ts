// SPDX-License-Identifier: EUPL-1.2
/** `/audit`: who did what, when, for which office, and whether it worked; failed sign-ins apart (admins). */
import { html } from '../../web/html.ts';
import { layout, type PageContext } from './layout.ts';
import { auditText } from './audit-text.ts';
import type { AuditEntry, SignInFailure } from '../../state/operator.ts';
import type { CatalogKey } from '../../i18n/index.ts';

export function auditPage(ctx: PageContext, entries: AuditEntry[], failedSignIns?: SignInFailure[], names: Map<string, string> = new Map()): string {
  const { t } = ctx.i18n;
  const result = (e: AuditEntry) => (e.result === 'ok' ? t('auditOk') : e.result === 'denied' ? t('auditDenied') : t('auditError'));
  const actions = entries.length ? html`<table class="grid" id="audit">
<caption class="sr-only">${t('auditTitle')}</caption>
<thead><tr><th scope="col">${t('colWhen')}</th><th scope="col">${t('colWho')}</th><th scope="col">${t('colAction')}</th><th scope="col">${t('colOffice')}</th><th scope="col">${t('colResultAudit')}</th></tr></thead>
<tbody>${entries.map((e) => html`<tr data-action="${e.action}" data-target="${e.target}">
<td>${ctx.i18n.time(e.at)}</td><td>${e.who}</td><th scope="row">${auditText(e, ctx.i18n)}</th><td>${e.publisher ? names.get(e.publisher) ?? e.publisher : t('dash')}</td>
<td class="${e.result === 'ok' ? '' : 'error'}">${result(e)}${e.result !== 'ok' && e.detail ? ` (${e.detail})` : ''}</td>
</tr>`)}</tbody></table>` : html`<p>${t('noAudit')}</p>`;
  const signIns = failedSignIns === undefined ? '' : html`<section aria-labelledby="failed-signins-h">
<h2 id="failed-signins-h">${t('failedSignInsTitle')}</h2>
${failedSignIns.length ? html`<table class="grid" id="failed-signins">
<caption class="sr-only">${t('failedSignInsTitle')}</caption>
<thead><tr><th scope="col">${t('colWhen')}</th><th scope="col">${t('colWho')}</th><th scope="col">${t('colClient')}</th><th scope="col">${t('colReason')}</th><th scope="col">${t('colVia')}</th></tr></thead>
<tbody>${failedSignIns.map((f) => html`<tr><td>${ctx.i18n.time(f.at)}</td><th scope="row">${f.who}</th><td>${f.ip}</td><td>${t(`signInReason_${f.reason}` as CatalogKey)}${f.detail ? ` (${f.detail})` : ''}</td><td>${f.via}</td></tr>`)}</tbody></table>` : html`<p>${t('noFailedSignIns')}</p>`}
</section>`;
  return layout(ctx, t('auditTitle'), html`<section aria-labelledby="actions-h"><h2 id="actions-h" class="sr-only">${t('auditTitle')}</h2>${actions}</section>${signIns}`);
}

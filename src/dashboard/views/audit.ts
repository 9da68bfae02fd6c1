/** `/audit`: who did what, when, and whether it worked. */
import { html } from './html.ts';
import { layout, type PageContext } from './layout.ts';
import type { AuditEntry } from '../../state/operator.ts';

export function auditPage(ctx: PageContext, entries: AuditEntry[]): string {
  const { t } = ctx.i18n;
  const body = entries.length ? html`<table class="grid" id="audit">
<caption class="sr-only">${t('auditTitle')}</caption>
<thead><tr><th scope="col">${t('colWhen')}</th><th scope="col">${t('colWho')}</th><th scope="col">${t('colAction')}</th><th scope="col">${t('colTarget')}</th><th scope="col">${t('colResultAudit')}</th></tr></thead>
<tbody>${entries.map((e) => html`<tr>
<td>${ctx.i18n.time(e.at)}</td><td>${e.who}</td><th scope="row">${e.action}</th><td>${e.target}</td>
<td class="${e.result === 'error' ? 'error' : ''}">${e.result === 'ok' ? t('auditOk') : t('auditError')}${e.detail ? ` (${e.detail})` : ''}</td>
</tr>`)}</tbody></table>` : html`<p>${t('noAudit')}</p>`;
  return layout(ctx, t('auditTitle'), body);
}

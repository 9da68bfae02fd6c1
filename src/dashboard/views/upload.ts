// SPDX-License-Identifier: EUPL-1.2
/**
 * `/upload`: an operator drops one or more XML files (ClicLavoro, MyPortal, HR-Open) for one of their
 * offices and sees what each offer became. The files go through the inbox's own path (src/sources/
 * document.ts). With JavaScript (assets/upload.js) each file is sent as its own `application/xml`
 * request and the results appear below the form; without it, one document pasted in the text box.
 */
import { html, type Html } from '../../web/html.ts';
import { csrfField, layout, type PageContext } from './layout.ts';
import type { DocumentResult } from '../../sources/document.ts';
import type { PublisherInfo } from '../actions.ts';

export interface UploadReport { file: string; result: DocumentResult }

/** The words the script needs (it writes text only: textContent, never HTML). */
export function uploadWords(ctx: PageContext): Record<string, string> {
  const { t } = ctx.i18n;
  return {
    new: t('sources_became_new'), known: t('sources_became_known'), correction: t('sources_became_correction'), closed: t('sources_became_closed'), rejected: t('sources_became_rejected'),
    done: t('sources_uploadVerdictDone'), rejectedFile: t('sources_uploadVerdictRejected'), failed: t('sources_uploadFailed'), sending: t('sources_uploadSending'),
    colOffer: t('sources_uploadColOffer'), colCode: t('sources_uploadColCode'), colTitle: t('sources_uploadColTitle'), colBecame: t('sources_uploadColBecame'), colReason: t('sources_uploadColReason'),
  };
}

export function reportHtml(ctx: PageContext, r: UploadReport): Html {
  const { t } = ctx.i18n;
  const became = (b: string) => t(`sources_became_${b}` as Parameters<typeof t>[0]);
  return html`<section class="upload-report" aria-label="${r.file}">
<h2>${r.file}: ${r.result.verdict === 'done' ? t('sources_uploadVerdictDone') : t('sources_uploadVerdictRejected')}</h2>
${r.result.reason ? html`<pre class="reason">${r.result.reason}</pre>` : ''}
${r.result.offers.length ? html`<table class="grid"><thead><tr><th scope="col">${t('sources_uploadColOffer')}</th><th scope="col">${t('sources_uploadColCode')}</th><th scope="col">${t('sources_uploadColTitle')}</th><th scope="col">${t('sources_uploadColBecame')}</th><th scope="col">${t('sources_uploadColReason')}</th></tr></thead>
<tbody>${r.result.offers.map((o) => html`<tr class="became-${o.became}"><td>${o.index + 1}</td><td>${o.code ?? t('dash')}</td><td>${o.title ?? t('dash')}</td><td>${became(o.became)}</td><td>${o.reason ?? ''}</td></tr>`)}</tbody></table>` : ''}
</section>`;
}

export function uploadPage(ctx: PageContext, publishers: PublisherInfo[], chosen: string | undefined, reports: UploadReport[] = []): string {
  const { t } = ctx.i18n;
  if (!ctx.canAct || !publishers.length) return layout(ctx, t('sources_uploadTitle'), html`<p>${t('sources_uploadNotAllowed')}</p>`);
  const select = html`<label for="upload-publisher">${t('sources_uploadPublisher')}</label>
<select id="upload-publisher" name="publisher">${publishers.map((p) => html`<option value="${p.id}"${p.id === chosen ? html` selected` : ''}>${p.name}</option>`)}</select>`;
  const body = html`<p>${t('sources_uploadIntro')}</p>
<form id="upload-form" method="post" action="/actions/upload" class="upload">
${csrfField(ctx)}
<p>${select}</p>
<p><label for="upload-files">${t('sources_uploadFiles')}</label>
<input id="upload-files" type="file" name="files" multiple accept=".xml,application/xml,text/xml" data-words="${JSON.stringify(uploadWords(ctx))}"></p>
<details><summary>${t('sources_uploadPasteSummary')}</summary>
<p><label for="upload-name">${t('sources_uploadName')}</label> <input id="upload-name" name="name" value="documento.xml"></p>
<p><label for="upload-document">${t('sources_uploadPaste')}</label><br><textarea id="upload-document" name="document" rows="8" cols="80"></textarea></p>
</details>
<p><button type="submit">${t('sources_uploadSend')}</button></p>
</form>
<div id="upload-results" aria-live="polite">${reports.map((r) => reportHtml(ctx, r))}</div>
<script src="/assets/upload.js" defer></script>`;
  return layout(ctx, t('sources_uploadTitle'), body);
}

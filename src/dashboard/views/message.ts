// SPDX-License-Identifier: EUPL-1.2
/** A page that says one thing (a refusal, a failed sign-in) and offers the way back. */
import { html } from '../../web/html.ts';
import { layout, type PageContext } from './layout.ts';

export function messagePage(ctx: PageContext, title: string, message: string, backHref: string, backLabel?: string): string {
  return layout(ctx, title, html`<p class="error" role="alert">${message}</p>
<p><a href="${backHref}">${backLabel ?? ctx.i18n.t('backLink')}</a></p>`);
}

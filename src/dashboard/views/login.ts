/** `/login`: the one page anyone may see. */
import { html } from './html.ts';
import { layout, type PageContext } from './layout.ts';

export function loginPage(ctx: PageContext, loginToken: string, next: string, error?: string): string {
  const { t } = ctx.i18n;
  const body = html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login" class="login">
<input type="hidden" name="_csrf" value="${loginToken}">
<input type="hidden" name="next" value="${next}">
<p><label for="username">${t('loginUsername')}</label><br><input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">${t('loginPassword')}</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">${t('loginSubmit')}</button></p>
</form>`;
  return layout(ctx, t('loginTitle'), body);
}

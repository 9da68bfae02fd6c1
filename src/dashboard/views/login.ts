// SPDX-License-Identifier: EUPL-1.2
/** `/login`: the one page anyone may see: the office's identity provider, a password, or both. */
import { html } from '../../web/html.ts';
import { layout, type PageContext } from './layout.ts';

export interface LoginWays { password: boolean; oidc: boolean }

export function loginPage(ctx: PageContext, loginToken: string, next: string, error: string | undefined, ways: LoginWays = { password: true, oidc: false }): string {
  const { t } = ctx.i18n;
  const oidc = ways.oidc ? html`<p class="login-oidc"><a href="/login/oidc${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}">${t('loginOidc')}</a></p>
${ways.password ? html`<h2>${t('loginOr')}</h2>` : ''}` : '';
  const form = ways.password ? html`<form method="post" action="/login" class="login">
<input type="hidden" name="_csrf" value="${loginToken}">
<input type="hidden" name="next" value="${next}">
<p><label for="username">${t('loginUsername')}</label><br><input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">${t('loginPassword')}</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">${t('loginSubmit')}</button></p>
</form>` : '';
  return layout(ctx, t('loginTitle'), html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}${oidc}${form}`);
}

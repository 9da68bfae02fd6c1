// SPDX-License-Identifier: EUPL-1.2
/** The frame of every page: language, skip link, navigation, footer, one CSS file and one JS file. */
import { html, type Html } from '../../web/html.ts';
import type { I18n } from '../../i18n/index.ts';

export interface PageContext {
  i18n: I18n;
  /** Present when logged in with a session: forms need it. */
  csrf?: string;
  user?: string;
  role?: 'viewer' | 'operator' | 'admin';
  /** False for a viewer: no action buttons are shown (the service would refuse them anyway). */
  canAct?: boolean;
  /** Admins also see bull-board. */
  isAdmin?: boolean;
  /** Path of the current page, to mark it in the navigation. */
  path: string;
  /** One-line feedback after an action (from the `msg` query parameter, already translated). */
  flash?: string;
  /** The footer's links: the office's accessibility statement (when configured) and the source code. */
  links?: FooterLinks;
}

export interface FooterLinks { accessibilityUrl?: string; sourceUrl: string }

/**
 * Every page links to the office's accessibility statement (AGID asks for it in the footer) and to the
 * source repository (AGID's reuse guidelines); without a statement configured the footer says so.
 */
function footer(ctx: PageContext): Html | string {
  const { t } = ctx.i18n;
  const l = ctx.links;
  if (!l) return '';
  const statement = l.accessibilityUrl
    ? html`<li><a href="${l.accessibilityUrl}">${t('a11y_statement')}</a></li>`
    : html`<li>${t('a11y_noStatement')}</li>`;
  return html`<footer class="foot"><ul>${statement}<li><a href="${l.sourceUrl}">${t('a11y_source')}</a></li></ul></footer>`;
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`;
}

export function layout(ctx: PageContext, title: string, body: Html): string {
  const { t } = ctx.i18n;
  const nav: Array<[string, string]> = [
    ['/', t('navOverview')], ['/offers', t('navOffers')], ['/feeds', t('navFeeds')],
    ['/failures', t('navFailures')], ['/audit', t('navAudit')], ...(ctx.canAct ? [['/upload', t('sources_navUpload')] as [string, string]] : []), ...(ctx.isAdmin ? [['/queues', t('navQueues')] as [string, string]] : []),
  ];
  const roleName = ctx.role === 'admin' ? t('roleAdmin') : ctx.role === 'operator' ? t('roleOperator') : t('roleViewer');
  const current = (href: string) => (href === '/' ? ctx.path === '/' : ctx.path.startsWith(href));
  return `<!doctype html>\n${html`<html lang="${ctx.i18n.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t('appName')}</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t('skipToContent')}</a>
<header class="top">
<p class="brand">${t('appName')}</p>
${ctx.user ? html`<nav aria-label="${t('navMain')}"><ul>${nav.map(([href, label]) => html`<li><a href="${href}"${current(href) ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
<p class="who" id="signed-in-as">${t('signedInAs', { name: ctx.user, role: roleName })}</p>
<form method="post" action="/logout" class="logout">${csrfField(ctx)}<button type="submit">${t('logout')}</button></form>` : ''}
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${ctx.flash ? html`<p class="flash" role="status">${ctx.flash}</p>` : ''}
${body}
</main>
${footer(ctx)}
</body>
</html>`.value}`;
}

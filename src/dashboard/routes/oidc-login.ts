// SPDX-License-Identifier: EUPL-1.2
/**
 * `/login/oidc` sends the browser to the office's identity provider; `/login/oidc/callback` takes its
 * answer, checks it (./security/oidc.ts) and opens a session with the role and offices from the claims.
 * A person whose claims give no valid role gets a page that says so, in Italian, and no session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageContext, type RouteDeps } from './context.ts';
import { cookieOptions, openSession, type LoginDeps } from './login.ts';
import { safeNext } from '../security/access.ts';
import { CALLBACK_PATH, OIDC_COOKIE, type OidcSignIn } from '../security/oidc.ts';
import { messagePage } from '../views/message.ts';

const HTML = 'text/html; charset=utf-8';

export function registerOidcLogin(app: FastifyInstance, d: RouteDeps, l: LoginDeps, oidc: OidcSignIn, publicUrl: string | undefined): void {
  const { t } = d.i18n;
  const page = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    reply.code(status).type(HTML).send(messagePage({ ...pageContext(req, d), path: '/login' }, t('oidcRefusedTitle'), message, '/login', t('oidcRetry')));
  const redirectUri = (req: FastifyRequest) => (publicUrl ? new URL(CALLBACK_PATH, publicUrl).href : `${req.protocol}://${req.host}${CALLBACK_PATH}`);
  // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
  const pendingCookie = { ...cookieOptions(l), path: '/login/oidc' };

  app.get('/login/oidc', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    let started;
    try {
      started = await oidc.start(redirectUri(req), next);
    } catch (e) {
      req.log.warn({ err: e }, 'identity provider unavailable');
      return page(req, reply, 503, t('oidcUnavailable'));
    }
    reply.setCookie(OIDC_COOKIE, started.cookie, { ...pendingCookie, maxAge: 600 });
    return reply.code(302).header('Location', started.url).send();
  });

  app.get('/login/oidc/callback', async (req, reply) => {
    const q = req.url.indexOf('?');
    const outcome = await oidc.finish(req.cookies[OIDC_COOKIE], q < 0 ? '' : req.url.slice(q + 1));
    reply.clearCookie(OIDC_COOKIE, { path: pendingCookie.path });
    if (outcome.ok) {
      await openSession(req, reply, l, outcome.person, 'oidc');
      return reply.code(303).header('Location', safeNext(outcome.next)).send();
    }
    const who = outcome.reason === 'no-role' ? outcome.name.slice(0, 64) : '(identità dell\'ente)';
    await l.operator.recordSignInFailure({ at: Date.now(), who, ip: req.ip, reason: 'oidc', via: 'oidc', detail: outcome.detail }).catch(() => undefined);
    if (outcome.reason === 'no-role') return page(req, reply, 403, t('oidcNoRole', { name: outcome.name }));
    if (outcome.reason === 'unavailable') return page(req, reply, 503, t('oidcUnavailable'));
    return page(req, reply, 400, t('oidcFailed'));
  });
}

/**
 * Login and logout for people. The login form carries a token matching a short-lived cookie (so another
 * site cannot log a browser into our dashboard), failures count against the client's IP, and both
 * outcomes are written to the audit log.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { pageContext, str, type RouteDeps } from './context.ts';
import { loginPage } from '../views/login.ts';
import { LOGIN_COOKIE, SESSION_COOKIE, randomToken, sameToken, type SessionStore } from '../security/sessions.ts';
import { safeNext } from '../security/access.ts';
import { safeWho } from '../security/credentials.ts';
import type { LoginLimiter } from '../security/login-limiter.ts';

export interface LoginDeps {
  sessions: SessionStore;
  limiter: LoginLimiter;
  check: (user: string, pass: string) => boolean;
  password: string;
  secureCookies: boolean;
}

const HTML = 'text/html; charset=utf-8';

export function registerLogin(app: FastifyInstance, d: RouteDeps, l: LoginDeps): void {
  const cookieOpts = { httpOnly: true, sameSite: 'lax' as const, secure: l.secureCookies, path: '/' };

  const showForm = (req: Parameters<typeof pageContext>[0], reply: FastifyReply, status: number, next: string, error?: string) => {
    const token = randomToken();
    reply.setCookie(LOGIN_COOKIE, token, { ...cookieOpts, maxAge: 3600 });
    return reply.code(status).type(HTML).send(loginPage({ ...pageContext(req, d), path: '/login' }, token, next, error));
  };

  app.get('/login', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (l.sessions.get(req.cookies[SESSION_COOKIE])) return reply.code(302).header('Location', next).send();
    return showForm(req, reply, 200, next);
  });

  app.post<{ Body: Record<string, unknown> }>('/login', async (req, reply) => {
    const body = req.body ?? {};
    const next = safeNext(body.next);
    if (!sameToken(str(body._csrf), req.cookies[LOGIN_COOKIE])) return showForm(req, reply, 403, next, d.i18n.t('forbidden'));
    if (l.limiter.blocked(req.ip)) {
      reply.header('Retry-After', String(l.limiter.retryAfter(req.ip)));
      return showForm(req, reply, 429, next, d.i18n.t('loginTooMany'));
    }
    const user = str(body.username) ?? '';
    const pass = str(body.password) ?? '';
    if (!l.check(user, pass)) {
      l.limiter.fail(req.ip);
      await d.operator.recordAudit({ at: Date.now(), who: safeWho(user, l.password), action: 'login', target: 'dashboard', result: 'error', detail: req.ip }).catch(() => undefined);
      return showForm(req, reply, 401, next, d.i18n.t('loginFailed'));
    }
    const s = l.sessions.create(user);
    await d.operator.recordAudit({ at: Date.now(), who: user, action: 'login', target: 'dashboard', result: 'ok', detail: req.ip }).catch(() => undefined);
    reply.clearCookie(LOGIN_COOKIE, { path: '/' });
    reply.setCookie(SESSION_COOKIE, s.id, { ...cookieOpts, maxAge: 8 * 3600 });
    return reply.code(303).header('Location', next).send();
  });

  app.post('/logout', async (req, reply) => {
    if (req.caller?.sessionId) l.sessions.destroy(req.caller.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('Location', '/login').send();
  });
}

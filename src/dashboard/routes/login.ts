// SPDX-License-Identifier: EUPL-1.2
/**
 * Signing in and out. The password form carries a token matching a short-lived cookie (so another site
 * cannot sign a browser into our dashboard); attempts count against the client's address and the typed
 * name (./security/login-limiter.ts); failures go to their own stream, successes and sign-outs to the
 * audit log. The identity provider's flow is in ./oidc-login.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageContext, str, type RouteDeps } from './context.ts';
import { loginPage, type LoginWays } from '../views/login.ts';
import { LOGIN_COOKIE, SESSION_COOKIE, randomToken, sameToken, type SessionStore } from '../security/sessions.ts';
import { safeNext, sessionPerson } from '../security/access.ts';
import type { SignInLimiter } from '../security/login-limiter.ts';
import type { People, Person } from '../../access/people.ts';
import type { OperatorService } from '../../state/operator.ts';

export interface LoginDeps {
  sessions: SessionStore;
  limiter: SignInLimiter;
  people: People;
  /** The unrestricted service: sign-ins are recorded before anyone has a scope. */
  operator: OperatorService;
  secureCookies: boolean;
  sessionMaxAgeMs: number;
  ways: LoginWays;
}

const HTML = 'text/html; charset=utf-8';

export function cookieOptions(l: Pick<LoginDeps, 'secureCookies'>) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: l.secureCookies, path: '/' };
}

/** Opens a session for a signed-in person: the cookie, and the audit entry. A session the browser had before ends. */
export async function openSession(req: FastifyRequest, reply: FastifyReply, l: LoginDeps, person: Person, via: 'password' | 'oidc'): Promise<void> {
  const ip = req.ip;
  await l.sessions.destroy(req.cookies[SESSION_COOKIE]);
  const s = await l.sessions.create(person);
  await l.operator.recordAudit({ at: Date.now(), who: person.name, action: 'login', target: 'dashboard', result: 'ok', detail: ip, via }).catch(() => undefined);
  reply.setCookie(SESSION_COOKIE, s.id, { ...cookieOptions(l), maxAge: Math.floor(l.sessionMaxAgeMs / 1000) });
}

export function registerLogin(app: FastifyInstance, d: RouteDeps, l: LoginDeps): void {
  const showForm = (req: FastifyRequest, reply: FastifyReply, status: number, next: string, error?: string) => {
    const token = randomToken();
    reply.setCookie(LOGIN_COOKIE, token, { ...cookieOptions(l), maxAge: 3600 });
    return reply.code(status).type(HTML).send(loginPage({ ...pageContext(req, d), path: '/login' }, token, next, error, l.ways));
  };

  app.get('/login', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    const s = await l.sessions.get(req.cookies[SESSION_COOKIE]);
    if (s && sessionPerson(s, l.people)) return reply.code(302).header('Location', next).send();
    return showForm(req, reply, 200, next);
  });

  app.post<{ Body: Record<string, unknown> }>('/login', async (req, reply) => {
    const body = req.body ?? {};
    const next = safeNext(body.next);
    if (!sameToken(str(body._csrf), req.cookies[LOGIN_COOKIE])) return showForm(req, reply, 403, next, d.i18n.t('forbidden'));
    const user = str(body.username) ?? '';
    const pass = str(body.password) ?? '';
    const attempt = await l.limiter.begin(req.ip, user);
    if (!attempt.ok) {
      await l.operator.recordSignInFailure({ at: Date.now(), who: l.people.safeName(user), ip: req.ip, reason: 'limited', via: 'form' }).catch(() => undefined);
      reply.header('Retry-After', String(attempt.retryAfterSeconds));
      return showForm(req, reply, 429, next, d.i18n.t('loginTooMany'));
    }
    const person = l.ways.password ? await l.people.verify(user, pass) : undefined;
    if (!person) {
      await l.operator.recordSignInFailure({ at: Date.now(), who: l.people.safeName(user), ip: req.ip, reason: 'password', via: 'form' }).catch(() => undefined);
      return showForm(req, reply, 401, next, d.i18n.t('loginFailed'));
    }
    await attempt.succeeded();
    reply.clearCookie(LOGIN_COOKIE, { path: '/' });
    await openSession(req, reply, l, person, 'password');
    return reply.code(303).header('Location', next).send();
  });

  // Ends the session in Redis, so on every dashboard process at once.
  app.post('/logout', async (req, reply) => {
    if (req.caller?.sessionId) {
      await l.sessions.destroy(req.caller.sessionId);
      await l.operator.recordAudit({ at: Date.now(), who: req.caller.name, action: 'logout', target: 'dashboard', result: 'ok', via: req.caller.person?.source === 'oidc' ? 'oidc' : 'password' }).catch(() => undefined);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('Location', '/login').send();
  });
}

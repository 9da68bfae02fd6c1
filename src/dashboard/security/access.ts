// SPDX-License-Identifier: EUPL-1.2
/**
 * The dashboard's access rules, as fastify hooks, in the order a request meets them:
 *  1. open paths (health checks, the sign-in pages, static assets) pass;
 *  2. a state-changing request from another site is refused (403), whoever sends it;
 *  3. the caller is identified: the session cookie (people), HTTP Basic (scripts), or the metrics
 *     token (`Authorization: Bearer`, /metrics only); nobody → 401, or the login page for a browser;
 *  4. what the caller's role allows: bull-board (/queues) and /metrics are for admins (and /metrics for
 *     the token), and the request gets the operator service narrowed to the person's offices and role
 *     (`req.operator`), so every page, API answer and action sees only that part;
 *  5. (preHandler, once the body is parsed) a state-changing request made with the session cookie must
 *     carry the session's CSRF token. Basic-auth calls without a cookie need none: a browser never sends
 *     them on its own from another site, and step 2 still applies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCrossSite, isStateChanging } from './origin.ts';
import { SESSION_COOKIE, sameToken, type Session, type SessionStore } from './sessions.ts';
import { parseBasic, parseBearer, sameSecret } from './credentials.ts';
import type { SignInLimiter } from './login-limiter.ts';
import type { OperatorService } from '../../state/operator.ts';
import type { I18n } from '../../i18n/index.ts';
import { personScope, type People, type Person } from '../../access/people.ts';

export interface Caller {
  /** The person's name (or "metrics-token"), as the audit log writes it. */
  name: string;
  via: 'session' | 'basic' | 'token';
  /** Absent for the metrics token, which is nobody. */
  person?: Person;
  csrf?: string;
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
    /** The operator service as this caller may see and use it. */
    operator?: OperatorService;
  }
}

export interface AccessDeps {
  publicUrl?: string;
  metricsToken?: string;
  people: People;
  sessions: SessionStore;
  limiter: SignInLimiter;
  operator: OperatorService;
  i18n: I18n;
  queuesPath: string;
  /** The 403 page for a browser (the access rules know no views). */
  forbiddenPage: (req: FastifyRequest, message: string) => string;
  /**
   * Path prefixes of the channels' public pages (a subscription form, an app): no sign-in and none of
   * these rules; those routes protect themselves (src/channels/definition.ts PublicRoutes).
   */
  openPrefixes?: readonly string[];
}

const OPEN = new Set(['/healthz', '/readyz', '/login', '/login/oidc', '/login/oidc/callback', '/favicon.ico']);

const fromPageScript = (req: FastifyRequest) => ['cors', 'same-origin', 'no-cors'].includes(String(req.headers['sec-fetch-mode'] ?? ''));

export const wantsHtml = (req: FastifyRequest) => /text\/html/.test(String(req.headers.accept ?? ''));

export function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** The person a session stands for: people from the config are read again (a changed role counts at once). */
export function sessionPerson(s: Session, people: People): Person | undefined {
  if (s.source === 'oidc') return { name: s.name, role: s.role, publishers: s.publishers, source: 'oidc' };
  return people.byName(s.name);
}

export function installAccessRules(app: FastifyInstance, d: AccessDeps): void {
  const { t } = d.i18n;
  const inQueues = (path: string) => path === d.queuesPath || path.startsWith(`${d.queuesPath}/`);

  const refuse = (reply: FastifyReply, status: number, message: string) =>
    reply.code(status).type('application/json; charset=utf-8').send({ error: message });
  const forbid = (req: FastifyRequest, reply: FastifyReply, message: string) =>
    wantsHtml(req) ? reply.code(403).type('text/html; charset=utf-8').send(d.forbiddenPage(req, message)) : refuse(reply, 403, message);

  const failed = (who: string, ip: string, reason: 'password' | 'limited', via: string) =>
    d.operator.recordSignInFailure({ at: Date.now(), who, ip, reason, via }).catch(() => undefined);

  async function identify(req: FastifyRequest, reply: FastifyReply, path: string): Promise<Caller | undefined | FastifyReply> {
    // The overview's own polling (it says so in a header) does not keep an unattended session alive.
    const session = await d.sessions.get(req.cookies?.[SESSION_COOKIE], req.headers['x-banditore-live'] === undefined);
    if (session) {
      const person = sessionPerson(session, d.people);
      if (person) return { name: person.name, via: 'session', person, csrf: session.csrf, sessionId: session.id };
      // Removed from the config since signing in: the session ends.
      await d.sessions.destroy(session.id);
    }
    const header = req.headers.authorization;
    const bearer = parseBearer(header);
    if (bearer !== undefined) {
      const attempt = await d.limiter.begin(req.ip, 'metrics-token');
      if (!attempt.ok) { reply.header('Retry-After', String(attempt.retryAfterSeconds)); return refuse(reply, 429, t('loginTooMany')); }
      if (d.metricsToken && sameSecret(bearer, d.metricsToken)) { await attempt.succeeded(); return { name: 'metrics-token', via: 'token' }; }
      await failed('metrics-token', req.ip, 'password', 'token');
      reply.header('WWW-Authenticate', 'Bearer realm="Banditore"');
      return refuse(reply, 401, t('unauthorized'));
    }
    const basic = parseBasic(header);
    if (basic) {
      const attempt = await d.limiter.begin(req.ip, basic.user);
      if (!attempt.ok) {
        await failed(d.people.safeName(basic.user), req.ip, 'limited', 'basic');
        reply.header('Retry-After', String(attempt.retryAfterSeconds));
        return refuse(reply, 429, t('loginTooMany'));
      }
      const person = await d.people.verify(basic.user, basic.pass);
      if (person) { await attempt.succeeded(); return { name: person.name, via: 'basic', person }; }
      await failed(d.people.safeName(basic.user), req.ip, 'password', 'basic');
      reply.header('WWW-Authenticate', 'Basic realm="Banditore", charset="UTF-8"');
      return refuse(reply, 401, t('loginFailed'));
    }
    if (req.method === 'GET' && wantsHtml(req)) {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(req.url)}`;
      return reply.code(302).header('Location', `/login${next}`).send();
    }
    // A script of our own pages (fetch: Sec-Fetch-Mode cors/same-origin) gets no Basic challenge: the
    // browser would answer it with a password dialog instead of letting the page go to /login.
    if (!fromPageScript(req)) reply.header('WWW-Authenticate', 'Basic realm="Banditore", charset="UTF-8"');
    return refuse(reply, 401, t('unauthorized'));
  }

  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req);
    if (d.openPrefixes?.some((p) => path.startsWith(p))) return;
    if (isStateChanging(req.method) && isCrossSite(req, d.publicUrl)) return refuse(reply, 403, t('forbidden'));
    if (OPEN.has(path) || path.startsWith('/assets/')) return;

    const who = await identify(req, reply, path);
    if (!who || !('via' in who)) return who;
    req.caller = who;

    // What the caller's role allows.
    if (who.via === 'token') {
      if (path !== '/metrics' || isStateChanging(req.method)) return refuse(reply, 403, t('forbiddenRole'));
      req.operator = d.operator;
      return;
    }
    const person = who.person!;
    // (A refused bull-board call is still audited: see ../bull-board-audit.ts.)
    if ((path === '/metrics' || inQueues(path)) && person.role !== 'admin') {
      return forbid(req, reply, path === '/metrics' ? t('forbiddenMetrics') : t('forbiddenQueues'));
    }
    req.operator = d.operator.forScope(personScope(person));
  });

  app.addHook('preHandler', async (req, reply) => {
    const c = req.caller;
    if (!c || c.via !== 'session' || !isStateChanging(req.method)) return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = typeof body?._csrf === 'string' ? body._csrf : (req.headers['x-csrf-token'] as string | undefined);
    if (sameToken(sent, c.csrf)) return;
    // bull-board's own UI cannot send our token; its fetch() calls always carry Origin, which step 2
    // already found to be ours, so require it to be present here.
    const path = pathOf(req);
    if (inQueues(path) && req.headers.origin !== undefined && req.headers['sec-fetch-site'] === 'same-origin') return;
    return refuse(reply, 403, t('forbidden'));
  });
}

/** Where to go after login: only a path on this site (never `//evil`, never a full URL). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

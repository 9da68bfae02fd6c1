/**
 * The dashboard's access rules, as fastify hooks, in the order a request meets them:
 *  1. open paths (health checks, the login page, static assets) pass;
 *  2. a state-changing request from another site is refused (403), whoever sends it;
 *  3. the caller is identified by the session cookie (people) or HTTP Basic (scripts, Prometheus);
 *     nobody → 401, or a redirect to the login page for a browser asking for HTML;
 *  4. (preHandler, once the body is parsed) a state-changing request made with the session cookie must
 *     carry the session's CSRF token. Basic-auth calls without a cookie need none: a browser never sends
 *     them on its own from another site, and step 2 still applies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCrossSite, isStateChanging } from './origin.ts';
import { SESSION_COOKIE, sameToken, type SessionStore } from './sessions.ts';
import { parseBasic, safeWho } from './credentials.ts';
import type { LoginLimiter } from './login-limiter.ts';
import type { OperatorService } from '../../state/operator.ts';
import type { I18n } from '../../i18n/index.ts';

export interface Caller { user: string; via: 'session' | 'basic'; csrf?: string; sessionId?: string }

declare module 'fastify' {
  interface FastifyRequest { caller?: Caller }
}

export interface AccessDeps {
  username: string;
  password: string;
  publicUrl?: string;
  sessions: SessionStore;
  limiter: LoginLimiter;
  check: (user: string, pass: string) => boolean;
  operator: OperatorService;
  i18n: I18n;
  queuesPath: string;
}

const OPEN = new Set(['/healthz', '/readyz', '/login', '/favicon.ico']);

export const wantsHtml = (req: FastifyRequest) => /text\/html/.test(String(req.headers.accept ?? ''));

function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

export function installAccessRules(app: FastifyInstance, d: AccessDeps): void {
  const { t } = d.i18n;

  const refuse = (reply: FastifyReply, status: number, message: string) =>
    reply.code(status).type('application/json; charset=utf-8').send({ error: message });

  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req);
    if (isStateChanging(req.method) && isCrossSite(req, d.publicUrl)) return refuse(reply, 403, t('forbidden'));
    if (OPEN.has(path) || path.startsWith('/assets/')) return;

    const session = d.sessions.get(req.cookies?.[SESSION_COOKIE]);
    if (session) {
      req.caller = { user: session.user, via: 'session', csrf: session.csrf, sessionId: session.id };
      return;
    }
    const basic = parseBasic(req.headers.authorization);
    if (basic) {
      if (d.limiter.blocked(req.ip)) {
        reply.header('Retry-After', String(d.limiter.retryAfter(req.ip)));
        return refuse(reply, 429, t('loginTooMany'));
      }
      if (d.check(basic.user, basic.pass)) {
        req.caller = { user: basic.user, via: 'basic' };
        return;
      }
      d.limiter.fail(req.ip);
      await d.operator.recordAudit({ at: Date.now(), who: safeWho(basic.user, d.password), action: 'login-basic', target: path, result: 'error', detail: req.ip }).catch(() => undefined);
      reply.header('WWW-Authenticate', 'Basic realm="Banditore", charset="UTF-8"');
      return refuse(reply, 401, t('loginFailed'));
    }
    if (req.method === 'GET' && wantsHtml(req)) {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(req.url)}`;
      return reply.code(302).header('Location', `/login${next}`).send();
    }
    reply.header('WWW-Authenticate', 'Basic realm="Banditore", charset="UTF-8"');
    return refuse(reply, 401, t('unauthorized'));
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
    const inQueues = path === d.queuesPath || path.startsWith(`${d.queuesPath}/`);
    if (inQueues && req.headers.origin !== undefined && req.headers['sec-fetch-site'] === 'same-origin') return;
    return refuse(reply, 403, t('forbidden'));
  });
}

/** Where to go after login: only a path on this site (never `//evil`, never a full URL). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

// SPDX-License-Identifier: EUPL-1.2
/**
 * The operators' dashboard: pages, JSON API, /metrics and bull-board, all behind one set of access rules
 * (security/access.ts); only /healthz, /readyz and the sign-in pages are open. Sessions and the sign-in
 * limits live in Redis, so any number of dashboard processes on one Redis prefix behave as one.
 * Returned not listening: the caller decides where (`app.listen({ host, port })`).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Queue } from 'bullmq';
import type { Config } from '../config/schema.ts';
import type { OperatorService } from '../state/operator.ts';
import type { Logger } from '../log/logger.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { SlidingWindowLimiter } from '../limits/sliding-window.ts';
import { People } from '../access/people.ts';
import { createI18n } from '../i18n/index.ts';
import { createActions, type PublisherInfo } from './actions.ts';
import { SessionStore } from './security/sessions.ts';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from './security/login-limiter.ts';
import { installAccessRules, pathOf, wantsHtml } from './security/access.ts';
import { securityHeaders } from './security/headers.ts';
import { OidcSignIn } from './security/oidc.ts';
import { registerAssets } from './routes/assets.ts';
import { registerPages } from './routes/pages.ts';
import { registerForms } from './routes/forms.ts';
import { registerApi } from './routes/api.ts';
import { registerLogin, type LoginDeps } from './routes/login.ts';
import { registerOidcLogin } from './routes/oidc-login.ts';
import { pageContext, type PublisherAudience, type RouteDeps } from './routes/context.ts';
import { definitionOf } from '../channels/registry.ts';
import { registerMetrics } from './metrics.ts';
import { auditBullBoard } from './bull-board-audit.ts';
import { messagePage } from './views/message.ts';
import { mountInspector } from '../queue/inspector.ts';
import type { ChannelServices, PublicRoutes } from '../channels/definition.ts';
import { registerUpload, type UploadDeps } from './routes/upload.ts';
import { OFFERS_API_PREFIX, registerOffersApi, type OffersApiDeps } from './routes/offers-api.ts';

export interface DashboardDeps {
  config: Config['dashboard'];
  /** The unrestricted service; every request gets it narrowed to the signed-in person's scope. */
  operator: OperatorService;
  logger: Logger;
  isReady: () => Promise<boolean>;
  /** Sessions and sign-in limits live here (the deployment's Redis and key prefix). */
  redis: RedisClient;
  keys: Keys;
  /** BullMQ queues shown by bull-board at /queues. */
  queues?: Queue[];
  publishers: PublisherInfo[];
  /** Sign-in limits (tests may lower them). */
  signInLimits?: SignInLimits;
  /** A controllable clock for the sessions' absolute lifetime (tests). */
  now?: () => number;
  /** The public pages of the configured channels (subscription forms, the app), with what they may use. */
  publicRoutes?: { routes: readonly PublicRoutes[]; services: ChannelServices };
  /** The offers API (src/sources): served when some publisher has `api`, with its own Bearer tokens. */
  offersApi?: OffersApiDeps;
  /** The upload of XML files by operators (src/dashboard/routes/upload.ts). */
  upload?: UploadDeps;
}

export const QUEUES_PATH = '/queues';

/** The zone of the dashboard's times: the publishers' own when they share one, else Italy's. */
export function dashboardTimeZone(publishers: PublisherInfo[]): string {
  const zones = new Set(publishers.map((p) => p.timezone ?? 'Europe/Rome'));
  return zones.size === 1 ? [...zones][0]! : 'Europe/Rome';
}

export async function createDashboard(deps: DashboardDeps): Promise<FastifyInstance> {
  const { config, operator, logger } = deps;
  const i18n = createI18n(config.language, { timeZone: dashboardTimeZone(deps.publishers) });
  const now = deps.now ?? Date.now;
  const app = Fastify({
    loggerInstance: logger.child({ component: 'dashboard' }) as FastifyBaseLogger,
    // The overview polls every few seconds: one log line per request would drown everything else.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Behind a reverse proxy, req.ip is the client's own address (X-Forwarded-For), so one client's
    // failed sign-ins never count against everyone behind the proxy.
    // (fastify's overloads pick the server type from this option's type; true, a hop count, an address or a list are all valid)
    trustProxy: config.trustProxy as boolean,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);

  const people = new People(config);
  const sessions = new SessionStore(deps.redis, deps.keys, { idleMs: config.idleTimeout, maxAgeMs: config.sessionMaxAge, now });
  const limiter = new SignInLimiter(new SlidingWindowLimiter(deps.redis, deps.keys), deps.signInLimits ?? DEFAULT_SIGN_IN_LIMITS);
  const publisherIds = new Set(deps.publishers.map((p) => p.id));
  const routeDeps: RouteDeps = {
    i18n, publishers: deps.publishers,
    actions: createActions(deps.publishers, logger),
    names: new Map(deps.publishers.map((p) => [p.id, p.name])),
    links: { sourceUrl: config.sourceUrl, ...(config.accessibilityUrl ? { accessibilityUrl: config.accessibilityUrl } : {}) },
    ...(deps.publicRoutes ? { audiences: audiencesOf(deps.publicRoutes.services, logger) } : {}),
  };

  app.addHook('onRequest', securityHeaders(QUEUES_PATH));
  installAccessRules(app, {
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}), ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    people, sessions, limiter, operator, i18n, queuesPath: QUEUES_PATH,
    forbiddenPage: (req, message) => messagePage(pageContext(req, routeDeps), i18n.t('forbiddenTitle'), message, '/'),
    openPrefixes: [...(deps.publicRoutes?.routes.flatMap((r) => r.prefixes) ?? []), ...(deps.offersApi ? [OFFERS_API_PREFIX] : [])],
  });

  // Errors answer without internals (a stack or an SDK message could carry anything).
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'dashboard request failed');
    return reply.code(status).send({ error: status === 500 ? i18n.t('serverError') : err.message });
  });
  // A browser gets a page it can read and leave (with the navigation, for a signed-in person); scripts get JSON.
  app.setNotFoundHandler((req, reply) => {
    if (!wantsHtml(req) || pathOf(req).startsWith('/api/')) return reply.code(404).send({ error: i18n.t('notFound') });
    return reply.code(404).type('text/html; charset=utf-8').send(messagePage(pageContext(req, routeDeps), i18n.t('a11y_pageNotFound'), i18n.t('a11y_pageNotFoundText'), '/', i18n.t('navOverview')));
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const ready = await deps.isReady().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  const login: LoginDeps = {
    sessions, limiter, people, operator, secureCookies: config.publicUrl?.startsWith('https:') ?? false, sessionMaxAgeMs: config.sessionMaxAge,
    ways: { password: config.users.length > 0 || config.username !== undefined, oidc: config.oidc !== undefined },
  };
  registerAssets(app);
  registerLogin(app, routeDeps, login);
  if (config.oidc) registerOidcLogin(app, routeDeps, login, new OidcSignIn(config.oidc, deps.redis, deps.keys, publisherIds), config.publicUrl);
  registerPages(app, routeDeps);
  registerForms(app, routeDeps);
  registerApi(app, routeDeps);
  registerMetrics(app, operator);
  // Each channel's public pages in a context of their own: their hooks and parsers stay theirs.
  for (const r of deps.publicRoutes?.routes ?? []) {
    const services = deps.publicRoutes!.services;
    await app.register(async (scope) => { await r.register(scope, services); });
  }
  if (deps.offersApi) await registerOffersApi(app, deps.offersApi);
  if (deps.upload) await registerUpload(app, routeDeps, deps.upload);
  auditBullBoard(app, QUEUES_PATH, operator, publisherIds, logger);
  await mountInspector(app, deps.queues ?? [], QUEUES_PATH);
  return app;
}

/**
 * The audiences of the configured channels that report one (definition.audience), for the overview; a
 * channel whose read fails is left out (logged) rather than failing the page.
 */
function audiencesOf(services: ChannelServices, logger: Logger) {
  return async (publishers: readonly PublisherInfo[]): Promise<PublisherAudience[]> => {
    const out: PublisherAudience[] = [];
    for (const p of publishers) {
      for (const network of p.networks) {
        const d = definitionOf(network);
        if (!d.audience) continue;
        try { out.push({ publisher: p.id, network, summary: await d.audience(services, p.id) }); } catch (e) { logger.warn({ err: e, publisher: p.id, network }, 'could not read a channel audience'); }
      }
    }
    return out;
  };
}

/**
 * The operators' dashboard: pages, JSON API, /metrics and bull-board, all behind one set of access rules
 * (security/access.ts); only /healthz and /readyz are open. Returned not listening: the caller decides
 * where (`app.listen({ host, port })`).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Queue } from 'bullmq';
import type { Config } from '../config/schema.ts';
import type { OperatorService } from '../state/operator.ts';
import type { Logger } from '../log/logger.ts';
import { createI18n } from '../i18n/index.ts';
import { createActions, type PublisherInfo } from './actions.ts';
import { makeCredentialCheck } from './security/credentials.ts';
import { SessionStore } from './security/sessions.ts';
import { LoginLimiter } from './security/login-limiter.ts';
import { installAccessRules } from './security/access.ts';
import { securityHeaders } from './security/headers.ts';
import { registerAssets } from './routes/assets.ts';
import { registerPages } from './routes/pages.ts';
import { registerForms } from './routes/forms.ts';
import { registerApi } from './routes/api.ts';
import { registerLogin } from './routes/login.ts';
import { registerMetrics } from './metrics.ts';
import { mountInspector } from '../queue/inspector.ts';
import type { RouteDeps } from './routes/context.ts';

export interface DashboardDeps {
  config: Config['dashboard'];
  operator: OperatorService;
  logger: Logger;
  isReady: () => Promise<boolean>;
  /** BullMQ queues shown by bull-board at /queues. */
  queues?: Queue[];
  publishers: PublisherInfo[];
  /** Failed logins allowed per client IP per minute (tests may lower it). */
  loginAttemptsPerMinute?: number;
}

export const QUEUES_PATH = '/queues';

export async function createDashboard(deps: DashboardDeps): Promise<FastifyInstance> {
  const { config, operator, logger } = deps;
  const i18n = createI18n(config.language);
  const app = Fastify({
    loggerInstance: logger.child({ component: 'dashboard' }) as FastifyBaseLogger,
    // The overview polls every few seconds: one log line per request would drown everything else.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);

  const sessions = new SessionStore();
  const limiter = new LoginLimiter(deps.loginAttemptsPerMinute ?? 5, 60_000);
  const check = makeCredentialCheck(config.username, config.password);

  app.addHook('onRequest', securityHeaders(QUEUES_PATH));
  installAccessRules(app, { username: config.username, password: config.password, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}), sessions, limiter, check, operator, i18n, queuesPath: QUEUES_PATH });

  // Errors answer without internals (a stack or an SDK message could carry anything).
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'dashboard request failed');
    return reply.code(status).send({ error: status === 500 ? i18n.t('serverError') : err.message });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: i18n.t('notFound') }));

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const ready = await deps.isReady().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  const routeDeps: RouteDeps = {
    operator, i18n, publishers: deps.publishers,
    actions: createActions(operator, deps.publishers, logger),
    names: new Map(deps.publishers.map((p) => [p.id, p.name])),
  };
  registerAssets(app);
  registerLogin(app, routeDeps, { sessions, limiter, check, password: config.password, secureCookies: config.publicUrl?.startsWith('https:') ?? false });
  registerPages(app, routeDeps);
  registerForms(app, routeDeps);
  registerApi(app, routeDeps);
  registerMetrics(app, operator);
  await mountInspector(app, deps.queues ?? [], QUEUES_PATH);
  return app;
}

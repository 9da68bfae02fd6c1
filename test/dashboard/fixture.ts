// SPDX-License-Identifier: EUPL-1.2
/**
 * A dashboard over the fixture world (test/helpers/fixture-world.ts), on the in-memory operator or on
 * RedisOperatorService, with its sessions and sign-in limits in real Redis under a test prefix; and
 * helpers to sign in the way a browser does.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { createDashboard, type DashboardDeps } from '../../src/dashboard/server.ts';
import { createLogger } from '../../src/log/logger.ts';
import { keysFor } from '../../src/redis/keys.ts';
import { hashPassword } from '../../src/access/password-hash.ts';
import type { Config } from '../../src/config/schema.ts';
import type { OperatorService } from '../../src/state/operator.ts';
import type { MemoryOperator } from '../helpers/memory-operator.ts';
import { memoryOperatorFor, WORLD_PASSWORD } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import { cleanPrefix, connectTestRedis, uniquePrefix } from '../helpers/redis.ts';

/** The legacy `dashboard.username`/`password`: one admin. */
export const USER = 'operatore';
export const PASSWORD = WORLD_PASSWORD;
/** Token-like strings a deployment holds; none may ever reach a page or an API answer. */
export const TOKENS = ['EAAGm0PX4ZCpsBAKtoken7f3c', 'xapp-secret-4f1d9a77', 'AAAAAAAAAAAAAAAAAAAAAbearer91c2'];
export const METRICS_TOKEN = 'metrics-token-5b8e1c0d9a7f';

/** People from `dashboard.users`, all with this password. */
export const PEOPLE_PASSWORD = 'una frase lunga per entrare';
export const PEOPLE = [
  { name: 'maria.pescara', role: 'operator' as const, publishers: ['pescara'] },
  { name: 'tito.teramo', role: 'operator' as const, publishers: ['teramo'] },
  { name: 'vera.lettrice', role: 'viewer' as const, publishers: ['pescara'] },
  { name: 'ada.admin', role: 'admin' as const },
];
let hashed: Promise<Config['dashboard']['users']> | undefined;
export function fixtureUsers(): Promise<Config['dashboard']['users']> {
  hashed ??= hashPassword(PEOPLE_PASSWORD).then((passwordHash) => PEOPLE.map((p) => ({ ...p, passwordHash })));
  return hashed;
}

export function seededOperator(): MemoryOperator {
  return memoryOperatorFor(fixtureWorld());
}

export const PUBLISHERS = fixtureWorld().publishers.map((p) => ({ id: p.id, name: p.name, networks: p.networks }));

export function dashboardConfig(extra: Partial<Config['dashboard']> = {}): Config['dashboard'] {
  return {
    host: '127.0.0.1', port: 0, username: USER, password: PASSWORD, language: 'it', users: [],
    idleTimeout: 30 * 60_000, sessionMaxAge: 12 * 3_600_000, trustProxy: false, metricsToken: METRICS_TOKEN, sourceUrl: 'https://github.com/banditore/banditore', ...extra,
  };
}

export interface DashboardOptions {
  operator?: OperatorService;
  language?: 'it' | 'en';
  publicUrl?: string;
  config?: Partial<Config['dashboard']>;
  /** Share sessions and limits with another dashboard: the same Redis prefix. */
  prefix?: string;
  withPeople?: boolean;
  deps?: Partial<DashboardDeps>;
}

export async function makeDashboard(opts: DashboardOptions = {}) {
  const operator = (opts.operator ?? seededOperator()) as MemoryOperator;
  const logLines: string[] = [];
  const logger = createLogger({ secrets: [PASSWORD, METRICS_TOKEN, ...TOKENS], level: 'info', destination: new Writable({ write(c, _e, cb) { logLines.push(String(c)); cb(); } }) });
  const redis: Redis = await connectTestRedis();
  const owned = !opts.prefix;
  const prefix = opts.prefix ?? uniquePrefix('dash');
  const app = await createDashboard({
    config: dashboardConfig({
      language: opts.language ?? 'it', ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      ...(opts.withPeople ? { users: await fixtureUsers() } : {}), ...opts.config,
    }),
    operator, logger, isReady: async () => true, publishers: PUBLISHERS, redis, keys: keysFor(prefix), ...opts.deps,
  });
  app.addHook('onClose', async () => { if (owned) await cleanPrefix(redis, prefix); await redis.quit(); });
  return { app, operator, logLines, redis, prefix };
}

export const basic = (user = USER, pass = PASSWORD) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = set.find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0]!.slice(name.length + 1);
}

export const csrfIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];

/** Signs in through the form like a browser; returns the session cookie header and the page's CSRF token. */
export async function login(app: FastifyInstance, ip = '10.0.0.1', user = USER, pass = PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
  const loginCookie = cookieFrom(page, 'banditore_login')!;
  const res = await app.inject({
    method: 'POST', url: '/login', remoteAddress: ip,
    headers: { cookie: `banditore_login=${loginCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: user, password: pass, next: '/' }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = `banditore_session=${cookieFrom(res, 'banditore_session')}`;
  const home = await app.inject({ method: 'GET', url: '/', headers: { cookie, accept: 'text/html' }, remoteAddress: ip });
  return { cookie, csrf: csrfIn(home.body)! };
}

/** The Redis keys of every session under a prefix (SCAN to the end, never KEYS). */
export async function sessionKeys(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:session:*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

/** A dashboard over seeded in-memory operator data, and helpers to log in the way a browser does. */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createDashboard } from '../../src/dashboard/server.ts';
import { createLogger } from '../../src/log/logger.ts';
import { MemoryOperator, channel } from '../helpers/memory-operator.ts';

export const USER = 'operatore';
export const PASSWORD = 'Pa55-segreta-9f3c1e';
/** Token-like strings a deployment holds; none may ever reach a page or an API answer. */
export const TOKENS = ['EAAGm0PX4ZCpsBAKtoken7f3c', 'xapp-secret-4f1d9a77', 'AAAAAAAAAAAAAAAAAAAAAbearer91c2'];

export function seededOperator(): MemoryOperator {
  const now = Date.now();
  return new MemoryOperator({
    channels: [
      channel('pescara', 'twitter', { counts: { waiting: 2, delayed: 1, active: 0, failed: 1, held: 0, posted: 5 }, limits: [{ max: 100, perMs: 900_000, used: 4, nextFreeAt: 0 }, { max: 17, perMs: 86_400_000, used: 17, nextFreeAt: now + 3_600_000 }] }),
      channel('pescara', 'facebook'),
      channel('teramo', 'facebook', { state: 'paused', paused: { kind: 'auth', reason: 'Error validating access token (code 190)', since: now - 60_000 } }),
    ],
    feeds: [
      { publisher: 'pescara', url: 'https://lavoro.example.it/offerte.rss', lastPollAt: now - 60_000, lastSuccessAt: now - 60_000, lastResult: 'ok', consecutiveFailures: 0, nextPollAt: now + 840_000, lastItems: 12, lastNew: 2 },
      { publisher: 'teramo', url: 'https://teramo.example.it/feed', lastPollAt: now - 60_000, lastResult: 'error', lastError: 'HTTP 503 <b>down</b>', consecutiveFailures: 3 },
    ],
    offers: [
      {
        publisher: 'pescara', key: 'a1b2c3', code: 'PE-2026-041', title: 'Magazziniere <script>alert(1)</script>', url: 'https://lavoro.example.it/o/41', firstSeenAt: now - 7_200_000, state: 'open',
        channels: [
          { network: 'twitter', state: 'posted', remoteId: '1900000000000000001', permalink: 'https://x.example/i/status/1900000000000000001', postedAt: now - 3_600_000, preview: { text: 'Magazziniere a Pescara https://lavoro.example.it/o/41', link: 'https://lavoro.example.it/o/41', length: 46, limit: 280 } },
          { network: 'facebook', state: 'posted', remoteId: '111_222', permalink: 'https://facebook.example/111_222', postedAt: now - 3_000_000 },
        ],
      },
      {
        publisher: 'pescara', key: 'd4e5f6', code: 'PE-2026-042', title: 'Cuoco stagionale', url: 'https://lavoro.example.it/o/42', firstSeenAt: now - 3_600_000, state: 'open',
        channels: [
          { network: 'twitter', state: 'failed', lastError: { errorClass: 'transient', message: 'HTTP 503 from X', at: now - 600_000 } },
          { network: 'facebook', state: 'posted', permalink: 'https://facebook.example/111_333', postedAt: now - 500_000 },
        ],
      },
    ],
    failures: [
      { errorClass: 'transient', jobId: 'pescara-d4e5f6-twitter', publisher: 'pescara', network: 'twitter', offerKey: 'd4e5f6', title: 'Cuoco stagionale', message: 'HTTP 503 from X', at: now - 600_000 },
    ],
    counters: {
      posts: [{ publisher: 'pescara', network: 'twitter', outcome: 'posted', value: 5 }],
      polls: [{ publisher: 'pescara', result: 'ok', value: 9 }],
      limitRefusals: [{ publisher: 'pescara', network: 'twitter', value: 2 }],
      queues: [{ network: 'twitter', waiting: 2, delayed: 1, active: 0, failed: 1, completed: 5 }],
    },
  });
}

export const PUBLISHERS = [
  { id: 'pescara', name: 'Provincia di Pescara', networks: ['twitter', 'facebook'] as Array<'twitter' | 'facebook'> },
  { id: 'teramo', name: 'CPI Teramo', networks: ['facebook'] as Array<'twitter' | 'facebook'> },
];

export async function makeDashboard(opts: { operator?: MemoryOperator; language?: 'it' | 'en'; publicUrl?: string } = {}) {
  const operator = opts.operator ?? seededOperator();
  const logLines: string[] = [];
  const logger = createLogger({ secrets: [PASSWORD, ...TOKENS], level: 'info', destination: new Writable({ write(c, _e, cb) { logLines.push(String(c)); cb(); } }) });
  const app = await createDashboard({
    config: { host: '127.0.0.1', port: 0, username: USER, password: PASSWORD, language: opts.language ?? 'it', ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}) },
    operator, logger, isReady: async () => true, publishers: PUBLISHERS,
  });
  return { app, operator, logLines };
}

export const basic = (user = USER, pass = PASSWORD) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const line = set.find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0]!.slice(name.length + 1);
}

export const csrfIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];

/** Logs in through the form like a browser; returns the session cookie header and the page's CSRF token. */
export async function login(app: FastifyInstance, ip = '10.0.0.1'): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
  const loginCookie = cookieFrom(page, 'banditore_login')!;
  const res = await app.inject({
    method: 'POST', url: '/login', remoteAddress: ip,
    headers: { cookie: `banditore_login=${loginCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: USER, password: PASSWORD, next: '/' }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = `banditore_session=${cookieFrom(res, 'banditore_session')}`;
  const home = await app.inject({ method: 'GET', url: '/', headers: { cookie, accept: 'text/html' }, remoteAddress: ip });
  return { cookie, csrf: csrfIn(home.body)! };
}

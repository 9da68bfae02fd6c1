// SPDX-License-Identifier: EUPL-1.2
/**
 * A whole Banditore stack for tests, on real parts: real Redis (unique prefix), the X and Graph API
 * emulators and the demo feed server as real HTTP servers, and the service's own runtime and roles.
 */
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startWorkers, startPoller, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { startFeedServer, type FeedServer } from '../../src/sandbox/feed-server.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from './redis.ts';
import { Writable } from 'node:stream';

export const SECRETS = {
  X_APP_KEY: 'xappkey-TEST-1111', X_APP_SECRET: 'xappsecret-TEST-2222', X_ACCESS_TOKEN: 'xaccess-TEST-3333', X_ACCESS_SECRET: 'xaccsecret-TEST-4444',
  FB_PAGE_TOKEN: 'fbpagetoken-TEST-5555', DASHBOARD_PASSWORD: 'dash-TEST-6666',
};
export const PAGE_ID = '1234567890';

export interface StackOptions {
  /** Extra YAML for the publisher (indented by 4 spaces), e.g. quietHours. */
  publisherExtra?: string;
  feedExtra?: string;
  twitterExtra?: string;
  facebookExtra?: string;
  initialOffers?: number;
  onFirstPoll?: 'post' | 'skip';
  now?: () => number;
  networks?: Array<'twitter' | 'facebook'>;
  /** More channels' YAML, indented by 6 spaces (e.g. a telegram: block pointing at its emulator). */
  channelsExtra?: string;
  /** More environment variables for the config's ${VAR}s (a channel's tokens). */
  extraEnv?: Record<string, string>;
  /** More YAML above `publishers:` (dashboard keys, top-level sections), indented as at top level. */
  headExtra?: string;
  /** Lanes per network queue; 'default' leaves worker.concurrency out (one lane per account). */
  workerConcurrency?: number | 'default';
  postTimeout?: string;
  /** Which of the sample feeds the publisher reads: RSS (default) or JSON-LD (place, contract and deadline as fields). */
  feedFormat?: 'rss' | 'jsonld';
}

export interface Stack {
  x: XEmulator;
  graph: GraphEmulator;
  feed: FeedServer;
  loaded: LoadedConfig;
  rt: Runtime;
  prefix: string;
  yaml: string;
  env: Record<string, string>;
  logs: string[];
  startWorkers(): Promise<Stop>;
  startPoller(): Promise<Stop>;
  /** Runs one poll of the feed now, in this process, without waiting for the scheduler. */
  pollOnce(): Promise<unknown>;
  stop(): Promise<void>;
}

/** Everything of a test config above `publishers:` (its entries follow). */
export function testConfigHead(o: { redisUrl: string; prefix: string; concurrency?: number; postTimeout: string }): string {
  return `redis:
  url: ${o.redisUrl}
  prefix: ${o.prefix}
dashboard:
  host: 127.0.0.1
  port: 0
  username: operator
  password: \${DASHBOARD_PASSWORD}
worker:${o.concurrency === undefined ? '' : `\n  concurrency: ${o.concurrency}`}
  postTimeout: ${o.postTimeout}
log:
  level: info
publishers:`;
}

export function stackYaml(o: { prefix: string; xUrl: string; graphUrl: string; feedUrl: string } & StackOptions): string {
  const nets = o.networks ?? ['twitter', 'facebook'];
  const head = testConfigHead({ redisUrl: TEST_REDIS_URL, prefix: o.prefix, concurrency: o.workerConcurrency === 'default' ? undefined : o.workerConcurrency ?? 10, postTimeout: o.postTimeout ?? '3s' });
  return `
${o.headExtra ? head.replace(/\npublishers:$/, `\n${o.headExtra}\npublishers:`) : head}
  - id: pescara
    name: Provincia di Pescara – Servizi per il lavoro
    feeds:
      - url: ${o.feedUrl}
        pollInterval: 1s
        onFirstPoll: ${o.onFirstPoll ?? 'post'}
${o.feedExtra ?? ''}
${o.publisherExtra ?? ''}
    channels:
${nets.includes('twitter') ? `      twitter:
        apiBaseUrl: ${o.xUrl}
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: \${X_ACCESS_TOKEN}
        accessSecret: \${X_ACCESS_SECRET}
        backoff: { initial: 200ms, factor: 2, max: 2s }
${o.twitterExtra ?? ''}` : ''}
${nets.includes('facebook') ? `      facebook:
        graphBaseUrl: ${o.graphUrl}
        pageId: "${PAGE_ID}"
        pageAccessToken: \${FB_PAGE_TOKEN}
        backoff: { initial: 200ms, factor: 2, max: 2s }
${o.facebookExtra ?? ''}` : ''}
${o.channelsExtra ?? ''}
`;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('stack');
  const x = await startXEmulator();
  const graph = await startGraphEmulator({ pages: [{ id: PAGE_ID, name: 'Provincia di Pescara', token: SECRETS.FB_PAGE_TOKEN }] });
  const feed = await startFeedServer({ initial: opts.initialOffers ?? 3, newEveryMs: 0, ...(opts.now ? { now: opts.now } : {}) });
  const feedUrl = opts.feedFormat === 'jsonld' ? feed.jsonLdUrl : feed.rssUrl;
  const yaml = stackYaml({ prefix, xUrl: x.url, graphUrl: graph.url, feedUrl, ...opts });
  const env = { ...SECRETS, ...opts.extraEnv, REDIS_URL: TEST_REDIS_URL };
  const loaded = parseConfig(yaml, { env: readEnvironment(env as NodeJS.ProcessEnv), source: 'test config' });
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const logger = createLogger({ level: 'debug', secrets: loaded.secrets, destination: sink });
  const rt = createRuntime(loaded, { logger, ...(opts.now ? { now: opts.now } : {}) });
  const stops: Stop[] = [];
  return {
    x, graph, feed, loaded, rt, prefix, yaml, env, logs,
    async startWorkers() { const s = await startWorkers(rt); stops.push(s); return s; },
    async startPoller() { const s = await startPoller(rt); stops.push(s); return s; },
    pollOnce: () => rt.poller.poll('pescara', feedUrl),
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => undefined);
      await rt.close().catch(() => undefined);
      await Promise.all([x.close(), graph.close(), feed.close()]);
      await cleanPrefix(check, prefix);
      await check.quit();
    },
  };
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) { last = e; }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const livePosts = <T extends { deleted: boolean }>(posts: T[]) => posts.filter((p) => !p.deleted);

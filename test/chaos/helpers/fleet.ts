// SPDX-License-Identifier: EUPL-1.2
/**
 * A deployment of several publishers for limit, error, ledger and chaos tests: each publisher has its own
 * demo feed server, X user (access token) and Facebook Page; the emulators run in this process or in
 * their own (serve.ts); Redis is the shared test Redis or a private one. The test process holds a
 * runtime on the same config (to poll, to run in-process workers, to read the ledger), and can write the
 * config to a file for `banditore` child processes.
 */
import { Writable } from 'node:stream';
import { parseConfig, type LoadedConfig } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../../src/app/runtime.ts';
import { startWorkers, type Stop } from '../../../src/app/roles.ts';
import { createLogger } from '../../../src/log/logger.ts';
import { startXEmulator, type XEmulator, type XPost, type XTier } from '../../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator, type GraphPost } from '../../../src/channels/facebook/emulator.ts';
import { startFeedServer, type FeedServer } from '../../../src/sandbox/feed-server.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../../helpers/redis.ts';
import { testConfigHead } from '../../helpers/stack.ts';
import { startEmulatorProcess, tempDir, freePort, type EmulatorProcess, type TempDir } from './processes.ts';

export interface FleetOptions {
  publishers?: number;
  offersEach?: number;
  /** YAML lines (8-space indent) added to every X / Facebook channel, e.g. `        limits: [...]`. */
  twitterExtra?: string;
  facebookExtra?: string;
  concurrency?: number;
  postTimeout?: string;
  /** Run the emulators in their own process (chaos), else in this one. */
  emulatorsOutOfProcess?: boolean;
  redisUrl?: string;
  /** How often the `run`/`poller` processes poll each feed (default 1h: tests poll by hand). */
  pollInterval?: string;
  /** The X emulator's tier (default: the emulator's own, `free`: the timeline cannot be read). */
  xTier?: XTier;
  /** Both emulators accept duplicate text: only the ledger keeps a post single. */
  acceptDuplicates?: boolean;
}

export interface FleetPublisher {
  id: string;
  feed: FeedServer;
  xToken: string;
  pageId: string;
  pageToken: string;
}

export interface Fleet {
  pubs: FleetPublisher[];
  /** In-process emulators (undefined when out of process). */
  x?: XEmulator;
  graph?: GraphEmulator;
  emu?: EmulatorProcess;
  xPosts(): Promise<XPost[]>;
  graphPosts(): Promise<GraphPost[]>;
  xControl(name: string, ...args: unknown[]): Promise<unknown>;
  graphControl(name: string, ...args: unknown[]): Promise<unknown>;
  rt: Runtime;
  loaded: LoadedConfig;
  yaml: string;
  configPath: string;
  /** The environment a `banditore` child needs (secrets, REDIS_URL). */
  env: Record<string, string>;
  /** Every secret value of the deployment, to search outputs for. */
  secrets: string[];
  logs: string[];
  dir: TempDir;
  prefix: string;
  pollAll(): Promise<void>;
  startWorkers(): Promise<Stop>;
  stop(): Promise<void>;
}

export const APP = { key: 'fleet-appkey-SECRET-a1', secret: 'fleet-appsecret-SECRET-b2' };
const tokenFor = (i: number) => ({ x: `fleet-xaccess-SECRET-${i}-c3`, xs: `fleet-xaccsecret-SECRET-${i}-d4`, page: `fleet-pagetoken-SECRET-${i}-e5` });

function fleetYaml(o: { prefix: string; redisUrl: string; xUrl: string; graphUrl: string; pubs: FleetPublisher[] } & FleetOptions): string {
  const pubs = o.pubs.map((p, i) => `  - id: ${p.id}
    name: Ufficio ${i + 1}
    feeds:
      - url: ${p.feed.rssUrl}
        pollInterval: ${o.pollInterval ?? '1h'}
        onFirstPoll: post
    channels:
      twitter:
        apiBaseUrl: ${o.xUrl}
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: \${X_ACCESS_TOKEN_${i}}
        accessSecret: \${X_ACCESS_SECRET_${i}}
        backoff: { initial: 200ms, factor: 2, max: 2s }
${o.twitterExtra ?? '        limits: [{ max: 1000, per: 1m }]'}
      facebook:
        graphBaseUrl: ${o.graphUrl}
        pageId: "${p.pageId}"
        pageAccessToken: \${FB_PAGE_TOKEN_${i}}
        backoff: { initial: 200ms, factor: 2, max: 2s }
${o.facebookExtra ?? '        limits: [{ max: 1000, per: 1m }]'}
`).join('');
  return `${testConfigHead({ redisUrl: o.redisUrl, prefix: o.prefix, concurrency: o.concurrency ?? 5, postTimeout: o.postTimeout ?? '3s' })}
${pubs}`;
}

export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  const n = opts.publishers ?? 1;
  const prefix = uniquePrefix('fleet');
  const pubs: FleetPublisher[] = [];
  for (let i = 0; i < n; i++) {
    // Offer links on a real-looking domain: X (and twitter-text in its emulator) makes no link entity of
    // an IP address, so a post linking to 127.0.0.1 could never be found again by reconciliation.
    const port = await freePort();
    const served = await startFeedServer({ initial: opts.offersEach ?? 3, newEveryMs: 0, port, publicUrl: `https://lavoro.ufficio${i}.example.it` });
    const feed = { ...served, rssUrl: `http://127.0.0.1:${port}/offerte.xml`, url: `http://127.0.0.1:${port}` };
    const t = tokenFor(i);
    pubs.push({ id: `office${i}`, feed, xToken: t.x, pageId: String(1000000001 + i), pageToken: t.page });
  }
  const pages = pubs.map((p) => ({ id: p.pageId, name: p.id, token: p.pageToken }));
  let x: XEmulator | undefined;
  let graph: GraphEmulator | undefined;
  let emu: EmulatorProcess | undefined;
  if (opts.emulatorsOutOfProcess) {
    emu = await startEmulatorProcess(pages);
    if (opts.xTier) await emu.x('setTier', opts.xTier);
    if (opts.acceptDuplicates) await Promise.all([emu.x('setAcceptDuplicates', true), emu.graph('setAcceptDuplicates', true)]);
  } else {
    x = await startXEmulator({ tier: opts.xTier, acceptDuplicates: opts.acceptDuplicates });
    graph = await startGraphEmulator({ pages, acceptDuplicates: opts.acceptDuplicates });
  }
  const xUrl = emu?.xUrl ?? x!.url;
  const graphUrl = emu?.graphUrl ?? graph!.url;

  const env: Record<string, string> = { X_APP_KEY: APP.key, X_APP_SECRET: APP.secret, DASHBOARD_PASSWORD: 'fleet-dash-SECRET-f6', REDIS_URL: redisUrl };
  pubs.forEach((_, i) => {
    const t = tokenFor(i);
    env[`X_ACCESS_TOKEN_${i}`] = t.x;
    env[`X_ACCESS_SECRET_${i}`] = t.xs;
    env[`FB_PAGE_TOKEN_${i}`] = t.page;
  });
  const secrets = Object.entries(env).filter(([k]) => k !== 'REDIS_URL').map(([, v]) => v);
  const yaml = fleetYaml({ ...opts, prefix, redisUrl, xUrl, graphUrl, pubs });
  const dir = await tempDir('fleet');
  const configPath = await dir.write('banditore.yaml', yaml);
  const loaded = parseConfig(yaml, { env: readEnvironment(env as NodeJS.ProcessEnv), source: configPath });
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } });
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'debug', secrets: loaded.secrets, destination: sink }) });
  // While a chaos test has Redis down, the queues' connections complain; the runtime's logger has it.
  for (const q of rt.queues.all()) q.on('error', (e) => rt.logger.warn({ err: e }, 'queue connection problem'));
  const stops: Stop[] = [];

  const xControl = (name: string, ...args: unknown[]) => emu ? emu.x(name, ...args) : Promise.resolve((x as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args));
  const graphControl = (name: string, ...args: unknown[]) => emu ? emu.graph(name, ...args) : Promise.resolve((graph as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args));
  return {
    pubs, x, graph, emu, rt, loaded, yaml, configPath, env, secrets, logs, dir, prefix,
    xControl, graphControl,
    xPosts: async () => (await xControl('posts')) as XPost[],
    graphPosts: async () => (await graphControl('posts')) as GraphPost[],
    async pollAll() { for (const p of pubs) await rt.poller.poll(p.id, p.feed.rssUrl); },
    async startWorkers() { const s = await startWorkers(rt); stops.push(s); return s; },
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => undefined);
      await rt.close().catch(() => undefined);
      await Promise.all([x?.close(), graph?.close(), emu?.stop(), ...pubs.map((p) => p.feed.close())]);
      if (redisUrl === TEST_REDIS_URL) {
        const r = await connectTestRedis();
        await cleanPrefix(r, prefix);
        await r.quit();
      }
      await dir.remove();
    },
  };
}

/** X user id of a publisher (the emulator derives it from the access token). */
export { xUserFor } from '../../../src/channels/twitter/emulator.ts';

// SPDX-License-Identifier: EUPL-1.2
/**
 * Kit for the tests of issue 13's feed behaviour: an office page that serves exactly what a test says,
 * poll by poll (all offers, half of them, a JSON-LD block that does not parse, an offer leaving or
 * coming back), as an HTML page with one `<script type="application/ld+json">` block per offer, the
 * way many portals embed JobPosting; and the service's runtime around it on real parts (real Redis
 * with a unique prefix, the X and Graph emulators, the delivery workers, the poller role).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startPoller, startWorkers, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { stackYaml, SECRETS, PAGE_ID, waitFor, type StackOptions } from '../helpers/stack.ts';
import { offer, type OfficeOffer } from './life-kit.ts';

export { offer };

/** What one answer of the page shows. */
export interface PageShow {
  offers: OfficeOffer[];
  /** Codes of offers whose JSON-LD block is written broken (it does not parse). */
  broken?: string[];
}

export interface OfficePage {
  /** The page's URL (the path ignores any query, so a test may add a key to it). */
  url: string;
  base: string;
  /** What the page shows from now on, after the planned answers are used up. */
  show: PageShow;
  /** Answers to give, one per request, before `show` again. */
  plan: PageShow[];
  /** Requests answered so far. */
  requests: number;
  /** When set, every answer has this status and no body (a failing portal). */
  failWith?: number;
  linkOf(code: string): string;
  close(): Promise<void>;
}

function block(o: OfficeOffer, link: string): string {
  return JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    identifier: { '@type': 'PropertyValue', name: 'CPI', value: o.code },
    title: o.title,
    description: `<p>${o.description}</p>`,
    url: link,
    ...(o.validThrough ? { validThrough: o.validThrough } : {}),
    ...(o.contract ? { employmentType: o.contract } : {}),
    ...(o.location ? { jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: o.location, addressRegion: 'PE' } } } : {}),
  });
}

export async function startOfficePage(initial: OfficeOffer[]): Promise<OfficePage> {
  const page: OfficePage = {
    url: '', base: '', show: { offers: initial }, plan: [], requests: 0,
    linkOf: (code) => `${page.base}/offerte/${code}`,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/offerte.html') { res.writeHead(404).end(); return; }
    page.requests++;
    if (page.failWith) { res.writeHead(page.failWith).end(); return; }
    const show = page.plan.shift() ?? page.show;
    const scripts = show.offers.map((o) => {
      const json = block(o, page.linkOf(o.code));
      // A CMS that cut the block short: the JSON never closes.
      const body = show.broken?.includes(o.code) ? json.slice(0, Math.floor(json.length / 2)) : json;
      return `<script type="application/ld+json">${body}</script>`;
    }).join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="it"><head><title>Offerte di lavoro</title>\n${scripts}\n</head><body><h1>Offerte</h1></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  page.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  page.url = `${page.base}/offerte.html`;
  return page;
}

export interface PageLifeOptions extends Omit<StackOptions, 'now'> {
  initial: OfficeOffer[];
  /** The feed URL as the config writes it; `{url}` is replaced by the page's URL. */
  feedUrl?: string;
  env?: Record<string, string>;
  pollInterval?: string;
}

export interface PageLife {
  x: XEmulator;
  graph: GraphEmulator;
  page: OfficePage;
  loaded: LoadedConfig;
  rt: Runtime;
  logs: string[];
  feedUrl: string;
  startWorkers(): Promise<Stop>;
  startPoller(): Promise<Stop>;
  pollOnce(): ReturnType<Runtime['poller']['poll']>;
  /** Resolves once the page has answered `n` more requests and the poll that made the last one is over. */
  polls(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPageLife(opts: PageLifeOptions): Promise<PageLife> {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('page');
  const x = await startXEmulator();
  const graph = await startGraphEmulator({ pages: [{ id: PAGE_ID, name: 'Provincia di Pescara', token: SECRETS.FB_PAGE_TOKEN }] });
  const page = await startOfficePage(opts.initial);
  const feedUrl = (opts.feedUrl ?? '{url}').replace('{url}', page.url);
  let yaml = stackYaml({ onFirstPoll: 'post', ...opts, prefix, xUrl: x.url, graphUrl: graph.url, feedUrl });
  if (opts.pollInterval) yaml = yaml.replace('pollInterval: 1s', `pollInterval: ${opts.pollInterval}`);
  const logs: string[] = [];
  const stops: Stop[] = [];
  let rt: Runtime | undefined;
  const cleanup = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await rt?.close().catch(() => undefined);
    await Promise.all([x.close(), graph.close(), page.close()]);
    await cleanPrefix(check, prefix);
    await check.quit();
  };
  try {
    const loaded = parseConfig(yaml, { env: readEnvironment({ ...SECRETS, REDIS_URL: TEST_REDIS_URL, ...opts.env } as NodeJS.ProcessEnv), source: 'test config' });
    const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
    const logger = createLogger({ level: 'debug', secrets: loaded.secrets, destination: sink });
    rt = createRuntime(loaded, { logger });
    const runtime = rt;
    const url = loaded.config.publishers[0]!.feeds[0]!.url;
    return {
      x, graph, page, loaded, rt: runtime, logs, feedUrl: url,
      async startWorkers() { const s = await startWorkers(runtime); stops.push(s); return s; },
      async startPoller() { const s = await startPoller(runtime); stops.push(s); return s; },
      pollOnce: () => runtime.poller.poll('pescara', url),
      async polls(n) {
        // Evidence: the deployment's poll counter (banditore_feed_polls_total) moved by n, and the
        // page answered as many requests; a poll is counted once it has applied what it read.
        const done = async () => (await runtime.counters.read()).polls.filter((p) => p.publisher === 'pescara').reduce((a, p) => a + p.value, 0);
        const target = (await done()) + n;
        await waitFor(`${n} more poll(s) of the page`, async () => (await done()) >= target, 30_000, 20);
      },
      stop: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

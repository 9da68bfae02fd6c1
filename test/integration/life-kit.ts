// SPDX-License-Identifier: EUPL-1.2
/**
 * Kit for the "life of an offer" tests (issue #6): a tiny employment office whose JSON-LD feed the test
 * edits at will (correct, withdraw, let expire), and a stack around it on real parts: real Redis with a
 * unique prefix, the X and Graph emulators, the service's runtime and delivery workers, and a clock the
 * test moves. The demo feed server only ever adds offers; these tests need to change and remove them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startWorkers, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { stackYaml, SECRETS, PAGE_ID, type StackOptions } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';

export interface OfficeOffer {
  code: string;
  title: string;
  description: string;
  location?: string;
  employer?: string;
  contract?: string;
  /** ISO instant or a bare date (yyyy-mm-dd: the end of that day in the publisher's zone). */
  validThrough?: string;
}

export interface Office {
  url: string;
  /** What the feed lists from now on (the next poll sees it). */
  list: OfficeOffer[];
  linkOf(code: string): string;
  close(): Promise<void>;
}

/** One JSON-LD ItemList of JobPostings, re-rendered on every request from `list`. */
export async function startOffice(initial: OfficeOffer[] = []): Promise<Office> {
  let base = '';
  const office: Office = {
    url: '',
    list: initial,
    linkOf: (code) => `${base}/offerte/${code}`,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
  const server: Server = createServer((req, res) => {
    const body = JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'ItemList',
      itemListElement: office.list.map((o, i) => ({
        '@type': 'ListItem', position: i + 1,
        item: {
          '@type': 'JobPosting',
          identifier: { '@type': 'PropertyValue', name: 'CPI', value: o.code },
          title: o.title,
          description: `<p>${o.description}</p>`,
          url: office.linkOf(o.code),
          ...(o.validThrough ? { validThrough: o.validThrough } : {}),
          ...(o.employer ? { hiringOrganization: { '@type': 'Organization', name: o.employer } } : {}),
          ...(o.contract ? { employmentType: o.contract } : {}),
          ...(o.location ? { jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: o.location, addressRegion: 'PE' } } } : {}),
        },
      })),
    });
    res.writeHead(req.url === '/offerte.jsonld' ? 200 : 404, { 'content-type': 'application/ld+json; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  office.url = `${base}/offerte.jsonld`;
  return office;
}

export function offer(n: number, extra: Partial<OfficeOffer> = {}): OfficeOffer {
  const places = ['Montesilvano', 'Spoltore', "Città Sant'Angelo", 'Penne', 'Manoppello', 'Popoli'];
  return {
    code: `PE-2026-${String(n).padStart(5, '0')}`,
    title: `Operaio/a di produzione n. ${n}`,
    description: `Azienda del territorio ricerca personale per la linea ${n}.`,
    location: places[n % places.length],
    contract: 'TEMPORARY',
    ...extra,
  };
}

/** A clock the test sets and moves; `jump` moves it forward like time passing. */
export class TestClock {
  constructor(public ms: number) {}
  now = (): number => this.ms;
  set(ms: number): void { this.ms = ms; }
  jump(ms: number): void { this.ms += ms; }
}

/** A clock that runs with real time but reads `offset` ms ahead (or behind): BullMQ's delays stay real. */
export class RunningClock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  /** From now on, the clock reads `ms` at this instant and runs on from there. */
  setNow(ms: number): void { this.offset = ms - Date.now(); }
}

export interface LifeOptions extends Omit<StackOptions, 'now'> {
  clock?: { now: () => number };
  /** Directory template files are resolved against (the config file's directory in production). */
  baseDir?: string;
  initial?: OfficeOffer[];
}

export interface Life {
  x: XEmulator;
  graph: GraphEmulator;
  office: Office;
  loaded: LoadedConfig;
  rt: Runtime;
  yaml: string;
  logs: string[];
  startWorkers(): Promise<Stop>;
  pollOnce(): ReturnType<Runtime['poller']['poll']>;
  stop(): Promise<void>;
}

export function lifeConfig(yaml: string, baseDir?: string): LoadedConfig {
  return parseConfig(yaml, { env: readEnvironment({ ...SECRETS, REDIS_URL: TEST_REDIS_URL } as NodeJS.ProcessEnv), source: 'test config', ...(baseDir ? { baseDir } : {}) });
}

export async function startLife(opts: LifeOptions = {}): Promise<Life> {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('life');
  const x = await startXEmulator();
  const graph = await startGraphEmulator({ pages: [{ id: PAGE_ID, name: 'Provincia di Pescara', token: SECRETS.FB_PAGE_TOKEN }] });
  const office = await startOffice(opts.initial ?? []);
  const yaml = stackYaml({ onFirstPoll: 'post', ...opts, prefix, xUrl: x.url, graphUrl: graph.url, feedUrl: office.url });
  const logs: string[] = [];
  const stops: Stop[] = [];
  let rt: Runtime | undefined;
  const cleanup = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await rt?.close().catch(() => undefined);
    await Promise.all([x.close(), graph.close(), office.close()]);
    await cleanPrefix(check, prefix);
    await check.quit();
  };
  try {
    const loaded = lifeConfig(yaml, opts.baseDir);
    const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
    const logger = createLogger({ level: 'debug', secrets: loaded.secrets, destination: sink });
    rt = createRuntime(loaded, { logger, ...(opts.clock ? { now: opts.clock.now } : {}) });
    const runtime = rt;
    return {
      x, graph, office, loaded, rt: runtime, yaml, logs,
      async startWorkers() { const s = await startWorkers(runtime); stops.push(s); return s; },
      pollOnce: () => runtime.poller.poll('pescara', office.url),
      stop: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Posts on each network that mention the offer's link (X: in the text; Facebook: the link field). */
export function postsOf(life: Life, link: string) {
  return {
    x: life.x.posts().filter((p) => p.text.includes(link)),
    fb: life.graph.posts().filter((p) => p.link === link),
  };
}

/**
 * Lets queued work run to its end before asserting "nothing more happened": waits until no delivery
 * queue holds a job in any state that can still run (waiting, prioritized, delayed, active,
 * waiting-children), and fails at the deadline naming what is left. Anything wrongly queued either runs
 * (and the assertions see it) or keeps the queues busy (and this fails): never a silent pass.
 */
export async function settle(life: Life, opts: { timeoutMs?: number } = {}): Promise<void> {
  await drained(life.rt, opts);
}

/** The offer key the service gave the office's offer with this link (as the dashboard would find it). */
export async function keyOf(life: Life, link: string): Promise<string> {
  for (const key of await life.rt.offers.list('pescara', 0, 1000)) {
    if ((await life.rt.offers.get('pescara', key))?.offer.url === link) return key;
  }
  throw new Error(`no stored offer links to ${link}`);
}

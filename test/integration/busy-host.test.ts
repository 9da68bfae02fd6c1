// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, "feeds of one busy host never skip a whole interval": a region's portal serves many
 * offices' feeds from one host. When more of them come due than `fetch.perHost` allows in flight and
 * waiting, the extra polls must get a turn within seconds (not fail as "host busy" and wait an hour);
 * only a host whose requests outlast the timeout may push its own feeds back, and never a fast host's.
 * The poller role on real Redis and BullMQ, against local feed hosts.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startPoller, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { feedRef } from '../../src/poller/poll-feed.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { SECRETS, testConfigHead, waitFor } from '../helpers/stack.ts';

interface Host { base: string; peak: number; requests: number; close(): Promise<void> }

/** A feed host: /f/N.xml is a one-item RSS feed, answered after `delayMs`. */
async function startHost(delayMs: number): Promise<Host> {
  let inFlight = 0;
  const host: Host = { base: '', peak: 0, requests: 0, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  const server: Server = createServer((req, res) => {
    host.requests++;
    host.peak = Math.max(host.peak, ++inFlight);
    // A request is in flight until its answer is sent or the client gives up on it (a timeout).
    res.on('close', () => { inFlight--; });
    const n = /\/f\/(\d+)\.xml/.exec(req.url ?? '')?.[1] ?? '0';
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>CPI ${n}</title><item><title>Offerta ${n}</title><link>${host.base}/o/${n}</link><guid isPermaLink="false">F${n}</guid></item></channel></rss>`);
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return host;
}

interface Farm { rt: Runtime; urls: string[]; x: XEmulator; hosts: Host[]; stop(): Promise<void> }

async function startFarm(feedUrls: string[], hosts: Host[], fetchYaml: string): Promise<Farm> {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('busy');
  const x = await startXEmulator();
  const yaml = `${testConfigHead({ redisUrl: TEST_REDIS_URL, prefix, concurrency: 2, postTimeout: '3s' }).replace('publishers:', `fetch:\n${fetchYaml}\npublishers:`)}
  - id: regione
    name: Regione – Servizi per il lavoro
    feeds:
${feedUrls.map((u) => `      - url: ${u}\n        pollInterval: 1h\n        onFirstPoll: skip`).join('\n')}
    channels:
      twitter:
        apiBaseUrl: ${x.url}
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: \${X_ACCESS_TOKEN}
        accessSecret: \${X_ACCESS_SECRET}
`;
  const loaded = parseConfig(yaml, { env: readEnvironment({ ...SECRETS, REDIS_URL: TEST_REDIS_URL } as NodeJS.ProcessEnv), source: 'test config' });
  const logger = createLogger({ level: 'info', secrets: loaded.secrets, destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  const rt = createRuntime(loaded, { logger });
  const stops: Stop[] = [];
  // Every feed has been polled before and is next due in an hour: the poller's start leaves them be,
  // and the test makes them all come due at the same moment.
  await Promise.all(feedUrls.map((u) => rt.redis.hset(rt.keys.feed('regione', u), { nextPollAt: Date.now() + 3_600_000, firstPollDone: '1' })));
  stops.push(await startPoller(rt));
  return {
    rt, urls: feedUrls, x, hosts,
    async stop() {
      for (const s of stops) await s().catch(() => undefined);
      await rt.close().catch(() => undefined);
      await Promise.all([x.close(), ...hosts.map((h) => h.close())]);
      await cleanPrefix(check, prefix);
      await check.quit();
    },
  };
}

/** All the feeds come due at once (a portal's feeds sharing a slot, or every feed overdue after a stop). */
async function dueNow(f: Farm, urls: string[]): Promise<void> {
  await Promise.all(urls.map((u, i) => f.rt.queues.pollNow({ publisher: 'regione', feed: feedRef(u) }, `due.${i}`, 0)));
}

const health = (f: Farm, url: string) => f.rt.feeds.get('regione', url).then((r) => r.status);

let farm: Farm | undefined;
afterEach(async () => { await farm?.stop(); farm = undefined; });

describe('feeds of one busy host', () => {
  it('250 feeds of one fast host with perHost: 2 are all polled soon after they come due, none failing as "host busy"', async () => {
    const host = await startHost(5);
    const urls = Array.from({ length: 250 }, (_, i) => `${host.base}/f/${i}.xml`);
    farm = await startFarm(urls, [host], '  perHost: 2');
    const f = farm;
    const since = Date.now();
    await dueNow(f, urls);
    // Positive evidence: every feed's health records a successful poll after they came due.
    await waitFor('every feed polled', async () => (await Promise.all(urls.map((u) => health(f, u)))).every((s) => (s.lastSuccessAt ?? 0) >= since), 100_000, 250);
    const all = await Promise.all(urls.map((u) => health(f, u)));
    expect(all.filter((s) => s.lastError !== undefined || s.consecutiveFailures > 0)).toEqual([]);
    expect(all.every((s) => (s.nextPollAt ?? 0) > Date.now() + 3_000_000)).toBe(true); // their next poll is their schedule's
    expect(host.peak).toBeLessThanOrEqual(2);
    const polls = (await f.rt.counters.read()).polls;
    expect(polls.filter((p) => p.result === 'error')).toEqual([]);
  }, 120_000);

  it("a slow host (its requests outlast the timeout) pushes back only its own feeds, never a fast host's", async () => {
    const slow = await startHost(3000);
    const fast = await startHost(5);
    const slowUrls = Array.from({ length: 30 }, (_, i) => `${slow.base}/f/${i}.xml`);
    const fastUrls = Array.from({ length: 30 }, (_, i) => `${fast.base}/f/${100 + i}.xml`);
    farm = await startFarm([...slowUrls, ...fastUrls], [slow, fast], '  perHost: 2\n  timeout: 1s\n  connectTimeout: 500ms');
    const f = farm;
    const since = Date.now();
    // The slow host's feeds first, so that they hold the poll worker when the fast ones come due.
    await dueNow(f, slowUrls);
    await dueNow(f, fastUrls);
    await waitFor("every fast host's feed polled", async () => (await Promise.all(fastUrls.map((u) => health(f, u)))).every((s) => (s.lastSuccessAt ?? 0) >= since), 60_000, 250);
    const fastHealth = await Promise.all(fastUrls.map((u) => health(f, u)));
    expect(fastHealth.filter((s) => s.consecutiveFailures > 0)).toEqual([]);
    // The slow host's feeds failed (timed out, or host busy behind the ones that did) and wait for their interval.
    await waitFor("the slow host's feeds given up until their next interval", async () => (await Promise.all(slowUrls.map((u) => health(f, u)))).every((s) => s.lastResult === 'error'), 60_000, 250);
    const slowHealth = await Promise.all(slowUrls.map((u) => health(f, u)));
    expect(slowHealth.every((s) => /timed out|host busy/.test(s.lastError ?? ''))).toBe(true);
    expect(slow.peak).toBeLessThanOrEqual(2);
    expect(fast.peak).toBeLessThanOrEqual(2);
  }, 120_000);
});

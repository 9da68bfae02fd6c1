// SPDX-License-Identifier: EUPL-1.2
/**
 * Target 1 (every office in Italy on one small machine): 1,000 publishers, 2,000 accounts, 1,000 feeds
 * polled every 5 minutes, feeds unchanged (answering 304). Measures the `run` process' resident memory
 * and CPU over a window of real time at the real polling rate (1,000 feeds / 300 s = 3.3 polls/s), and
 * reads from Redis how the pollers' schedules are spread over the interval.
 *
 * Method: every feed is polled once before the service starts (its first poll, which stores the ETag),
 * so the window shows the steady state and not the one-off first import.
 */
import { loadConfig } from '../src/config/load.ts';
import { readEnvironment } from '../src/config/env.ts';
import { createRuntime } from '../src/app/runtime.ts';
import { createLogger } from '../src/log/logger.ts';
import { startFeedFarm } from './feed-farm.ts';
import { writeFleet } from './fleet.ts';
import { startService, type ProcSample } from './service.ts';
import type { PrivateRedis } from './private-redis.ts';

export interface IdleResult {
  publishers: number; feeds: number; accounts: number; hosts: number;
  windowS: number; intervalS: number;
  cpuPctOfCore: number; rssMb: number; peakRssMb: number; redisCpuPct: number;
  polls: number; pollsPerS: number; notModified: number; peakPerHost: number; perHostLimit: number;
  spread: { busiestSecond: number; busiest10s: number; meanPerSecond: number; emptySeconds: number };
  startupS: number; problems: string[];
}

async function eachLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (i < items.length) await fn(items[i++]!); }));
}

export async function benchIdle(o: { redis: PrivateRedis; xUrl: string; graphUrl: string; publishers: number; hosts: number; windowS: number; settleS: number; log: (s: string) => void }): Promise<IdleResult> {
  const farm = await startFeedFarm({ feeds: o.publishers, hosts: o.hosts, initialItems: 5 });
  const fleet = writeFleet({ feedUrls: farm.feeds.map((f) => f.url), xUrl: o.xUrl, graphUrl: o.graphUrl, pollInterval: '5m', onFirstPoll: 'skip', redis: { url: o.redis.url } });
  const loaded = loadConfig(fleet.file, readEnvironment({}));
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'silent', secrets: [] }) });
  try {
    o.log(`idle: first poll of ${o.publishers} feeds (warm-up, not measured)`);
    await eachLimited(loaded.config.publishers, 16, (p) => rt.poller.poll(p.id, p.feeds[0]!.url));

    const t0 = Date.now();
    const svc = await startService('run', fleet.file, fleet.dir, 'idle-run');
    const startupS = (Date.now() - t0) / 1000;
    try {
      o.log(`idle: service started in ${startupS.toFixed(1)} s; settling ${o.settleS} s, then measuring ${o.windowS} s`);
      await new Promise((r) => setTimeout(r, o.settleS * 1000));
      const polls0 = farm.answered.ok + farm.answered.notModified;
      const nm0 = farm.answered.notModified;
      const redis0 = await o.redis.cpuSeconds();
      const first = svc.sample();
      let last: ProcSample = first;
      let peakRss = first.rssMb;
      const until = performance.now() + o.windowS * 1000;
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, 1000));
        last = svc.sample();
        peakRss = Math.max(peakRss, last.rssMb);
      }
      const wallMs = last.at - first.at;
      const polls = farm.answered.ok + farm.answered.notModified - polls0;

      // Where each feed's next poll falls within the interval.
      const schedulers = await rt.queues.poll.getJobSchedulers(0, -1);
      const perSecond = new Map<number, number>();
      const per10 = new Map<number, number>();
      for (const s of schedulers) {
        const next = Number(s.next ?? 0);
        perSecond.set(Math.floor(next / 1000), (perSecond.get(Math.floor(next / 1000)) ?? 0) + 1);
        per10.set(Math.floor(next / 10_000), (per10.get(Math.floor(next / 10_000)) ?? 0) + 1);
      }
      const intervalS = loaded.config.publishers[0]!.feeds[0]!.pollInterval / 1000;
      return {
        publishers: o.publishers, feeds: o.publishers, accounts: o.publishers * 2, hosts: o.hosts,
        windowS: wallMs / 1000, intervalS,
        cpuPctOfCore: ((last.cpuMs - first.cpuMs) / wallMs) * 100,
        rssMb: last.rssMb, peakRssMb: peakRss,
        redisCpuPct: (((await o.redis.cpuSeconds()) - redis0) * 1000 / wallMs) * 100,
        polls, pollsPerS: polls / (wallMs / 1000), notModified: farm.answered.notModified - nm0,
        peakPerHost: Math.max(...farm.feeds.map((f) => farm.peakPerHost(f.host))), perHostLimit: loaded.config.fetch.perHost,
        spread: {
          busiestSecond: Math.max(...perSecond.values()), busiest10s: Math.max(...per10.values()),
          meanPerSecond: schedulers.length / intervalS, emptySeconds: intervalS - perSecond.size,
        },
        startupS, problems: svc.problems().slice(0, 5),
      };
    } finally {
      await svc.stop();
    }
  } finally {
    await rt.close();
    await farm.close();
    fleet.remove();
  }
}

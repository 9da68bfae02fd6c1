// SPDX-License-Identifier: EUPL-1.2
/**
 * Target 4 (polling at scale): one slow office server must never delay the feeds of the others, and no
 * host gets more than `fetch.perHost` requests at once. A `poller` process polls SLOW feeds on one host
 * that answers after SLOW_MS, and FAST feeds spread over four quick hosts, every INTERVAL. The slow host
 * can serve perHost / SLOW_MS polls per second, far fewer than it is asked for, so its polls pile up.
 * Measured from the feed servers' side: how many polls each fast feed got against the number its
 * schedule asks for, the longest gap between two polls of a fast feed, and the slow host's peak
 * concurrency.
 */
import { startFeedFarm } from './feed-farm.ts';
import { writeFleet } from './fleet.ts';
import { startService } from './service.ts';
import type { PrivateRedis } from './private-redis.ts';

const SLOW = 60;
const FAST = 20;
const SLOW_MS = 5000;
const INTERVAL_S = 10;
const WINDOW_S = 60;

export interface SlowHostResult {
  slowFeeds: number; fastFeeds: number; slowMs: number; intervalS: number; windowS: number;
  fastPolls: number; fastExpected: number; fastWorstGapS: number; slowPeak: number; perHostLimit: number; slowPolls: number;
}

export async function benchSlowHost(o: { redis: PrivateRedis; xUrl: string; graphUrl: string; log: (s: string) => void }): Promise<SlowHostResult> {
  // Feeds 0..SLOW-1 on host 0 (slow); the rest on hosts 1..4.
  const farm = await startFeedFarm({ feeds: SLOW + FAST, hosts: 5, initialItems: 3, hostOf: (i) => (i < SLOW ? 0 : 1 + (i % 4)) });
  farm.setDelay(0, SLOW_MS);
  const fleet = writeFleet({ feedUrls: farm.feeds.map((f) => f.url), xUrl: o.xUrl, graphUrl: o.graphUrl, pollInterval: `${INTERVAL_S}s`, onFirstPoll: 'skip', redis: { url: o.redis.url } });
  try {
    const svc = await startService('poller', fleet.file, fleet.dir, 'slowhost-poller');
    try {
      // One full interval for the schedules' first slots to pass, then the window.
      o.log(`slow host: ${SLOW} feeds on a host answering in ${SLOW_MS / 1000} s, ${FAST} on quick hosts, every ${INTERVAL_S} s; watching ${WINDOW_S} s`);
      await new Promise((r) => setTimeout(r, INTERVAL_S * 1000));
      const from = Date.now();
      await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
      const to = Date.now();
      const fast = farm.feeds.slice(SLOW);
      let polls = 0;
      let worstGap = 0;
      for (const f of fast) {
        const inWindow = f.hits.filter((t) => t >= from && t < to);
        polls += inWindow.length;
        // Gaps inside the window, including from its start to the first poll and from the last poll to its end.
        const marks = [from, ...inWindow, to];
        for (let i = 1; i < marks.length; i++) worstGap = Math.max(worstGap, marks[i]! - marks[i - 1]!);
      }
      const slowPolls = farm.feeds.slice(0, SLOW).reduce((n, f) => n + f.hits.filter((t) => t >= from && t < to).length, 0);
      return {
        slowFeeds: SLOW, fastFeeds: FAST, slowMs: SLOW_MS, intervalS: INTERVAL_S, windowS: WINDOW_S,
        fastPolls: polls, fastExpected: FAST * (WINDOW_S / INTERVAL_S), fastWorstGapS: worstGap / 1000,
        slowPeak: farm.peakPerHost(0), perHostLimit: 2, slowPolls,
      };
    } finally {
      await svc.stop();
    }
  } finally {
    await farm.close();
    fleet.remove();
  }
}

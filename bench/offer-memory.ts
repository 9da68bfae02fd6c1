// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13: Redis runs with `noeviction`, so what an offer costs there, and that the pruner gives it
 * back. A deployment of FEEDS offices with OFFERS_EACH open offers each is posted on both networks (the
 * real runtime and delivery workers in this process, the emulators, the private Redis), then:
 *  - bytes per open offer, three ways: `MEMORY USAGE` of one offer's own keys (its hash and its ledger
 *    entry on each network), averaged over a sample; the same summed over every key of the service
 *    (indexes included, BullMQ's keys and the limit windows left out: they bound themselves); and
 *    Redis' `used_memory` growth (everything, with BullMQ's completed jobs cleaned first);
 *  - every office withdraws all its offers but one; they close; the pruner runs with its clock past
 *    `retention`; the service's keys again: what is left per offer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.ts';
import { createRuntime, type Runtime } from '../src/app/runtime.ts';
import { startWorkers } from '../src/app/roles.ts';
import { createLogger } from '../src/log/logger.ts';
import { prunerDuty } from '../src/duties/pruner.ts';
import { startFeedFarm } from './feed-farm.ts';
import { writeFleet } from './fleet.ts';
import type { PrivateRedis } from './private-redis.ts';

const FEEDS = 40;
const OFFERS_EACH = 50;

export interface OfferMemoryResult {
  offers: number; sample: number;
  keysBytes: { offer: number; ledger: number; total: number };
  /** used_memory growth per offer (everything, BullMQ's bounded parts included). */
  infoBytesPerOffer: number;
  /** The service's own keys per offer (ownKeysBytes), open / closed / after the pruner. */
  ownBytesPerOffer: { open: number; closed: number; pruned: number };
  afterPruneBytesPerOffer: number; leftOpen: number;
  pruned: Record<string, unknown>;
}

async function usedMemory(r: PrivateRedis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(String(await r.client.info('memory')))?.[1] ?? 0);
}

/**
 * MEMORY USAGE summed over the service's own keys (SCAN of the deployment's prefix, in the bench only),
 * leaving out what bounds itself whatever the offers: BullMQ's keys (job retention, event streams
 * trimmed to about 10,000 events per queue) and the limit windows (slots expire with their window).
 */
async function ownKeysBytes(r: PrivateRedis, prefix: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await r.client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) {
      if (/^[^:]+:(twitter|facebook|poll):|^[^:]+:limit:/.test(k)) continue;
      total += Number(await r.client.memory('USAGE', k)) || 0;
    }
  } while (cursor !== '0');
  return total;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > timeoutMs) throw new Error(`offer memory: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function postOutcome(rt: Runtime, outcome: string): Promise<number> {
  return (await rt.counters.read()).posts.filter((p) => p.outcome === outcome).reduce((a, p) => a + p.value, 0);
}

async function cleanCompleted(rt: Runtime): Promise<void> {
  for (const q of rt.queues.all()) await q.clean(0, 1_000_000, 'completed');
}

export async function benchOfferMemory(o: { redis: PrivateRedis; xUrl: string; graphUrl: string; log: (s: string) => void }): Promise<OfferMemoryResult> {
  const farm = await startFeedFarm({ feeds: FEEDS, hosts: 4, initialItems: OFFERS_EACH });
  const fleet = writeFleet({ feedUrls: farm.feeds.map((f) => f.url), xUrl: o.xUrl, graphUrl: o.graphUrl, pollInterval: '1h', onFirstPoll: 'post', limits: '[{ max: 1000000, per: 15m }]', concurrency: 20, redis: { url: o.redis.url }, logLevel: 'warn' });
  // Withdrawn offers close once missing from one complete poll, so the bench need not wait for three.
  writeFileSync(fleet.file, readFileSync(fleet.file, 'utf8').replaceAll('onFirstPoll: post', 'onFirstPoll: post\n        onRemoval: close\n        closeAfterMissing: 1'));
  const rt = createRuntime(loadConfig(fleet.file), { logger: createLogger({ level: 'error' }) });
  const offers = FEEDS * OFFERS_EACH;
  // As the poll worker does: a poll whose host is busy comes back at the turn it was given.
  const pollOne = async (p: Runtime['config']['publishers'][number]) => {
    for (;;) {
      const r = await rt.poller.poll(p.id, p.feeds[0]!.url);
      if (r.result !== 'busy') return r;
      await new Promise((w) => setTimeout(w, r.retryInMs ?? 500));
    }
  };
  const pollAll = () => Promise.all(rt.config.publishers.map(pollOne));
  try {
    const empty = await usedMemory(o.redis);
    const stop = await startWorkers(rt);
    try {
      o.log(`offer memory: ${offers} offers on ${FEEDS} feeds, posted on both networks`);
      await pollAll();
      await until('every offer posted', async () => (await postOutcome(rt, 'posted')) >= offers * 2);
      await cleanCompleted(rt);
      const open = await usedMemory(o.redis);
      const ownOpen = await ownKeysBytes(o.redis, rt.prefix);

      // One offer's own keys, over a sample.
      const sample: Array<{ offer: number; ledger: number }> = [];
      for (const p of rt.config.publishers.slice(0, 10)) {
        for (const key of await rt.offers.list(p.id, 0, 10)) {
          const [offer, tw, fb] = await Promise.all([rt.keys.offer(p.id, key), rt.keys.ledger(p.id, 'twitter', key), rt.keys.ledger(p.id, 'facebook', key)].map(async (k) => Number(await o.redis.client.memory('USAGE', k)) || 0));
          sample.push({ offer: offer!, ledger: tw! + fb! });
        }
      }
      const mean = (f: (s: { offer: number; ledger: number }) => number) => sample.reduce((a, s) => a + f(s), 0) / Math.max(1, sample.length);

      o.log('offer memory: every office withdraws all its offers but one');
      for (const f of farm.feeds) { f.items = f.items.slice(-1); f.version++; }
      // The first poll after losing most offers is suspect (counts nothing); the next one counts.
      await pollAll();
      await pollAll();
      await until('the withdrawn offers closed on both networks', async () => (await postOutcome(rt, 'closed')) >= (offers - FEEDS) * 2);
      await cleanCompleted(rt);
      const ownClosed = await ownKeysBytes(o.redis, rt.prefix);

      const duty = prunerDuty({ config: rt.config, retention: rt.retention });
      const pruned = await duty.run({ now: () => Date.now() + rt.config.retention + 86_400_000, logger: rt.logger, signal: new AbortController().signal });
      const after = await usedMemory(o.redis);
      const ownPruned = await ownKeysBytes(o.redis, rt.prefix);
      return {
        offers, sample: sample.length,
        keysBytes: { offer: mean((s) => s.offer), ledger: mean((s) => s.ledger), total: mean((s) => s.offer + s.ledger) },
        infoBytesPerOffer: (open - empty) / offers,
        ownBytesPerOffer: { open: ownOpen / offers, closed: ownClosed / offers, pruned: ownPruned / offers },
        afterPruneBytesPerOffer: (after - empty) / offers, leftOpen: FEEDS,
        pruned,
      };
    } finally {
      await stop();
    }
  } finally {
    await rt.close();
    await farm.close();
    fleet.remove();
  }
}

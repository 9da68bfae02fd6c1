// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13's memory target: posts held while their channels are paused (an expired token over a
 * weekend, an operator's pause) drain when the operator resumes them, at no less than half the bare
 * SDKs' rate measured in the same run, with the service under 300 MiB RSS all the while.
 *
 * A separate `banditore run` process (poller + workers + dashboard, as a small office runs it) with
 * `publishers` offices; every channel is paused, every office publishes `offersEach` new offers, the
 * service polls and holds them all; then every channel is resumed (through the operators' service, as the
 * dashboard's button does) and the bench times the drain from the first post to the last; then the bare loop
 * posts as many, with the service stopped. Both warm up first (one untimed post per account on each
 * network). Several rounds (`--held-rounds`, 5 by default), the median
 * ratio reported: on a shared machine one phase of a round can fall into a slow spell. Memory: VmRSS
 * sampled every 100 ms from /proc, the split of the peak (anonymous, file-backed) from /proc, and the V8
 * heap, external and array-buffer bytes from the service's own /metrics (prom-client's process metrics)
 * every second.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadConfig } from '../src/config/load.ts';
import { readEnvironment } from '../src/config/env.ts';
import { createRuntime } from '../src/app/runtime.ts';
import { createLogger } from '../src/log/logger.ts';
import { feedRef } from '../src/poller/poll-feed.ts';
import { RedisOperatorService } from '../src/state/operator-service.ts';
import { configuredNetworks } from '../src/channels/registry.ts';
import type { XEmulator } from '../src/channels/twitter/emulator.ts';
import type { GraphEmulator } from '../src/channels/facebook/emulator.ts';
import { startFeedFarm } from './feed-farm.ts';
import { writeFleet, lanesOf } from './fleet.ts';
import { startService } from './service.ts';
import { runBare } from './burst.ts';
import { exactlyOnce } from './tally.ts';
import type { PrivateRedis } from './private-redis.ts';

/** One round: hold, resume, drain, then the bare loop with the same number of posts. */
export interface HeldRound { rate: number; bareRate: number; spanS: number; releaseS: number; cpuMsPerPost: number; bareCpuMsPerPost: number; bareLanes: string }

export interface HeldDrainResult {
  publishers: number; posts: number; held: number;
  /** The round whose drain/bare ratio is the median of all rounds (its numbers are the ones reported). */
  rate: number; spanS: number; bareRate: number;
  rounds: HeldRound[];
  median: HeldRound;
  /** The service's lanes per network. */
  lanes: number;
  peakRssMb: number; idleRssMb: number;
  /** At the RSS peak: anonymous memory (heap, buffers) and file-backed pages (code, mapped libraries). */
  peakSplit: { anonMb: number; fileMb: number };
  /** The largest V8 numbers the service reported while draining (MiB). */
  heap: { usedMb: number; totalMb: number; externalMb: number; arrayBuffersMb: number };
  duplicates: number; missing: number;
  releaseS: number;
  /** Redis calls per post during the drain (INFO commandstats), the commands with the most calls first. */
  redisCallsPerPost: number; topCommands: string;
  /** The service's CPU (user + sys) per post during the drain, and Redis' own. */
  cpuMsPerPost: number; redisCpuMsPerPost: number;
  problems: string[];
}

const METRICS_TOKEN = 'bench-metrics-token-0123456789';
/** The bare loop's in-flight posts per network before lanes followed the accounts (worker.concurrency's old default). */
const BARE_REFERENCE_LANES = 20;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => resolve(port)); });
  });
}

function rssSplit(pid: number): { anonMb: number; fileMb: number } {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(st)?.[1] ?? 0);
  return { anonMb: kb('RssAnon') / 1024, fileMb: (kb('RssFile') + kb('RssShmem')) / 1024 };
}

async function scrapeHeap(port: number): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const name of ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes']) {
    const m = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
    if (m) out[name] = Number(m[1]) / 2 ** 20;
  }
  // prom-client has no array-buffer gauge; external includes array buffers.
  return out;
}

export async function benchHeldDrain(o: { redis: PrivateRedis; x: XEmulator; graph: GraphEmulator; publishers: number; offersEach: number; rounds: number; concurrency?: number; hosts: number; log: (s: string) => void }): Promise<HeldDrainResult> {
  const farm = await startFeedFarm({ feeds: o.publishers, hosts: o.hosts, initialItems: 5 });
  const port = await freePort();
  const fleet = writeFleet({ feedUrls: farm.feeds.map((f) => f.url), xUrl: o.x.url, graphUrl: o.graph.url, pollInterval: '1h', onFirstPoll: 'skip', limits: '[{ max: 1000000, per: 15m }]', concurrency: o.concurrency, redis: { url: o.redis.url }, dashboardPort: port, metricsToken: METRICS_TOKEN });
  const loaded = loadConfig(fleet.file, readEnvironment({}));
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'silent', secrets: [] }) });
  const ops = new RedisOperatorService(rt);
  const pubs = loaded.config.publishers;
  const posts = pubs.length * o.offersEach * 2;
  const channels = pubs.flatMap((p) => configuredNetworks(p).map((net) => [p.id, net] as const));
  // 16 channels at a time, as a script or several operators would.
  const eachChannel = async (fn: (pub: string, net: (typeof channels)[number][1]) => Promise<unknown>) => {
    let c = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { while (c < channels.length) { const [pub, net] = channels[c++]!; await fn(pub, net); } }));
  };
  try {
    // First polls (skip: what the feeds hold already is not new).
    let i = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { while (i < pubs.length) { const p = pubs[i++]!; await rt.poller.poll(p.id, p.feeds[0]!.url); } }));
    const svc = await startService('run', fleet.file, fleet.dir, 'held-run');
    try {
      const idleRssMb = svc.sample().rssMb;
      let peak = idleRssMb;
      let peakSplit = rssSplit(svc.pid);
      const heap = { usedMb: 0, totalMb: 0, externalMb: 0, arrayBuffersMb: 0 };
      const rounds: HeldRound[] = [];
      let held = 0;
      let calls = { perPost: 0, top: '' };
      let redisCpuMsPerPost = 0;
      // Warm-up, as the bare loop's: one offer per office, posted on both networks, untimed, so that the
      // rounds find a service that has posted before (connections open, code compiled, each account's
      // identity known), as a running service whose channels an operator paused is.
      {
        const xw = o.x.posts().length + o.graph.posts().length;
        for (const f of farm.feeds) farm.publish(f.index, 1);
        await Promise.all(pubs.map((p, n) => rt.queues.pollNow({ publisher: p.id, feed: feedRef(p.feeds[0]!.url) }, `warm-${n}`)));
        const by = Date.now() + 120_000;
        while (o.x.posts().length + o.graph.posts().length - xw < channels.length && Date.now() < by) await new Promise((r) => setTimeout(r, 100));
        o.log(`held: warm-up: ${o.x.posts().length + o.graph.posts().length - xw} of ${channels.length} posts made (one per account)`);
      }
      const x0 = o.x.posts().length;
      const g0 = o.graph.posts().length;
      for (let round = 1; round <= o.rounds; round++) {
        // Every channel paused (through the operators' service, as the dashboard's button does), then
        // every office publishes new offers and the service holds them all.
        await eachChannel((pub, net) => ops.pause(pub, net, 'bench'));
        o.log(`held round ${round}/${o.rounds}: ${pubs.length} offices, every channel paused; each publishes ${o.offersEach} offers (${posts} posts to hold)`);
        for (const f of farm.feeds) farm.publish(f.index, o.offersEach);
        await Promise.all(pubs.map((p, n) => rt.queues.pollNow({ publisher: p.id, feed: feedRef(p.feeds[0]!.url) }, `held-${round}-${n}`)));
        const holdBy = Date.now() + 180_000;
        while (Date.now() < holdBy) {
          held = 0;
          for (const [pub, net] of channels) held += await rt.channels.heldCount(pub, net);
          peak = Math.max(peak, svc.sample().rssMb);
          if (held >= posts) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        o.log(`held round ${round}: ${held} posts held (peak RSS so far ${peak.toFixed(0)} MB); resuming every channel`);
        const xr = o.x.posts().length;
        const gr = o.graph.posts().length;
        const calls0 = await o.redis.commandCalls();
        const redisCpu0 = await o.redis.cpuSeconds();
        const cpu0 = svc.sample().cpuMs;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const s = svc.sample();
            if (s.rssMb >= peak) { peak = s.rssMb; peakSplit = rssSplit(svc.pid); }
            await new Promise((r) => setTimeout(r, 100));
          }
        })();
        const heapSampler = (async () => {
          while (sampling && !process.env.BENCH_NO_SCRAPE) {
            const m = await scrapeHeap(port).catch(() => ({} as Record<string, number>));
            heap.usedMb = Math.max(heap.usedMb, m.nodejs_heap_size_used_bytes ?? 0);
            heap.totalMb = Math.max(heap.totalMb, m.nodejs_heap_size_total_bytes ?? 0);
            heap.externalMb = Math.max(heap.externalMb, m.nodejs_external_memory_bytes ?? 0);
            await new Promise((r) => setTimeout(r, 1000));
          }
        })();
        const resumedAt = Date.now();
        const releaseFrom = performance.now();
        // Resumed 16 at a time: one after another, the 500 round trips of the resumes themselves, not
        // the network, would pace the drain.
        await eachChannel((pub, net) => ops.resume(pub, net, 'bench'));
        const releaseS = (performance.now() - releaseFrom) / 1000;
        let last = -1;
        let lastChange = Date.now();
        for (;;) {
          const done = o.x.posts().length - xr + o.graph.posts().length - gr;
          if (done >= posts) break;
          if (done !== last) { last = done; lastChange = Date.now(); }
          if (Date.now() - lastChange > 60_000) { o.log(`held round ${round}: stuck at ${done}/${posts}`); break; }
          await new Promise((r) => setTimeout(r, 100));
        }
        const cpu1 = svc.sample().cpuMs;
        const calls1 = await o.redis.commandCalls();
        const redisCpu1 = await o.redis.cpuSeconds();
        await new Promise((r) => setTimeout(r, 1500));
        sampling = false;
        await Promise.all([sampler, heapSampler]);
        // The ledger's postedAt (ms) of every post made after this round's resume.
        const times: number[] = [];
        for (const p of pubs) {
          for (const key of await rt.offers.list(p.id, 0, o.offersEach * o.rounds + 20)) {
            for (const net of configuredNetworks(p)) {
              const l = await rt.ledger.get(p.id, net, key);
              if (l?.state === 'posted' && l.postedAt && l.postedAt >= resumedAt) times.push(l.postedAt);
            }
          }
        }
        times.sort((a, b) => a - b);
        const spanS = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
        const at = (q: number) => (((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) - (times[0] ?? 0)) / 1000).toFixed(2);
        o.log(`held round ${round}: drain progress: 25 % at ${at(0.25)} s, 50 % at ${at(0.5)} s, 75 % at ${at(0.75)} s, 90 % at ${at(0.9)} s, all at ${spanS.toFixed(2)} s`);
        // The bench's own INFO calls are in the difference too: two, negligible against thousands of posts.
        const perCommand = [...calls1].map(([name, n]) => [name, (n - (calls0.get(name) ?? 0)) / posts] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
        calls = { perPost: perCommand.reduce((a, [, n]) => a + n, 0), top: perCommand.slice(0, 8).map(([name, n]) => `${name} ${n.toFixed(1)}`).join(', ') };
        redisCpuMsPerPost = ((redisCpu1 - redisCpu0) * 1000) / posts;
        // The bare loop right after, with the service stopped (SIGSTOP: it takes no CPU meanwhile, and
        // goes on where it was after SIGCONT), against the same emulators, with the same number of posts.
        const rate = (times.length - 1) / spanS;
        // The bare loop runs with as many in flight per network as the service's lanes, and with the 20 of
        // the earlier default: the faster of the two is the ceiling compared with.
        process.kill(svc.pid, 'SIGSTOP');
        const bares: Array<{ rate: number; cpuMsPerPost: number; lanes: number }> = [];
        try {
          for (const lanes of new Set([lanesOf(rt, 'twitter'), BARE_REFERENCE_LANES])) {
            const bare = await runBare({ xUrl: o.x.url, graphUrl: o.graph.url, accounts: pubs.length, posts: posts / 2, concurrency: lanes, tag: `${fleet.prefix}-held-${round}-${lanes}`, warmup: true });
            bares.push({ rate: (bare.x.posts + bare.fb.posts) / (bare.ms / 1000), cpuMsPerPost: bare.cpuMs / posts, lanes });
          }
        } finally {
          process.kill(svc.pid, 'SIGCONT');
        }
        const best = bares.reduce((a, b) => (b.rate > a.rate ? b : a));
        const bareRate = best.rate;
        const r: HeldRound = { rate, bareRate, spanS, releaseS, cpuMsPerPost: (cpu1 - cpu0) / posts, bareCpuMsPerPost: best.cpuMsPerPost, bareLanes: bares.map((b) => `${b.lanes} in flight: ${b.rate.toFixed(0)}/s`).join(', ') };
        rounds.push(r);
        o.log(`held round ${round}: drained ${times.length} posts at ${rate.toFixed(0)} posts/s, bare SDK loop ${bareRate.toFixed(0)} posts/s (${r.bareLanes}; ${((rate / bareRate) * 100).toFixed(0)} %); CPU per post: service ${r.cpuMsPerPost.toFixed(2)} ms, bare loop ${r.bareCpuMsPerPost.toFixed(2)} ms; peak RSS ${peak.toFixed(0)} MB`);
      }
      const { duplicates, missing } = exactlyOnce(farm, o.offersEach * o.rounds, o.x.posts().slice(x0), o.graph.posts().slice(g0));
      const problems = svc.problems().slice(0, 5);
      await svc.stop();
      const median = [...rounds].sort((a, b) => a.rate / a.bareRate - b.rate / b.bareRate)[Math.floor(rounds.length / 2)]!;
      return {
        lanes: lanesOf(rt, 'twitter'),
        publishers: pubs.length, posts, held, rate: median.rate, spanS: median.spanS, bareRate: median.bareRate, rounds, median, peakRssMb: peak, idleRssMb, peakSplit,
        heap, duplicates, missing, releaseS: median.releaseS, problems,
        redisCallsPerPost: calls.perPost, topCommands: calls.top, cpuMsPerPost: median.cpuMsPerPost, redisCpuMsPerPost,
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

// SPDX-License-Identifier: EUPL-1.2
/**
 * Target 2's rate, on its own: how fast one `banditore worker` process empties a full queue. The new
 * offers are polled and queued first (no worker running), then the worker starts; the rate counts from
 * its first post to its last, so neither polling nor process start is in it. This is the number to
 * compare with the bare SDK loop, which also only posts.
 */
import type { Runtime } from '../src/app/runtime.ts';
import type { XEmulator } from '../src/channels/twitter/emulator.ts';
import type { GraphEmulator } from '../src/channels/facebook/emulator.ts';
import type { FeedFarm } from './feed-farm.ts';
import type { Fleet } from './fleet.ts';
import type { PrivateRedis } from './private-redis.ts';
import { startService } from './service.ts';

export interface DrainResult { posts: number; rate: number; spanS: number; cpuPct: number; peakRssMb: number; problems: string[]; callsPerPost: number; topCalls: string; redisCpuPct: number; benchCpuPct: number; /** Worker CPU (all threads) from its start to the last post, per post. */ cpuMsPerPost: number }

export async function benchDrain(o: { rt: Runtime; farm: FeedFarm; fleet: Fleet; x: XEmulator; graph: GraphEmulator; offersEach: number; redis: PrivateRedis; log: (s: string) => void }): Promise<DrainResult> {
  const { rt, farm } = o;
  const pubs = rt.config.publishers;
  const since = Date.now();
  for (const f of farm.feeds) farm.publish(f.index, o.offersEach);
  let i = 0;
  await Promise.all(Array.from({ length: 16 }, async () => { while (i < pubs.length) { const p = pubs[i++]!; await rt.poller.poll(p.id, p.feeds[0]!.url); } }));
  const expected = pubs.length * o.offersEach * 2;
  const counts = await Promise.all([rt.queues.queueOf('twitter'), rt.queues.queueOf('facebook')].map(async (q) => Object.values(await q.getJobCounts('waiting', 'prioritized')).reduce((a, b) => a + b, 0)));
  o.log(`drain: ${counts[0]! + counts[1]!} delivery jobs waiting (expected ${expected}); starting one worker process`);
  const x0 = o.x.posts().length;
  const g0 = o.graph.posts().length;
  const calls0 = await o.redis.commandCalls();
  const redis0 = await o.redis.cpuSeconds();
  const bench0 = process.cpuUsage();
  const svc = await startService('worker', o.fleet.file, o.fleet.dir, 'drain-worker');
  const s0 = svc.sample();
  let peak = s0.rssMb;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const done = o.x.posts().length - x0 + o.graph.posts().length - g0;
    peak = Math.max(peak, svc.sample().rssMb);
    if (done >= expected) break;
    if (done !== last) { last = done; lastChange = Date.now(); }
    if (Date.now() - lastChange > 60_000) { o.log(`drain: stuck at ${done}/${expected}`); break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  const s1 = svc.sample();
  const redis1 = await o.redis.cpuSeconds();
  const bench1 = process.cpuUsage(bench0);
  const calls1 = await o.redis.commandCalls();
  const problems = svc.problems().slice(0, 5);
  await svc.stop();
  const times: number[] = [];
  for (const p of pubs) {
    for (const key of await rt.offers.list(p.id, 0, o.offersEach + 5)) {
      for (const net of ['twitter', 'facebook'] as const) {
        const l = await rt.ledger.get(p.id, net, key);
        if (l?.state === 'posted' && l.postedAt && l.postedAt >= since) times.push(l.postedAt);
      }
    }
  }
  times.sort((a, b) => a - b);
  const spanS = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
  const delta = [...calls1].map(([c, n]) => [c, n - (calls0.get(c) ?? 0)] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const total = delta.reduce((a, [, n]) => a + n, 0);
  const perPost = (n: number) => (n / Math.max(1, times.length)).toFixed(1);
  const wallMs = s1.at - s0.at;
  return { redisCpuPct: ((redis1 - redis0) * 1000 / wallMs) * 100, benchCpuPct: ((bench1.user + bench1.system) / 1000 / wallMs) * 100, callsPerPost: total / Math.max(1, times.length), topCalls: delta.slice(0, 8).map(([c, n]) => `${c} ${perPost(n)}`).join(', '), posts: times.length, rate: (times.length - 1) / spanS, spanS, cpuPct: ((s1.cpuMs - s0.cpuMs) / (s1.at - s0.at)) * 100, cpuMsPerPost: (s1.cpuMs - s0.cpuMs) / Math.max(1, times.length), peakRssMb: peak, problems };
}

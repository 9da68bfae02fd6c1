// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #13, respect each network on real deployments: limit windows are keyed by what they are (max
 * per per), not by their place in the config, and timed by Redis's own clock (TIME) inside the
 * scripts, not by each worker's. Workers whose clocks disagree by minutes still share one window.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import { SlidingWindowLimiter } from '../../src/limits/sliding-window.ts';
import { keysFor } from '../../src/redis/keys.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startWorkers, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix } from '../helpers/redis.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { startFleet, xUserFor, type Fleet } from '../chaos/helpers/fleet.ts';
import { maxInAnyWindow } from '../chaos/helpers/processes.ts';

describe('windows keyed by what they are', () => {
  it('adding a window in front of the others, or reordering them, keeps each window\'s count', async () => {
    const r = await connectTestRedis();
    const prefix = uniquePrefix('wkey');
    try {
      const lim = new SlidingWindowLimiter(r, keysFor(prefix), { clock: 'redis' });
      const short = { max: 3, per: 60_000 };
      const long = { max: 5, per: 3_600_000 };
      for (const n of [1, 2, 3]) expect((await lim.take('acct', [short], Date.now(), `a${n}`)).ok).toBe(true);
      // The operator adds an hourly window before the per-minute one: the minute is still full.
      expect(await lim.take('acct', [long, short], Date.now(), 'b')).toMatchObject({ ok: false });
      expect((await lim.usage('acct', [long, short], Date.now())).map((u) => [u.max, u.used])).toEqual([[5, 0], [3, 3]]);
      // And the other way round, once the hourly window has counts of its own.
      await r.del(keysFor(prefix).limitWindow('acct', short));
      for (const n of [4, 5, 6]) expect((await lim.take('acct', [long, short], Date.now(), `a${n}`)).ok).toBe(true);
      expect(await lim.take('acct', [short, long], Date.now(), 'c')).toMatchObject({ ok: false });
      expect(await r.exists(`${prefix}:limit:acct:3per60000`, `${prefix}:limit:acct:5per3600000`)).toBe(2);
    } finally {
      await cleanPrefix(r, prefix);
      await r.quit();
    }
  });
});

describe('windows timed by Redis, not by the workers', () => {
  let fleet: Fleet | undefined;
  const extra: Array<{ rt: Runtime; stop?: Stop }> = [];
  afterEach(async () => {
    for (const e of extra.splice(0)) { await e.stop?.().catch(() => undefined); await e.rt.close().catch(() => undefined); }
    await fleet?.stop();
    fleet = undefined;
  });

  const MAX = 3;
  const PER_MS = 2000;
  const LIMITS = `        limits: [{ max: ${MAX}, per: ${PER_MS}ms }]`;

  it('two workers whose clocks differ by minutes never exceed a window', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 8, twitterExtra: LIMITS, facebookExtra: LIMITS, concurrency: 4 });
    const f = fleet;
    // A second worker on a machine whose clock runs three minutes ahead.
    const logs: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } });
    const ahead = createRuntime(f.loaded, { logger: createLogger({ level: 'info', secrets: f.loaded.secrets, destination: sink }), now: () => Date.now() + 3 * 60_000 });
    extra.push({ rt: ahead });
    await f.startWorkers();
    await f.pollAll();
    // The first worker fills the window; the one ahead joins while it is full.
    await waitFor('the first window filled on both networks', async () => livePosts(await f.xPosts()).length >= MAX && livePosts(await f.graphPosts()).length >= MAX, 30_000, 20);
    extra[0]!.stop = await startWorkers(ahead);
    await waitFor('every offer on both networks', async () => livePosts(await f.xPosts()).length === 8 && livePosts(await f.graphPosts()).length === 8, 60_000, 100);

    const xs = livePosts(await f.xPosts()).filter((x) => x.userId === xUserFor(f.pubs[0]!.xToken).id);
    const fbs = livePosts(await f.graphPosts()).filter((g) => g.pageId === f.pubs[0]!.pageId);
    expect(maxInAnyWindow(xs.map((x) => Date.parse(x.createdAt)), PER_MS), `X posts in any ${PER_MS} ms`).toBeLessThanOrEqual(MAX);
    expect(maxInAnyWindow(fbs.map((g) => Date.parse(g.createdAt)), PER_MS), `Facebook posts in any ${PER_MS} ms`).toBeLessThanOrEqual(MAX);
    for (const o of f.pubs[0]!.feed.published()) {
      expect(xs.filter((x) => x.text.includes(o.url))).toHaveLength(1);
      expect(fbs.filter((g) => g.link === o.url)).toHaveLength(1);
    }
    // Both workers posted: the one ahead was not simply locked out for its three minutes.
    expect(logs.some((l) => l.includes('"msg":"posted"'))).toBe(true);
  });
});

// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #3: sliding windows held at their edges and otherwise used fully; answers that teach (429 with
 * x-rate-limit-reset, remaining 0, Facebook code 4 for the whole app); a usage cap pauses the X channel
 * with its reason and alerts once. Everything runs on real Redis, real SDKs and the emulators.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { SlidingWindowLimiter, marginFor } from '../../src/limits/sliding-window.ts';
import { keysFor } from '../../src/redis/keys.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { graphError } from '../../src/channels/facebook/emulator.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix } from '../helpers/redis.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { startFleet, xUserFor, type Fleet } from '../chaos/helpers/fleet.ts';

let fleet: Fleet | undefined;
afterEach(async () => { await fleet?.stop(); fleet = undefined; });

const refusals = async (f: Fleet, net: 'twitter' | 'facebook') =>
  (await f.rt.counters.read()).limitRefusals.filter((r) => r.network === net).reduce((a, r) => a + r.value, 0);

describe('sliding windows at their edges', () => {
  it('never lets more than max into any window, and frees each slot exactly one window (plus margin) after it was used', async () => {
    const r = await connectTestRedis();
    const prefix = uniquePrefix('edge');
    try {
      const lim = new SlidingWindowLimiter(r, keysFor(prefix));
      const windows = [{ max: 3, per: 10_000 }, { max: 5, per: 60_000 }];
      const m10 = marginFor(10_000);
      const m60 = marginFor(60_000);
      const t0 = 1_700_000_000_000;
      for (const dt of [0, 1, 2]) expect((await lim.take('acct', windows, t0 + dt, `a${dt}`)).ok).toBe(true);
      // The fixed-window trap: just before and just after the 10 s edge, a fixed window would allow 3 more at once.
      const edge = await lim.take('acct', windows, t0 + 9_999, 'b');
      expect(edge).toEqual({ ok: false, retryAt: t0 + 10_000 + m10 });
      expect((await lim.take('acct', windows, t0 + 10_000 + m10 - 1, 'c')).ok).toBe(false);
      // Used fully: the slot is free the very millisecond it said.
      expect((await lim.take('acct', windows, t0 + 10_000 + m10, 'd')).ok).toBe(true);
      expect((await lim.take('acct', windows, t0 + 10_000 + m10 + 1, 'e')).ok).toBe(true);
      // Now the 60 s window is full (5 taken) even though the 10 s one has room for one more.
      const day = await lim.take('acct', windows, t0 + 10_000 + m10 + 3, 'f');
      expect(day).toEqual({ ok: false, retryAt: t0 + 60_000 + m60 });
      // Another account is not touched by any of this.
      expect((await lim.take('other', windows, t0 + 9_999, 'g')).ok).toBe(true);
      // A refused take leaves no trace: usage still shows 5 in the long window.
      const use = await lim.usage('acct', windows, t0 + 10_000 + m10 + 3);
      expect(use.map((u) => u.used)).toEqual([2, 5]);
    } finally {
      await cleanPrefix(r, prefix);
      await r.quit();
    }
  });

  it('counts a slot from the end of a slow call, so the network never sees more than max in a window', async () => {
    const r = await connectTestRedis();
    const prefix = uniquePrefix('settle');
    try {
      const lim = new SlidingWindowLimiter(r, keysFor(prefix));
      const windows = [{ max: 1, per: 5_000 }];
      const t0 = 1_700_000_000_000;
      const taken = await lim.take('acct', windows, t0, 'slow');
      expect(taken.ok).toBe(true);
      if (!taken.ok) return;
      // The call took 2 s: the network may have counted it as late as t0 + 2000.
      await lim.settle('acct', windows, taken.slot, t0 + 2_000);
      expect(await lim.take('acct', windows, t0 + 5_000 + marginFor(5_000), 'next')).toEqual({ ok: false, retryAt: t0 + 7_000 + marginFor(5_000) });
      expect((await lim.take('acct', windows, t0 + 7_000 + marginFor(5_000), 'next')).ok).toBe(true);
    } finally {
      await cleanPrefix(r, prefix);
      await r.quit();
    }
  });
});

describe('answers that teach', () => {
  it('waits for x-rate-limit-reset after a 429 without spending an attempt, while the other account and Facebook go on', async () => {
    // attempts: 1 — if waiting spent an attempt, the refused post would fail instead of waiting.
    fleet = await startFleet({ publishers: 2, offersEach: 3, twitterExtra: '        attempts: 1\n        limits: [{ max: 1000, per: 1m }]' });
    const f = fleet;
    const resetSec = Math.ceil((Date.now() + 4_000) / 1000);
    await f.xControl('failNext', 1, { status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(resetSec) } });
    await f.startWorkers();
    await f.pollAll();
    await waitFor('every offer on both networks', async () => livePosts(await f.xPosts()).length === 6 && livePosts(await f.graphPosts()).length === 6, 40_000, 100);

    // Which account was refused: its ledger remembers X's answer.
    let refused: string | undefined;
    for (const p of f.pubs) {
      for (const key of await f.rt.offers.list(p.id, 0, 10)) {
        const l = await f.rt.ledger.get(p.id, 'twitter', key);
        expect(l?.state).toBe('posted');
        if (/429/.test(l?.lastError ?? '')) refused = p.id;
      }
    }
    expect(refused).toBeDefined();
    const waiting = f.pubs.find((p) => p.id === refused)!;
    const other = f.pubs.find((p) => p.id !== refused)!;
    const xs = livePosts(await f.xPosts());
    const of = (p: typeof waiting) => xs.filter((x) => x.userId === xUserFor(p.xToken).id).map((x) => Date.parse(x.createdAt));
    expect(of(waiting)).toHaveLength(3);
    for (const t of of(waiting)) expect(t).toBeGreaterThanOrEqual(resetSec * 1000);
    // Not held back: the other account posted while the refused one waited, and so did Facebook.
    expect(of(other).some((t) => t < resetSec * 1000)).toBe(true);
    expect(livePosts(await f.graphPosts()).some((g) => Date.parse(g.createdAt) < resetSec * 1000)).toBe(true);
    expect(await refusals(f, 'twitter')).toBe(1);
  });

  it('learns from a success whose x-rate-limit-remaining is 0: the next post waits for the reset and X never answers 429', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 5 });
    const f = fleet;
    // X allows 2 posts per 2 s; the declared limits are far too generous, so only the answers can teach.
    await f.xControl('setLimits', { perUser: [{ max: 2, windowMs: 2_000 }] });
    await f.startWorkers();
    await f.pollAll();
    await waitFor('five posts on X', async () => livePosts(await f.xPosts()).length === 5, 40_000, 100);
    expect(await refusals(f, 'twitter')).toBe(0);
  });

  it('accounts of one X app share the app\'s 24-hour cap once X reports it: both stop, nothing is lost', async () => {
    fleet = await startFleet({ publishers: 2, offersEach: 3 });
    const f = fleet;
    // The app may post 3 times a day in all; each user alone could post far more.
    await f.xControl('setLimits', { perUser: [{ max: 1000, windowMs: 15 * 60_000 }], perApp: [{ max: 3, windowMs: 86_400_000 }] });
    await f.startWorkers();
    await f.pollAll();
    await waitFor('three posts on X', async () => livePosts(await f.xPosts()).length === 3, 30_000, 100);
    await waitFor('every Facebook post', async () => livePosts(await f.graphPosts()).length === 6, 30_000, 100);
    await new Promise((r) => setTimeout(r, 1500));
    expect(livePosts(await f.xPosts())).toHaveLength(3);
    const appKeys = new Set(f.pubs.map((p) => f.rt.book.get(p.id, 'twitter')!.channel.appKey));
    expect(appKeys.size).toBe(1);
    // Both users now wait for the app's daily reset (x-app-limit-24hour-reset), learned from the answers.
    expect(await f.rt.gate.waitUntil([...appKeys])).toBeGreaterThan(Date.now() + 3_600_000);
    // At most the one request already in flight on the other user met a 429; the rest never tried.
    expect(await refusals(f, 'twitter')).toBeLessThanOrEqual(1);
    // Nothing is lost: the three others are still queued, not failed.
    const states: string[] = [];
    for (const p of f.pubs) for (const k of await f.rt.offers.list(p.id, 0, 10)) states.push((await f.rt.ledger.get(p.id, 'twitter', k))!.state);
    expect(states.filter((s) => s === 'posted')).toHaveLength(3);
    expect(states.filter((s) => s === 'failed')).toHaveLength(0);
  });

  it('Facebook code 4 (app throttled) holds every Page of the app; X goes on', async () => {
    // Both Pages belong to one Facebook app: that is what makes an app-wide throttle theirs to share.
    fleet = await startFleet({ publishers: 2, offersEach: 3, facebookExtra: '        appId: "424242"\n        limits: [{ max: 1000, per: 1m }]' });
    const f = fleet;
    await f.graphControl('failNext', 1, { status: 403, body: graphError(4, 'Application request limit reached', { transient: true }), headers: { 'x-app-usage': JSON.stringify({ call_count: 100, total_time: 20, total_cputime: 20 }) } });
    await f.startWorkers();
    await f.pollAll();
    await waitFor('every offer on X', async () => livePosts(await f.xPosts()).length === 6, 40_000, 100);
    await waitFor('the throttle recorded', async () => (await refusals(f, 'facebook')) === 1);
    let refusedAt = 0;
    for (const p of f.pubs) {
      for (const key of await f.rt.offers.list(p.id, 0, 10)) {
        const l = await f.rt.ledger.get(p.id, 'facebook', key);
        if (l?.errorClass === 'rate-limited') refusedAt = l.lastErrorAt ?? 0;
      }
    }
    expect(refusedAt).toBeGreaterThan(0);
    // Give the workers time to (wrongly) post on either Page; none may post after the refusal.
    await new Promise((r) => setTimeout(r, 1500));
    // A request already in flight on the other Page when the answer came may still land; Graph times are
    // whole seconds. Anything a second after the refusal was sent after the app's wait was known.
    const after = livePosts(await f.graphPosts()).filter((g) => Date.parse(g.createdAt) >= refusedAt + 1000);
    expect(after).toEqual([]);
    const appKeys = new Set(f.pubs.map((p) => f.rt.book.get(p.id, 'facebook')!.channel.appKey));
    expect(appKeys.size).toBe(1);
    const appWait = await f.rt.gate.waitUntil([...appKeys]);
    expect(appWait).toBeGreaterThan(Date.now() + 60_000);
  });
});

describe('usage cap', () => {
  it('pauses the X channel with the reason, alerts once, keeps every job; Facebook goes on; resume posts each once', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 3 });
    const f = fleet;
    await f.xControl('setUsageCapped', true);
    await f.startWorkers();
    await f.pollAll();
    await waitFor('Facebook posts', async () => livePosts(await f.graphPosts()).length === 3, 30_000, 100);
    await waitFor('the X channel paused', async () => (await f.rt.channels.get('office0', 'twitter')).paused);
    const state = await f.rt.channels.get('office0', 'twitter');
    expect(state.kind).toBe('usage-cap');
    expect(state.reason).toMatch(/usage cap/i);
    await waitFor('every X job held', async () => (await f.rt.redis.scard(f.rt.keys.held('office0', 'twitter'))) === 3);
    expect(await f.xPosts()).toEqual([]);
    const alerts = f.logs.map((l) => JSON.parse(l) as { alert?: boolean; pause?: string }).filter((l) => l.alert && l.pause === 'usage-cap');
    expect(alerts).toHaveLength(1);

    await f.xControl('setUsageCapped', false);
    const { released } = await new RedisOperatorService(f.rt).resume('office0', 'twitter', 'test');
    expect(released).toBe(3);
    await waitFor('X posts after resume', async () => livePosts(await f.xPosts()).length === 3, 30_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    const xs = livePosts(await f.xPosts());
    for (const o of f.pubs[0]!.feed.published()) expect(xs.filter((x) => x.text.includes(o.url))).toHaveLength(1);
  });
});

// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #4 across processes: a worker process killed (SIGKILL) in the middle of a post leaves the ledger
 * at `sending`; another worker process takes the stalled job over, reconciles and finishes with exactly
 * one post. A worker stopped with SIGTERM lets its in-flight post end (here: time out) and leaves it
 * reconcilable; it exits 0.
 */
import { describe, it, expect } from 'vitest';
import { waitFor, livePosts } from '../helpers/stack.ts';
import type { Fleet } from '../chaos/helpers/fleet.ts';
import { waitForLine, type Proc } from '../chaos/helpers/processes.ts';
import { fleetPerTest } from '../chaos/helpers/per-test.ts';

const fleets = fleetPerTest();

async function twitterLedger(f: Fleet) {
  const keys = await f.rt.offers.list('office0', 0, 100);
  return Promise.all(keys.map((k) => f.rt.ledger.get('office0', 'twitter', k)));
}

async function worker(f: Fleet): Promise<Proc> {
  const p = fleets.spawn(['worker', '--config', f.configPath], f.env);
  await waitForLine(p, /delivery workers started/);
  return p;
}

describe('worker processes that die or stop mid-post', () => {
  it('SIGKILL while a post is in flight: another worker process finishes it, exactly one post', async () => {
    // A long post timeout: the first worker must still be waiting for X when it is killed.
    const f = await fleets.start({ publishers: 1, offersEach: 2, postTimeout: '20s' });
    await f.xControl('hangNext', 1);
    const first = await worker(f);
    await f.pollAll();
    await waitFor('a post in flight', async () => (await twitterLedger(f)).some((l) => l?.state === 'sending'), 30_000, 20);
    // `sending` is written just before the request: give it time to reach X (and hang there).
    await new Promise((r) => setTimeout(r, 1000));
    await first.kill('SIGKILL');
    const second = await worker(f);
    await waitFor('both offers posted on X and recorded', async () => (await twitterLedger(f)).every((l) => l?.state === 'posted'), 60_000, 200);
    await new Promise((r) => setTimeout(r, 500));
    const xs = livePosts(await f.xPosts());
    for (const o of f.pubs[0]!.feed.published()) expect(xs.filter((x) => x.text.includes(o.url))).toHaveLength(1);
    expect(livePosts(await f.graphPosts())).toHaveLength(2);
    expect(second.alive()).toBe(true);
  });

  it('SIGTERM lets the in-flight post end and exits 0; the next worker reconciles it: exactly one post', async () => {
    const f = await fleets.start({ publishers: 1, offersEach: 1, postTimeout: '2s' });
    await f.xControl('hangNext', 1);
    const first = await worker(f);
    await f.pollAll();
    await waitFor('the post in flight', async () => (await twitterLedger(f))[0]?.state === 'sending', 30_000, 20);
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // It did not vanish mid-call: the attempt ended and left an outcome the next worker can reconcile.
    expect((await twitterLedger(f))[0]?.state).toBe('unknown');
    await worker(f);
    await waitFor('posted', async () => (await twitterLedger(f))[0]?.state === 'posted', 60_000, 200);
    expect(livePosts(await f.xPosts())).toHaveLength(1);
  });
});

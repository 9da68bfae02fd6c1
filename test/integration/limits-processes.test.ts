// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #3: limits are sliding windows per account shared by every process. Two and three real
 * `banditore worker` processes drain a backlog together; the emulators' own post timestamps, counted
 * per account over every sliding window, never exceed the declared limit.
 */
import { describe, it, expect } from 'vitest';
import { xUserFor } from '../chaos/helpers/fleet.ts';
import { maxInAnyWindow, waitForLine } from '../chaos/helpers/processes.ts';
import { fleetPerTest } from '../chaos/helpers/per-test.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';

const fleets = fleetPerTest();

const MAX = 3;
const PER_MS = 2000;
const LIMITS = `        limits: [{ max: ${MAX}, per: ${PER_MS}ms }]`;

async function drainWith(workers: number): Promise<void> {
  const f = await fleets.start({ publishers: 2, offersEach: 8, twitterExtra: LIMITS, facebookExtra: LIMITS, concurrency: 4 });
  const procs = Array.from({ length: workers }, () => fleets.spawn(['worker', '--config', f.configPath], f.env));
  await Promise.all(procs.map((p) => waitForLine(p, /delivery workers started/)));
  await f.pollAll();
  await waitFor('every offer on both networks', async () => livePosts(await f.xPosts()).length === 16 && livePosts(await f.graphPosts()).length === 16, 60_000, 200);

  const xs = livePosts(await f.xPosts());
  const fbs = livePosts(await f.graphPosts());
  for (const p of f.pubs) {
    const mineX = xs.filter((x) => x.userId === xUserFor(p.xToken).id);
    const mineFb = fbs.filter((g) => g.pageId === p.pageId);
    expect(mineX).toHaveLength(8);
    expect(mineFb).toHaveLength(8);
    expect(maxInAnyWindow(mineX.map((x) => Date.parse(x.createdAt)), PER_MS), `X posts of ${p.id} in any ${PER_MS} ms`).toBeLessThanOrEqual(MAX);
    expect(maxInAnyWindow(mineFb.map((g) => Date.parse(g.createdAt)), PER_MS), `Facebook posts of ${p.id} in any ${PER_MS} ms`).toBeLessThanOrEqual(MAX);
    // Once each.
    for (const o of p.feed.published()) {
      expect(mineX.filter((x) => x.text.includes(o.url))).toHaveLength(1);
      expect(mineFb.filter((g) => g.link === o.url)).toHaveLength(1);
    }
  }
}

describe('limits shared by several worker processes', () => {
  it('two worker processes never exceed an account\'s limit in any sliding window', async () => {
    await drainWith(2);
  });

  it('three worker processes never exceed an account\'s limit in any sliding window', async () => {
    await drainWith(3);
  });
});

// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #13, respect each network: the jobs of a limited account wake one per freed slot (staggered by
 * their rank among the account's waiters), not all at the same reset to bounce off the window again.
 * Evidence: the service's own count of window refusals (`windowwait|…` in the counters hash).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { maxInAnyWindow } from '../chaos/helpers/processes.ts';
import { windowWaitField } from '../../src/state/counters.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

const MAX = 2;
const PER_MS = 1000;
const N = 16;

describe('staggered wakes', () => {
  it(`${N} posts waiting on a window of ${MAX} per ${PER_MS} ms: each freed slot wakes about one job`, async () => {
    stack = await startStack({ networks: ['twitter'], initialOffers: N, twitterExtra: `        limits: [{ max: ${MAX}, per: ${PER_MS}ms }]` });
    const s = stack;
    await s.startWorkers();
    await s.pollOnce();
    await waitFor(`all ${N} offers on X`, () => livePosts(s.x.posts()).length === N, 60_000);

    const refusals = Number(await s.rt.redis.hget(s.rt.keys.counters(), windowWaitField('pescara', 'twitter')) ?? 0);
    // Every job beyond the first window's MAX must wait at least once (so the counter moved), and with
    // one wake per freed slot hardly more than once (a busy machine makes some wake late and try twice):
    // all waking at each reset would be about (N - MAX)² / (2 · MAX) refusals (49 here), and more under load.
    expect(refusals, 'window refusals').toBeGreaterThanOrEqual(N - MAX);
    expect(refusals, 'window refusals').toBeLessThanOrEqual(2 * (N - MAX));
    // And the window still holds as X counts it.
    expect(maxInAnyWindow(livePosts(s.x.posts()).map((p) => Date.parse(p.createdAt)), PER_MS)).toBeLessThanOrEqual(MAX);
  });
});

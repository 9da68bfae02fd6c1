// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #13, respect each network: a request counts at the network when it commits, which may be well
 * after we sent it and even after we stopped waiting for it (a timeout). Its slot must count until the
 * latest it can land: a slow request that X commits after our timeout, plus the posts sent after it,
 * must never exceed the window as X itself counts it (its own timestamps).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { maxInAnyWindow } from '../chaos/helpers/processes.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

const MAX = 2;
const PER_MS = 1000;

describe('a slot counts until its call can last land', () => {
  it('a post X commits after our timeout, longer than the window, never lets X count more than max in any window', async () => {
    // The timeout is 800 ms: the first post sits inside X for 1.4 s (longer than the window) and is
    // committed after we stopped waiting, within the grace a timed-out request is given to land.
    stack = await startStack({
      networks: ['twitter'], postTimeout: '800ms', initialOffers: 6,
      twitterExtra: `        limits: [{ max: ${MAX}, per: ${PER_MS}ms }]`,
    });
    const s = stack;
    s.x.commitLateNext(1, 1400);
    await s.startWorkers();
    await s.pollOnce();
    // The ledger says posted for all six (the late one only once its reconciliation found it).
    const entries = (await waitFor('six posts the ledger calls posted', async () => {
      const keys = await s.rt.offers.list('pescara', 0, 1000);
      const all = await Promise.all(keys.map((k) => s.rt.ledger.get('pescara', 'twitter', k)));
      return all.length === 6 && all.every((e) => e?.state === 'posted') ? all : undefined;
    }, 30_000))!;

    const posts = livePosts(s.x.posts());
    // The slow path ran: one post's request timed out here and was committed by X after that.
    expect(entries.some((e) => (e?.attempts ?? 0) >= 2), 'one post was sent, timed out, and was reconciled').toBe(true);
    // Once each, and never more than MAX in any window on X's own clock.
    expect(new Set(posts.map((p) => p.text)).size).toBe(6);
    expect(maxInAnyWindow(posts.map((p) => Date.parse(p.createdAt)), PER_MS), `X posts in any ${PER_MS} ms`).toBeLessThanOrEqual(MAX);
  });
});


// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #4, post once through lost answers: the ledger says `sending` before the call; an answer that
 * never comes (the network committed and dropped the connection, or hung until our timeout) leaves the
 * outcome unknown, and the next attempt reads the account's recent posts before sending again.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { startFleet, type Fleet } from '../chaos/helpers/fleet.ts';

let fleet: Fleet | undefined;
afterEach(async () => { await fleet?.stop(); fleet = undefined; });

async function ledgers(f: Fleet, net: 'twitter' | 'facebook') {
  const keys = await f.rt.offers.list('office0', 0, 100);
  return Promise.all(keys.map(async (k) => ({ key: k, entry: await f.rt.ledger.get('office0', net, k) })));
}

async function expectOncePerOffer(f: Fleet): Promise<void> {
  const xs = livePosts(await f.xPosts());
  const fbs = livePosts(await f.graphPosts());
  for (const o of f.pubs[0]!.feed.published()) {
    expect(xs.filter((x) => x.text.includes(o.url)), `X posts of ${o.code}`).toHaveLength(1);
    expect(fbs.filter((g) => g.link === o.url), `Facebook posts of ${o.code}`).toHaveLength(1);
  }
  // The ledger points at the very post the network holds.
  for (const { entry } of await ledgers(f, 'twitter')) {
    expect(entry?.state).toBe('posted');
    expect(xs.map((x) => x.id)).toContain(entry?.remoteId);
  }
  for (const { entry } of await ledgers(f, 'facebook')) {
    expect(entry?.state).toBe('posted');
    expect(fbs.map((g) => g.id)).toContain(entry?.remoteId);
  }
}

const reconciled = async (f: Fleet) => (await f.rt.counters.read()).posts.filter((p) => p.outcome === 'reconciled').reduce((a, p) => a + p.value, 0);

describe('unknown outcomes are reconciled before sending again', () => {
  // Reconciliation by reading: an X tier that serves the timeline (the Free tier's resend is in reconcile-modes.test.ts).
  it('commit-then-drop on both networks: exactly one post per offer, found by reconciliation', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 3, xTier: 'basic' });
    const f = fleet;
    await f.xControl('dropNext', 2);
    await f.graphControl('dropNext', 2);
    await f.startWorkers();
    await f.pollAll();
    await waitFor('three posts on each network, all recorded', async () =>
      (await ledgers(f, 'twitter')).every((l) => l.entry?.state === 'posted') && (await ledgers(f, 'facebook')).every((l) => l.entry?.state === 'posted'), 40_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    await expectOncePerOffer(f);
    expect(await reconciled(f)).toBe(4);
  });

  it('a hung request times out, is reconciled (nothing there) and sent again: exactly one post', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 2, postTimeout: '1s' });
    const f = fleet;
    await f.xControl('hangNext', 1);
    await f.graphControl('hangNext', 1);
    await f.startWorkers();
    await f.pollAll();
    await waitFor('two posts on each network, all recorded', async () =>
      (await ledgers(f, 'twitter')).every((l) => l.entry?.state === 'posted') && (await ledgers(f, 'facebook')).every((l) => l.entry?.state === 'posted'), 40_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    await expectOncePerOffer(f);
    // The hung offer was sent twice (the first never arrived) and says so.
    const tw = (await ledgers(f, 'twitter')).map((l) => l.entry!.attempts).sort();
    expect(tw).toEqual([1, 2]);
    expect((await ledgers(f, 'twitter')).some((l) => /no answer within|did not answer in time/i.test(l.entry?.lastError ?? ''))).toBe(true);
  });

  it('when the account cannot be read, it waits and never guesses: nothing is sent until reconciliation succeeds', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 1, xTier: 'basic' });
    const f = fleet;
    // The post lands but its answer is lost; then every call fails for a while (the timeline too).
    await f.xControl('dropNext', 1);
    await f.startWorkers();
    await f.pollAll();
    await waitFor('the outcome unknown', async () => (await ledgers(f, 'twitter'))[0]?.entry?.state === 'unknown', 20_000, 20);
    await f.xControl('revoke', f.pubs[0]!.xToken);
    await new Promise((r) => setTimeout(r, 1500));
    expect(livePosts(await f.xPosts())).toHaveLength(1);
    expect((await ledgers(f, 'twitter'))[0]?.entry?.state).toBe('unknown');
    await f.xControl('unrevoke', f.pubs[0]!.xToken);
    await waitFor('reconciled', async () => (await ledgers(f, 'twitter'))[0]?.entry?.state === 'posted', 30_000, 100);
    expect(livePosts(await f.xPosts())).toHaveLength(1);
    expect((await f.rt.channels.get('office0', 'twitter')).paused).toBe(false);
  });
});
